import { REST, Routes } from "discord.js";
import { z } from "zod";
import { DISCORD_API_BASE } from "./client-options.js";
import { describeDiscordFailure } from "./cli-errors.js";

/**
 * What the Discord CLIs (`discord:register`, `discord:invite`) share: their few variables, read
 * from the environment they are given and checked, a REST client, the application id, and how a
 * problem is told — one sentence per line on standard error, never a token.
 *
 * The CLIs read only what they need, so `discord:invite` works with DISCORD_APP_ID alone, and an
 * unrelated bad setting (say DATABASE_URL) does not stop them.
 */
export type Env = Record<string, string | undefined>;

/** Where a CLI writes; tests collect the lines. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** A problem the user can fix, told as one line (exit code 2). */
export class CliError extends Error {
  override name = "CliError";
}

const text = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** Discord ids are snowflakes: 17–20 digits today. */
const snowflake = (name: string, where: string) =>
  text.refine((v) => v === undefined || /^\d{17,20}$/.test(v), { message: `${name} must be ${where}: a number of 17–20 digits` });

const cliEnvSchema = z.object({
  DISCORD_TOKEN: text,
  DISCORD_APP_ID: snowflake("DISCORD_APP_ID", "the Application ID (Developer Portal → your application → General Information)"),
  DISCORD_GUILD_ID: snowflake("DISCORD_GUILD_ID", "a server id (Discord → Settings → Advanced → Developer Mode, then right-click the server → Copy Server ID)"),
  DISCORD_API_URL: text.pipe(z.url({ message: "DISCORD_API_URL must be a URL such as https://discord.com/api" }).optional()),
});
export type CliEnv = z.infer<typeof cliEnvSchema>;

export function readCliEnv(env: Env): CliEnv {
  const parsed = cliEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  // One line per variable; the value is shown for ids (never for the token, which has no check here).
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const given = name === "DISCORD_TOKEN" ? "" : ` (it is \`${String(env[name] ?? "").slice(0, 40)}\`)`;
    return `${issue.message}${given}.`;
  });
  throw new CliError(lines.join("\n"));
}

export const TOKEN_MISSING = "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications (Bot → Reset Token) and see docs/discord.md.";

export function restFor(env: CliEnv): REST {
  if (!env.DISCORD_TOKEN) throw new CliError(TOKEN_MISSING);
  return new REST({ api: env.DISCORD_API_URL ?? DISCORD_API_BASE }).setToken(env.DISCORD_TOKEN);
}

const application = z.object({ id: z.string().regex(/^\d+$/) });

/** DISCORD_APP_ID, or asked of Discord with the bot token when only that is set. */
export async function applicationId(env: CliEnv, rest: () => REST): Promise<string> {
  if (env.DISCORD_APP_ID) return env.DISCORD_APP_ID;
  if (!env.DISCORD_TOKEN) throw new CliError("Set DISCORD_APP_ID to the Application ID (Developer Portal → your application → General Information), or DISCORD_TOKEN to look it up.");
  try {
    return application.parse(await rest().get(Routes.currentApplication())).id;
  } catch (error) {
    throw new CliError(`could not look up the application id (set DISCORD_APP_ID to skip this): ${describeDiscordFailure(error, hostOf(env))}`);
  }
}

export function hostOf(env: CliEnv): string {
  try {
    return new URL(env.DISCORD_API_URL ?? DISCORD_API_BASE).host;
  } catch {
    return env.DISCORD_API_URL ?? DISCORD_API_BASE;
  }
}

/**
 * Runs a CLI's body and exits with its code: a CliError's lines go to standard error with code 2,
 * anything unexpected with code 1 (its message only: a library error carries its request).
 */
export async function runCli(body: (io: CliIo) => Promise<number>, env: Env): Promise<never> {
  const io: CliIo = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
  const token = env.DISCORD_TOKEN?.trim();
  const scrub = (line: string) => (token && token.length >= 6 ? line.replaceAll(token, "[redacted]") : line);
  let code: number;
  try {
    code = await body({ out: (l) => io.out(scrub(l)), err: (l) => io.err(scrub(l)) });
  } catch (error) {
    io.err(scrub(error instanceof Error ? error.message : String(error)));
    code = error instanceof CliError ? 2 : 1;
  }
  process.exit(code);
}
