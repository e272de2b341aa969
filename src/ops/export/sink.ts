import fs from "node:fs";
import { once } from "node:events";
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
      if (!stream.write(text)) await Promise.race([once(stream, "drain"), once(stream, "error")]);
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
