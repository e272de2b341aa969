import fs from "node:fs";
import type { Writable } from "node:stream";

/** Where an export writes: a file or standard output, written with backpressure so memory stays flat. */
export interface Sink {
  write(text: string): Promise<void>;
  /** Flushes; a file is closed (standard output stays open). */
  close(): Promise<void>;
}

export function streamSink(stream: Writable, ownsStream: boolean): Sink {
  let failure: unknown;
  stream.on("error", (error) => {
    failure = error;
  });
  return {
    async write(text) {
      if (failure) throw failure;
      if (!stream.write(text)) await drained(stream);
      if (failure) throw failure;
    },
    async close() {
      if (failure) throw failure;
      if (!ownsStream) return;
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    },
  };
}

/** A new file (never one that exists: an export does not overwrite). */
export function fileSink(file: string): Sink {
  return streamSink(fs.createWriteStream(file, { flags: "wx" }), true);
}

/** Waits for `drain` (or an error), leaving no listener behind: an export writes thousands of pages. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: unknown) => {
      stream.off("drain", onDrain);
      stream.off("error", onError);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: unknown) => settle(error);
    stream.on("drain", onDrain);
    stream.on("error", onError);
  });
}
