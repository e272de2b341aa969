import { createRequire } from "node:module";

/**
 * @napi-rs/canvas, loaded on the first picture rather than at start: the native library costs a
 * process ~16 MiB of memory the moment it is loaded, and most of a bot's life draws nothing (the
 * event hot path never does). Synchronous, like the renderers that call it.
 */
type CanvasModule = typeof import("@napi-rs/canvas");

let loaded: CanvasModule | undefined;

export function canvasModule(): CanvasModule {
  loaded ??= createRequire(import.meta.url)("@napi-rs/canvas") as CanvasModule;
  return loaded;
}
