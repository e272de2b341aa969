import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Moves SQLite's WAL checkpoints off the event loop.
 *
 * A checkpoint copies the WAL back into the database file and fsyncs it. Run automatically, it
 * happens inside whichever commit crosses the threshold — on our one thread, where it stalled the
 * event loop (and with it gateway heartbeats and Slack acks) for up to ~100 ms under load. Here a
 * worker thread with its own connection checkpoints every `intervalMs` instead. PASSIVE mode never
 * blocks the writer: it copies what it can, and SQLite restarts the WAL from the top once a
 * checkpoint has caught up. If the worker dies, the main connection's own auto-checkpoint (left on
 * at a high mark) keeps the WAL bounded.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 1000");
// Checkpoints stream pages from the WAL to the file; a big page cache here would only hold memory.
db.pragma("cache_size = -1024");
const checkpoint = (mode) => { try { db.pragma("wal_checkpoint(" + mode + ")"); } catch (error) { parentPort.postMessage({ error: String(error) }); } };
const timer = setInterval(() => checkpoint("PASSIVE"), workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint("PASSIVE");
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 200, onError: (message: string) => void = () => {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, driver } });
  worker.on("message", (m: { error?: string }) => m.error && onError(m.error));
  worker.on("error", (e) => onError(String(e)));
  // The worker must never keep the process alive on its own.
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        // Waiting for the worker's last checkpoint must keep the process alive.
        worker.ref();
        worker.postMessage("stop");
      }),
  };
}
