import cliProgress from "cli-progress";

/** How far a long import has got; a no-op unless someone is watching a terminal. */
export interface Progress {
  start(total: number): void;
  advance(by?: number): void;
  stop(): void;
}

export const noProgress: Progress = { start() {}, advance() {}, stop() {} };

/** Below this many steps an import is over before a bar would be read. */
const WORTH_A_BAR = 500;

/**
 * A bar on standard error, only when standard error is a terminal: standard output carries the
 * report (and may be piped), and a log file or CI gets no carriage-return noise.
 */
export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return noProgress;
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total) {
      if (total < WORTH_A_BAR) return;
      bar = new cliProgress.SingleBar({ stream, format: `${label} {bar} {percentage}% | {value}/{total} | {eta_formatted} left`, hideCursor: true, clearOnComplete: true, etaBuffer: 2000 }, cliProgress.Presets.shades_classic);
      bar.start(total, 0);
    },
    advance(by = 1) {
      bar?.increment(by);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
