import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { connect } from "../src/db/connect.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { Ceiling } from "./ceiling.js";
import { type BenchEvent, syntheticStream } from "./synthetic-community.js";

/**
 * `npx tsx bench/histogram-cost.ts [--members 20000] [--activity 30000]`: what keeping the totals
 * histogram costs the points path's writes — the ceiling (raw SQL, bench/ceiling.ts) with and
 * without it, fed the same stream in turn, 10 000 events at a time, so machine load hits both alike.
 */
const { values: args } = parseArgs({ options: { members: { type: "string", default: "20000" }, activity: { type: "string", default: "30000" } } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-histogram-cost-"));
async function ceiling(name: string, histogram: boolean): Promise<Ceiling> {
  const file = path.join(dir, `${name}.db`);
  const db = connect(file);
  await migrateToLatest(db.kysely);
  await db.kysely.insertInto("communities").values({ id: "bench", name: "bench", settings: "{}", created_at: new Date().toISOString() }).execute();
  await db.close();
  return new Ceiling(file, "bench", { histogram });
}
const stream = () =>
  syntheticStream({ members: Number(args.members), activity: Number(args.activity), seed: 1, start: new Date("2026-11-02T00:00:00Z"), spanMs: 28 * 86_400_000, duplicateRate: 0.02 });
const without = await ceiling("without", false);
const withHistogram = await ceiling("with", true);
const a = stream();
const b = stream();
for (;;) {
  const chunk = (it: Iterator<BenchEvent>) => {
    const out: BenchEvent[] = [];
    for (let i = 0; i < 10_000; i++) {
      const next = it.next();
      if (next.done) break;
      out.push(next.value);
    }
    return out;
  };
  const x = chunk(a);
  const y = chunk(b);
  if (x.length === 0) break;
  without.run(x);
  withHistogram.run(y);
}
const rate = (c: Ceiling) => c.events / c.seconds;
process.stdout.write(
  `ceiling without / with the totals histogram: ${Math.round(rate(without)).toLocaleString("en")} / ${Math.round(rate(withHistogram)).toLocaleString("en")} events/s` +
    ` (${(((1 / rate(withHistogram) - 1 / rate(without)) * 1e6)).toFixed(1)} µs more per event, ${((1 - rate(withHistogram) / rate(without)) * 100).toFixed(1)} %)\n`,
);
await without.stop();
await withHistogram.stop();
fs.rmSync(dir, { recursive: true, force: true });
