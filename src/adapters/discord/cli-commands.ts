import type { CommandDeclaration, MessageActionDeclaration } from "../../core/command.js";
import { BOT_PERMISSIONS, inviteUrl } from "./bot-permissions.js";
import { applicationId, type CliIo, CliError, type Env, hostOf, readCliEnv, restFor, TOKEN_MISSING } from "./cli-setup.js";
import { describeRegistrationFailure } from "./cli-errors.js";
import { commandsJson, registerCommands } from "./command-registration.js";

/**
 * The bodies of `npm run discord:invite` and `npm run discord:register`, apart from their entry
 * files so tests can run them: each takes the environment and where to write, and returns the exit
 * code (0 done, 1 Discord refused, 2 something to fix in the settings — thrown as CliError).
 */

/** Prints the invite URL. Needs only DISCORD_APP_ID (or DISCORD_TOKEN to look it up). */
export async function inviteCommand(env: Env, io: CliIo): Promise<number> {
  const e = readCliEnv(env);
  const appId = await applicationId(e, () => restFor(e));
  const reasons = BOT_PERMISSIONS.map((p) => `  - ${p.name}: ${p.why}`).join("\n");
  io.out(`${inviteUrl(appId)}\n\nScopes: bot, applications.commands. Permissions:\n${reasons}`);
  return 0;
}

/**
 * Registers the declared commands and message menus in DISCORD_GUILD_ID's server, else globally. A
 * refusal prints one line per problem Discord named (which command, which field, what Discord said).
 */
export async function registerCommand(
  env: Env,
  io: CliIo,
  commands: readonly CommandDeclaration<unknown>[],
  messageActions: readonly MessageActionDeclaration<unknown>[],
): Promise<number> {
  const e = readCliEnv(env);
  if (!e.DISCORD_TOKEN) throw new CliError(TOKEN_MISSING);
  const rest = restFor(e);
  const appId = await applicationId(e, () => rest);
  try {
    const result = await registerCommands(rest, { appId, guildId: e.DISCORD_GUILD_ID, commands, messageActions });
    const where = result.scope === "guild" ? `in server ${e.DISCORD_GUILD_ID}` : "globally";
    io.out(`registered ${result.names.length} commands ${where}: ${result.names.join(", ")}`);
    return 0;
  } catch (error) {
    const lines = describeRegistrationFailure(error, commandsJson(commands, messageActions), hostOf(e));
    io.err(`registration failed${lines.length > 1 ? ` (${lines.length} problems)` : ""}:`);
    for (const line of lines) io.err(`  ${line}`);
    return 1;
  }
}
