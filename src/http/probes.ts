import { type Kysely, sql } from "kysely";
import type { SchedulerLiveness } from "../jobs/index.js";
import type { ReadinessProbe } from "./readiness.js";

/**
 * The probes main.ts gives `/readyz`. Each takes a plain function or handle, so neither the engine
 * nor this folder imports an adapter: main.ts passes each adapter's `connected()`.
 */

/** The database answers a `select 1` (through kysely, on the app's own pool or connection). */
export function databaseProbe<DB>(db: Kysely<DB>): ReadinessProbe {
  return {
    name: "database",
    async check() {
      // What went wrong is thrown to the log (scrubbed there); the body only says it failed.
      await sql`select 1`.execute(db);
      return undefined;
    },
  };
}

/** The job loop has started and its heartbeat is fresh on the engine's clock (`engine.scheduler.liveness()`). */
export function jobLoopProbe(liveness: () => SchedulerLiveness): ReadinessProbe {
  return {
    name: "jobs",
    check() {
      const loop = liveness();
      if (loop.alive) return undefined;
      if (!loop.running) return "the job loop is not running";
      const ageS = loop.lastLookAt ? Math.round((loop.now.getTime() - loop.lastLookAt.getTime()) / 1000) : undefined;
      return `the job loop has not looked at the database for ${ageS ?? "?"} s (stale after ${Math.round(loop.staleAfterMs / 1000)} s)`;
    },
  };
}

/** A platform adapter is connected (its neutral `connected()`: Discord's gateway, Slack's socket or listener). */
export function adapterProbe(name: string, connected: () => boolean): ReadinessProbe {
  return {
    name,
    check: () => (connected() ? undefined : `${name} is not connected`),
  };
}
