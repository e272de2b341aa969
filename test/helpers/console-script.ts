import { PassThrough } from "node:stream";
import { commands } from "../../commands/index.js";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.js";
import { type ManualClock, OffsetClock } from "../../src/core/clock.js";
import type { Settings } from "../../src/engine/communities/settings.js";
import { testEngine } from "./engine.js";

/** The console's clock and the engine's as one, as in main.ts: `/wait` moves the engine's clock, so timers come due. */
class EngineClock extends OffsetClock {
  constructor(private readonly manual: ManualClock) {
    super(manual);
  }
  override advance(ms: number): Date {
    return this.manual.advance(ms);
  }
}

/**
 * Pipes `script` into a console community on a fresh in-memory engine and returns what it printed.
 * `sharedClock`: `/wait` moves the engine's clock too (timers come due), else only the console's.
 */
export async function runConsoleScript(script: string, o: { defaults?: Partial<Settings>; sharedClock?: boolean } = {}): Promise<string> {
  const t = await testEngine({ dialect: "sqlite-memory", ...(o.defaults ? { defaults: o.defaults } : {}) });
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => (printed += String(chunk)));
  const clock = o.sharedClock ? new EngineClock(t.clock) : new OffsetClock(t.clock);
  const adapter = new ConsoleAdapter({ engine: t.engine, commands, clock, input, output, interactive: false, timezone: async () => "UTC" });
  input.end(script);
  await adapter.run();
  await t.close();
  return printed;
}
