import { loadOnFirstUse } from "../load-on-first-use.js";

/**
 * @napi-rs/canvas, loaded on the first picture rather than at start: the native library costs a
 * process ~16 MiB of memory the moment it is loaded, and most of a bot's life draws nothing (the
 * event hot path never does). Synchronous, like the renderers that call it.
 */
export const canvasModule = loadOnFirstUse<typeof import("@napi-rs/canvas")>("@napi-rs/canvas");
