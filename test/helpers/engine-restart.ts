import { commands, messageActions } from "../../commands/index.js";
import { ManualClock } from "../../src/core/clock.js";
import { connect } from "../../src/db/connect.js";
import { capabilities } from "../../src/engine/capabilities.js";
import { pointsReport } from "../../src/engine/points/points.capability.js";
import { Engine } from "../../src/engine/engine.js";
import type { Settings } from "../../src/engine/communities/settings.js";
import { silentLog, type TestEngine } from "./engine.js";

/**
 * A restart as a test plays it: the old engine is stopped and dropped with its database connection
 * (a process that went away), and a new engine — a new process — opens the same database file on
 * a fresh connection. Nothing carries over but what was committed.
 *
 * The new engine's clock starts where the old one stood, `advanceMs` later (a restart takes time).
 * Its `close()` also removes the file, so whoever holds the newest engine cleans up for all.
 */
export async function restartTestEngine(old: TestEngine, o: { advanceMs?: number; defaults?: Partial<Settings> } = {}): Promise<TestEngine> {
  await old.engine.drain();
  await old.engine.stop();
  // The old cleanup closes this connection again at the end: make a second close a no-op.
  const closeOld = old.db.close.bind(old.db);
  let closing: Promise<void> | undefined;
  old.db.close = () => (closing ??= closeOld());
  await old.db.close();

  const db = connect(old.url, old.schema ? { schema: old.schema } : {});
  const clock = new ManualClock(new Date(old.clock.now().getTime() + (o.advanceMs ?? 0)).toISOString());
  const engine = new Engine({ db: db.kysely, clock, log: silentLog, commands, messageActions, capabilities, ...(o.defaults ? { defaults: o.defaults } : {}) });
  const cleanup = async () => {
    await db.close();
    await old.cleanup();
  };
  return {
    db,
    url: old.url,
    ...(old.schema ? { schema: old.schema } : {}),
    engine,
    ingest: async (event) => pointsReport(await engine.ingest(event)),
    clock,
    cleanup,
    async close() {
      await engine.drain();
      await engine.stop();
      await cleanup();
    },
  };
}
