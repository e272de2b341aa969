import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../log.js";

/**
 * Keeps the bot token, app token and signing secret out of every log line the Slack adapter (or
 * Bolt, @slack/web-api and @slack/socket-mode) writes.
 *
 * Two rules: never log a raw error or payload from the Slack libraries (a request error carries its
 * request config, Authorization header included; Socket Mode's debug lines are whole payloads), and
 * pass every string that does get logged through {@link Secrets.scrub}. The process logger scrubs
 * configured secrets too (src/log.ts); this does not rely on it.
 */
export class Secrets {
  private readonly needles: string[];

  constructor(values: readonly (string | undefined)[]) {
    this.needles = values
      .filter((s): s is string => typeof s === "string" && s.length >= 6)
      .flatMap((s) => [s, encodeURIComponent(s)])
      .filter((s, i, all) => all.indexOf(s) === i)
      .sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let clean = text;
    for (const needle of this.needles) if (clean.includes(needle)) clean = clean.replaceAll(needle, "[redacted]");
    return clean;
  }

  /** What is safe to log about an error: its name, Slack's error code, and a scrubbed message. */
  describe(error: unknown): { error: string; code?: string; slackError?: string } {
    if (!(error instanceof Error)) return { error: this.scrub(String(error)).slice(0, 500) };
    const coded = error as Error & { code?: unknown; data?: { error?: unknown } };
    return {
      error: this.scrub(`${error.name}: ${error.message}`).slice(0, 500),
      ...(typeof coded.code === "string" ? { code: coded.code } : {}),
      ...(typeof coded.data?.error === "string" ? { slackError: coded.data.error } : {}),
    };
  }
}

/**
 * A logger for Bolt, @slack/web-api and @slack/socket-mode that forwards warnings and errors to our
 * pino logger and drops the rest: their debug output includes raw payloads and request bodies.
 * Arguments are joined as text (an object argument is only named by its type), then scrubbed.
 */
export function boltLogger(log: Logger, secrets: Secrets): BoltLogger {
  const line = (args: unknown[]) =>
    secrets.scrub(args.map((a) => (typeof a === "string" ? a : a instanceof Error ? `${a.name}: ${a.message}` : `[${typeof a}]`)).join(" ")).slice(0, 2000);
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => log.warn({ from: "slack-sdk" }, line(args)),
    error: (...args: unknown[]) => log.error({ from: "slack-sdk" }, line(args)),
    // Socket Mode builds its debug strings only when the level says DEBUG; it never will.
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}
