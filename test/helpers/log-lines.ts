import { Writable } from "node:stream";
import { pino } from "pino";

/** A stream that keeps every line written to it: what a log test reads back. */
export function lineSink(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

/**
 * A plain pino at the most verbose level, without src/log.ts's scrubbing, keeping every line: an
 * adapter must not rely on the app logger to keep its secrets out of logs.
 */
export function capturingLog(): { log: pino.Logger; lines: string[] } {
  const { lines, stream } = lineSink();
  return { log: pino({ level: "trace" }, stream), lines };
}
