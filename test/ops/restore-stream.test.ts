import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { runImport } from "../../src/ops/import/import.js";
import { openTestDb, type TestDb } from "../helpers/db.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { member, message, place, reaction } from "../helpers/events.js";
import { assertTotalsMatchLedger, snapshot } from "../helpers/invariants.js";
import { exportFiles } from "./export-files.js";

/**
 * A restore reads its file a line at a time (an export of a few hundred thousand members is
 * larger than a JavaScript string can be), so the layout npm run export writes is what it reads:
 * a file in another layout, out of order or cut short is refused with its line, and nothing is
 * written. Read from disk or from memory, the same file restores the same.
 */
const ada = member("ada");
const bob = member("bob");
const T = (m: number) => new Date(Date.parse("2026-11-26T12:00:00Z") + m * 60_000);

let source: TestEngine | undefined;
const targets: TestDb[] = [];
afterEach(async () => {
  await source?.close();
  source = undefined;
  for (const t of targets.splice(0)) await t.cleanup();
});
const files = exportFiles();

async function exportFile(): Promise<{ file: string; text: string; community: string }> {
  source = await testEngine({ start: "2026-11-26T12:00:00Z" });
  for (let i = 0; i < 30; i++) await source.engine.ingest(message({ id: String(100 + i), by: i % 3 ? ada : bob, at: T(i * 2), text: `post ${i}` }));
  await source.engine.ingest(reaction({ message: "100", by: ada, at: T(70) }));
  await source.engine.drain();
  const community = (await source.engine.communities.resolve(place())).id;
  const { file, text } = await files.write(source.db, community, T(80));
  return { file, text, community };
}

async function target(): Promise<TestDb> {
  const t = await openTestDb("sqlite");
  targets.push(t);
  return t;
}

const restore = (db: TestDb, input: { text: string } | { file: string }) => runImport(db.db.kysely, { source: "guildkeeper", ...input, dryRun: false, timezone: "UTC", clock: new ManualClock(T(90)) });

async function empty(db: TestDb): Promise<boolean> {
  return (await db.db.kysely.selectFrom("communities").select("id").execute()).length === 0 && (await db.db.kysely.selectFrom("ledger").select("key").execute()).length === 0;
}

describe("a restore read a line at a time", () => {
  it("GIVEN the same export from disk and from memory THEN both restore the same rows as the source has", async () => {
    const { file, text } = await exportFile();
    const fromDisk = await target();
    const fromMemory = await target();
    const a = await restore(fromDisk, { file });
    const b = await restore(fromMemory, { text });
    expect(a.ok && a.report.join("\n")).toContain("Checked: the totals equal the file's.");
    expect(b).toEqual(a);
    expect(await snapshot(fromDisk.db.kysely)).toEqual(await snapshot(source!.db.kysely));
    expect(await snapshot(fromMemory.db.kysely)).toEqual(await snapshot(source!.db.kysely));
    await assertTotalsMatchLedger(fromDisk.db.kysely);
  });

  it("GIVEN the export in another layout (one line), with its tables out of order, or cut short THEN each is refused naming the line, and nothing is written", async () => {
    const { text } = await exportFile();
    const lines = text.split("\n");
    const cases: [string, string, RegExp][] = [
      ["one line", JSON.stringify(JSON.parse(text)), /^The file was not imported: line 1: expected "\{" alone on the first line; the file is not laid out as npm run export writes it/],
      ["pretty", JSON.stringify(JSON.parse(text), null, 2), /^The file was not imported: line 2: expected a line of the header/],
      ["cut short", lines.slice(0, Math.floor(lines.length / 2)).join("\n"), /: the file ended before its closing \}/],
    ];
    // The ledger's section moved before the members'.
    const start = lines.findIndex((l) => l.startsWith('"ledger": ['));
    const end = lines.findIndex((l, i) => i > start && (l === "]," || l === "]"));
    const ledger = lines.slice(start, end + 1);
    const rest = [...lines.slice(0, start), ...lines.slice(end + 1)];
    const members = rest.findIndex((l) => l.startsWith('"members": ['));
    cases.push(["out of order", [...rest.slice(0, members), ...ledger, ...rest.slice(members)].join("\n"), new RegExp(`line ${members + ledger.length + 1}: tables\\.members is out of the export's order of tables`)]);
    for (const [name, broken, expected] of cases) {
      const db = await target();
      const result = await restore(db, { text: broken });
      expect([name, result.ok ? "restored" : result.error]).toEqual([name, expect.stringMatching(expected)]);
      expect(await empty(db)).toBe(true);
    }
  });

  it("GIVEN a row of another community deep in the file THEN the restore names its table, place and line, and writes nothing", async () => {
    const { text, community } = await exportFile();
    const lines = text.split("\n");
    const at = lines.findLastIndex((l) => l.startsWith('{"key"') && l.includes(`"community_id":"${community}"`));
    lines[at] = lines[at]!.replace(`"community_id":"${community}"`, '"community_id":"someoneElse1"');
    const db = await target();
    const result = await restore(db, { text: lines.join("\n") });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^The file was not imported: tables\\.\\w+\\[\\d+\\] \\(line ${at + 1}\\): the row belongs to community someoneElse1, not the file's ${community}$`)) });
    expect(await empty(db)).toBe(true);
  });
});
