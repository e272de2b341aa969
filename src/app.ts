import { commands, messageActions } from "../commands/index.js";
import type { Clock } from "./core/clock.js";
import type { Config } from "./config.js";
import type { Db } from "./db/connect.js";
import type { MigrateOptions } from "./db/migrate.js";
import { openDatabase } from "./db/open-database.js";
import { Engine } from "./engine/engine.js";
import type { Telemetry } from "./engine/telemetry.js";
import type { WriteQueueOptions } from "./engine/write-queue.js";
import type { Logger } from "./log.js";

export interface App {
  db: Db;
  engine: Engine;
  /** Where the data is, for people: the SQLite file, or the Postgres location without its password. */
  where: string;
  /** This start created the SQLite file (a new, empty community). */
  created: boolean;
  /** Lets every accepted write commit, then closes the database (and lets the next process in). */
  close(): Promise<void>;
}

/**
 * Database, migrations and engine: everything but the adapters. Fails with a DatabaseStartError
 * (one line to print) when the database cannot be used, or another process has the SQLite file.
 */
export async function createApp(
  config: Pick<Config, "databaseUrl" | "defaultTimezone">,
  deps: { clock: Clock; log: Logger; writes?: WriteQueueOptions; schema?: string; migrate?: MigrateOptions; telemetry?: Telemetry },
): Promise<App> {
  const opened = await openDatabase(config.databaseUrl, {
    role: "guildkeeper",
    ...(deps.schema ? { schema: deps.schema } : {}),
    ...(deps.migrate ? { migrate: deps.migrate } : {}),
  });
  if (opened.applied.length) deps.log.info({ applied: opened.applied }, "database migrated");
  const engine = new Engine({
    db: opened.db.kysely,
    clock: deps.clock,
    log: deps.log,
    commands,
    messageActions,
    defaults: { timezone: config.defaultTimezone },
    ...(deps.writes ? { writes: deps.writes } : {}),
    ...(deps.telemetry ? { telemetry: deps.telemetry } : {}),
  });
  return {
    db: opened.db,
    engine,
    where: opened.where,
    created: opened.created,
    async close() {
      await engine.drain();
      // Jobs finish the run in hand; undelivered posts stay in the outbox for the next start.
      await engine.stop();
      await opened.close();
    },
  };
}
