import { commands, messageActions } from "../../commands/index.js";
import { ManualClock } from "../../src/core/clock.js";
import { connect } from "../../src/db/connect.js";
import { capabilities } from "../../src/engine/capabilities.js";
import type { Settings } from "../../src/engine/communities/settings.js";
import { Engine } from "../../src/engine/engine.js";
import { pointsReport } from "../../src/engine/points/points.capability.js";
import { silentLog, type TestEngine, testEngine } from "../helpers/engine.js";

/**
 * Two processes on one Postgres database, as a test plays them: the first is an ordinary test
 * engine on a fresh schema; the second has its own connection pool, its own clock and its own
 * engine (caches, write queue, scheduler, delivery loop) on the same schema. Nothing is shared
 * between them but the database. `close()` of the pair closes the second, then the first (which
 * drops the schema).
 */
export interface TwoEngines {
  first: TestEngine;
  second: TestEngine;
  both: readonly [TestEngine, TestEngine];
  /** Moves both clocks to `at`. */
  setClocks(at: string | Date): void;
  close(): Promise<void>;
}

export async function twoEngines(o: { start?: string; defaults?: Partial<Settings> } = {}): Promise<TwoEngines> {
  const first = await testEngine({ dialect: "postgres", ...(o.start ? { start: o.start } : {}), ...(o.defaults ? { defaults: o.defaults } : {}) });
  const db = connect(first.url, first.schema ? { schema: first.schema } : {});
  const clock = new ManualClock(first.clock.now().toISOString());
  const engine = new Engine({ db: db.kysely, clock, log: silentLog, commands, messageActions, capabilities, ...(o.defaults ? { defaults: o.defaults } : {}) });
  const second: TestEngine = {
    db,
    url: first.url,
    ...(first.schema ? { schema: first.schema } : {}),
    engine,
    clock,
    ingest: async (event) => pointsReport(await engine.ingest(event)),
    cleanup: () => db.close(),
    async close() {
      await engine.drain();
      await engine.stop();
      await db.close();
    },
  };
  return {
    first,
    second,
    both: [first, second],
    setClocks(at) {
      first.clock.set(at);
      second.clock.set(at);
    },
    async close() {
      await second.close();
      await first.engine.stop();
      await first.close();
    },
  };
}
