import { pino } from "pino";
import { commands, messageActions } from "../../commands/index.js";
import { ManualClock } from "../../src/core/clock.js";
import type { Dialect } from "../../src/db/connect.js";
import type { ActivityEvent, Capability } from "../../src/engine/capability.js";
import type { PointsOutcome } from "../../src/engine/points/outcome.js";
import { pointsReport } from "../../src/engine/points/points.capability.js";
import { capabilities } from "../../src/engine/capabilities.js";
import { Engine } from "../../src/engine/engine.js";
import type { Settings } from "../../src/engine/communities/settings.js";
import type { Telemetry } from "../../src/engine/telemetry.js";
import { openTestDb, type TestDb } from "./db.js";

export const silentLog = pino({ level: "silent" });

export interface TestEngine extends TestDb {
  engine: Engine;
  /** `engine.ingest`, answering with the points report (what most engine tests look at). */
  ingest(event: ActivityEvent): Promise<PointsOutcome>;
  clock: ManualClock;
  close(): Promise<void>;
}

/** An engine over a fresh database, with a clock that starts on Thursday 2026-11-26 12:00 UTC. */
export async function testEngine(
  options: { dialect?: Dialect | "sqlite-memory"; start?: string; defaults?: Partial<Settings>; extraCapabilities?: readonly Capability[]; telemetry?: Telemetry } = {},
): Promise<TestEngine> {
  const testDb = await openTestDb(options.dialect ?? "sqlite");
  const clock = new ManualClock(options.start ?? "2026-11-26T12:00:00Z");
  const engine = new Engine({
    db: testDb.db.kysely,
    clock,
    log: silentLog,
    commands,
    messageActions,
    capabilities: [...capabilities, ...(options.extraCapabilities ?? [])],
    ...(options.defaults ? { defaults: options.defaults } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  return {
    ...testDb,
    engine,
    ingest: async (event) => pointsReport(await engine.ingest(event)),
    clock,
    async close() {
      await engine.drain();
      await testDb.cleanup();
    },
  };
}
