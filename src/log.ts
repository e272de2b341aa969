import { pino } from "pino";

export type Logger = pino.Logger;

export interface LogOptions {
  level: string;
  /** Every configured secret value (tokens, signing secrets, database passwords). */
  secrets: readonly string[];
  /** Where lines go; standard error by default, so the console adapter owns standard output. */
  destination?: pino.DestinationStream;
}

// Field names that hold credentials wherever they appear in a logged object.
const REDACT_PATHS = [
  "token",
  "*.token",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "signingSecret",
  "*.signingSecret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.Authorization",
  "*.headers.Authorization",
];

/**
 * A pino logger that cannot print a secret. Redaction by field name catches the usual places; the
 * last line of defence replaces every configured secret's literal value (and its JSON-escaped form)
 * in the finished line, so a token inside an error message, a URL or a stack trace is caught too.
 */
export function createLogger(options: LogOptions): Logger {
  const needles = options.secrets
    .filter((s) => s.length >= 6)
    .flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)])
    .filter((s, i, all) => all.indexOf(s) === i)
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      hooks: {
        streamWrite(line: string) {
          let clean = line;
          for (const needle of needles) if (clean.includes(needle)) clean = clean.replaceAll(needle, "[redacted]");
          return clean;
        },
      },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
