import { ConfigError } from "./config.js";
import { DatabaseStartError } from "./db/database-errors.js";
import type { Logger } from "./log.js";

/**
 * How `npm start` and `npm run migrate` fail at start: one line on standard error, and an exit
 * code — 2 for a setup a person must fix (a bad setting, a database that cannot be used or is in
 * use), 1 for anything else. Unexpected errors also go to the log, but only as a summary: library
 * errors carry request bodies, headers and URLs (a Discord interaction URL holds its token), so
 * the raw object is never logged; the logger then scrubs configured secrets from what is left.
 */
export function reportStartFailure(error: unknown, o: { log?: Logger; secrets: readonly string[]; what?: string }): number {
  const redact = (text: string) => o.secrets.reduce((t, secret) => (secret ? t.replaceAll(secret, "[redacted]") : t), text);
  if (error instanceof ConfigError || error instanceof DatabaseStartError) {
    process.stderr.write(`${error instanceof ConfigError ? "" : "guildkeeper: "}${redact(error.message)}\n`);
    return 2;
  }
  const what = o.what ?? "guildkeeper";
  o.log?.fatal({ err: errorSummary(error) }, `${what} could not start`);
  process.stderr.write(`guildkeeper: ${what} could not start: ${redact(error instanceof Error ? error.message : String(error))}\n`);
  return 1;
}

/**
 * What helps from an error, and nothing a library attached (request bodies, headers, raw responses).
 * The object has no prototype so pino's error serializer takes its `type` from `name` (for a plain
 * object it would say "Object") and still appends the causes' messages and stacks.
 */
export function errorSummary(error: unknown, depth = 0): Record<string, unknown> {
  const summary: Record<string, unknown> = Object.create(null);
  if (!(error instanceof Error)) return Object.assign(summary, { name: typeof error, message: String(error) });
  const e = error as Error & { code?: unknown; status?: unknown; statusCode?: unknown };
  // The class, as pino names other errors (DiscordAPIError's own name carries its code: "DiscordAPIError[50001]").
  summary.name = e.constructor?.name || e.name;
  summary.message = e.message;
  if (typeof e.code === "string" || typeof e.code === "number") summary.code = e.code;
  const status = e.status ?? e.statusCode;
  if (typeof status === "number") summary.status = status;
  if (e.stack) summary.stack = e.stack;
  if (e.cause !== undefined && depth < 3) summary.cause = errorSummary(e.cause, depth + 1);
  return summary;
}
