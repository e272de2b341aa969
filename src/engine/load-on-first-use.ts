import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A package loaded the first time `load()` is called rather than when the process starts: for the
 * heavy ones most of a bot's life never asks for (the picture library, the language detector, the
 * natural-language date parser), whose cost in memory is paid only by a process that uses them.
 * Synchronous, like the code that calls it; the first call takes the load's time, once.
 *
 * @example
 * const canvas = loadOnFirstUse<typeof import("@napi-rs/canvas")>("@napi-rs/canvas");
 * canvas().createCanvas(100, 100);
 */
export function loadOnFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
