/**
 * A Bolt/@slack logger that prints nothing and remembers everything.
 *
 * Bolt's INFO logs drown test output, yet when an e2e test fails the first
 * question is "what did Bolt say?". Tests pass this logger to `new App({logger})`
 * and can assert on `errors()` or dump `entries` in a failure message.
 */
import { LogLevel, type Logger } from '@slack/bolt';

export interface LogEntry {
  level: LogLevel;
  message: string;
}

export interface RecordingLogger extends Logger {
  readonly entries: LogEntry[];
  errors(): string[];
}

export function createQuietLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  // Socket Mode reads getLevel() to decide whether to build debug strings; keep it at DEBUG so
  // entries are complete (they are cheap: nothing is printed).
  let level: LogLevel = LogLevel.DEBUG;
  const record =
    (entryLevel: LogLevel) =>
    (...msg: unknown[]): void => {
      entries.push({ level: entryLevel, message: msg.map((m) => (typeof m === 'string' ? m : String(m))).join(' ') });
    };
  return {
    entries,
    errors: () => entries.filter((e) => e.level === LogLevel.ERROR).map((e) => e.message),
    debug: record(LogLevel.DEBUG),
    info: record(LogLevel.INFO),
    warn: record(LogLevel.WARN),
    error: record(LogLevel.ERROR),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
