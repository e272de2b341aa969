/**
 * better-sqlite3 is synchronous: a query holds the event loop until it returns. The digest's reads
 * are cut into chunks that each take a few milliseconds, with a turn of the event loop between
 * them, so heartbeats, acknowledgements and timers keep running while a large community's week is read.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Rows read per chunk of a keyset scan: ~10–20 ms per chunk at a million members on SQLite. */
export const CHUNK_ROWS = 5_000;
