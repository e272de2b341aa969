import fs from "node:fs";
import { REST, Routes } from "discord.js";
import { z } from "zod";
import { type Config, ConfigError, loadConfig } from "../../config.js";
import { DISCORD_API_BASE } from "./client-options.js";

/**
 * What the Discord CLIs (`discord:register`, `discord:invite`) share: configuration from the
 * environment and `.env`, a REST client, and the application id — DISCORD_APP_ID, or asked of
 * Discord with the bot token when unset. Problems end the process with a sentence, never a secret.
 */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

export function discordConfig(): NonNullable<Config["discord"]> {
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  try {
    const config = loadConfig();
    if (!config.discord) fail("DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications and see docs/discord.md.");
    return config.discord;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

export function restFor(discord: NonNullable<Config["discord"]>): REST {
  return new REST({ api: discord.apiUrl ?? DISCORD_API_BASE }).setToken(discord.token);
}

const application = z.object({ id: z.string().regex(/^\d+$/) });

export async function applicationId(discord: NonNullable<Config["discord"]>, rest: REST): Promise<string> {
  if (discord.appId) return discord.appId;
  return application.parse(await rest.get(Routes.currentApplication())).id;
}
