import { commands, messageActions } from "../commands/index.js";
import type { Clock } from "./core/clock.js";
import type { Config } from "./config.js";
import { connect, type Db } from "./db/connect.js";
import { migrateToLatest } from "./db/migrate.js";
import { Engine } from "./engine/engine.js";
import type { WriteQueueOptions } from "./engine/write-queue.js";
import type { Logger } from "./log.js";

export interface App {
  db: Db;
  engine: Engine;
  /** Lets every accepted write commit, then closes the database. */
  close(): Promise<void>;
}

/** Database, migrations and engine: everything but the adapters. */
export async function createApp(config: Pick<Config, "databaseUrl" | "defaultTimezone">, deps: { clock: Clock; log: Logger; writes?: WriteQueueOptions; schema?: string }): Promise<App> {
  const db = connect(config.databaseUrl, deps.schema ? { schema: deps.schema } : {});
  const applied = await migrateToLatest(db.kysely);
  if (applied.length) deps.log.info({ applied }, "database migrated");
  const engine = new Engine({
    db: db.kysely,
    clock: deps.clock,
    log: deps.log,
    commands,
    messageActions,
    defaults: { timezone: config.defaultTimezone },
    ...(deps.writes ? { writes: deps.writes } : {}),
  });
  return {
    db,
    engine,
    async close() {
      await engine.drain();
      await db.close();
    },
  };
}
