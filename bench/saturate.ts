import { performance } from "node:perf_hooks";
import type { Engine } from "../src/engine/engine.js";
import type { BenchEvent } from "./synthetic-community.js";

/** What one {@link saturate} call measured. */
export interface Saturation {
  count: number;
  /** Wall seconds until every event had committed. */
  seconds: number;
  /** This process's CPU seconds meanwhile (all threads: the checkpointer's work counts too). */
  cpuSeconds: number;
  /** Events the engine found applied already (re-deliveries). */
  duplicates: number;
}

/**
 * Feeds `events` to the engine with up to `window` in flight — as a busy gateway would — and
 * resolves once every one has committed. Used by every phase of the bench that measures throughput.
 */
export async function saturate(engine: Engine, events: Iterable<BenchEvent>, window: number): Promise<Saturation> {
  let inflight = 0;
  let count = 0;
  let duplicates = 0;
  let wake: (() => void) | undefined;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const event of events) {
    count++;
    inflight++;
    void engine.ingest(event).then((outcome) => {
      if (outcome.duplicate) duplicates++;
      inflight--;
      if (wake && inflight < window / 2) {
        wake();
        wake = undefined;
      }
    });
    if (inflight >= window) await new Promise<void>((r) => (wake = r));
  }
  await engine.drain();
  const used = process.cpuUsage(cpu);
  return { count, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, duplicates };
}
