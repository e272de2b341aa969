import fs from "node:fs";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Database } from "../../src/db/schema.js";
import { topMembers } from "../../src/engine/leaderboard/leaderboard.repo.js";
import { EXPORTED_TABLES } from "../../src/ops/export/tables.js";
import { type ImportRequest, runImport } from "../../src/ops/import/import.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { restartTestEngine } from "../helpers/engine-restart.js";
import { member, message } from "../helpers/events.js";
import { assertTotalsMatchLedger } from "../helpers/invariants.js";

/**
 * `npm run import` from other bots' files, on a real database: MEE6's leaderboard, Polaris' export
 * and a member,xp CSV become ledger rows through the points engine — all-time only, keyed by
 * source and member, so a second run writes nothing and a new figure writes the difference — and a
 * malformed file, or a dry run, writes nothing at all.
 */
const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), "utf8");
const MEE6_GUILD = "700000000000000001";
const mee6Id = (user: string) => `discord:${MEE6_GUILD}:${user}`;
const FERRIS = "800000000000000011";

/** Every row of every table, as sorted text: "nothing was written" means this is unchanged. */
async function everything(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const names = ["communities", "community_workspaces", "totals_histogram", "link_codes", "member_link_codes", ...EXPORTED_TABLES.map((t) => t.name)];
  const out: Record<string, string[]> = {};
  for (const name of names) out[name] = ((await (db as Kysely<any>).selectFrom(name).selectAll().execute()) as unknown[]).map((r) => JSON.stringify(r)).sort();
  return out;
}

describe.each(dialects)("npm run import from other bots on %s", (dialect) => {
  let t: TestDb | TestEngine | undefined;
  afterEach(async () => {
    await ("engine" in (t ?? {}) ? (t as TestEngine).close() : t?.cleanup());
    t = undefined;
  });

  const clock = new ManualClock("2026-11-26T12:00:00Z");
  const run = (db: Kysely<Database>, r: Partial<ImportRequest> & Pick<ImportRequest, "source" | "text">) => runImport(db, { dryRun: false, timezone: "UTC", clock, ...r });

  it("GIVEN MEE6's leaderboard and an empty database THEN the server's community is created and each player gets round(xp × 0.25) all-time points, names cleaned, levels recorded unannounced", async () => {
    t = await openTestDb(dialect);
    const db = t.db.kysely;
    const result = await run(db, { source: "mee6", text: fixture("mee6-leaderboard.json") });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.report.join("\n")).toContain("4 ledger rows written (+11072 points, all-time only), 4 members added");

    const community = await db.selectFrom("community_workspaces").select("community_id").where("platform", "=", "discord").where("workspace_id", "=", MEE6_GUILD).executeTakeFirstOrThrow();
    const ledger = await db.selectFrom("ledger").select(["key", "member_id", "amount", "day", "reason", "reverses"]).orderBy("key").execute();
    expect(ledger).toEqual([
      { key: `import:mee6:${mee6Id(FERRIS)}`, member_id: mee6Id(FERRIS), amount: 10578, day: "1970-01-01", reason: "import:mee6", reverses: null },
      { key: `import:mee6:${mee6Id("800000000000000012")}`, member_id: mee6Id("800000000000000012"), amount: 460, day: "1970-01-01", reason: "import:mee6", reverses: null },
      { key: `import:mee6:${mee6Id("800000000000000013")}`, member_id: mee6Id("800000000000000013"), amount: 33, day: "1970-01-01", reason: "import:mee6", reverses: null },
      { key: `import:mee6:${mee6Id("800000000000000014")}`, member_id: mee6Id("800000000000000014"), amount: 1, day: "1970-01-01", reason: "import:mee6", reverses: null },
    ]);
    // Names as the engine stores them: the bell and the right-to-left override are gone.
    const names = await db.selectFrom("members").select(["member_id", "display_name", "points"]).orderBy("member_id").execute();
    expect(names.map((m) => [m.display_name, m.points])).toEqual([["ferris", 10578], ["crab cake", 460], ["esrever", 33], ["lurker", 1]]);
    // All-time only: the board of the week the import ran in is empty.
    expect((await topMembers(db, community.community_id, "all", 2)).map((r) => [r.display_name, r.points])).toEqual([["ferris", 10578], ["crab cake", 460]]);
    expect(await topMembers(db, community.community_id, "week:2026-W48", 10)).toEqual([]);
    await assertTotalsMatchLedger(db);
    // Level 20 and 3 reached: recorded, decided, never posted.
    const levels = await db.selectFrom("level_ups").select(["member_id", "level", "announced_at"]).orderBy("level").execute();
    expect(levels.map((l) => [l.member_id, l.level, l.announced_at !== null])).toEqual([[mee6Id("800000000000000012"), 3, true], [mee6Id(FERRIS), 20, true]]);
    expect(await db.selectFrom("outbox").select("id").execute()).toEqual([]);
  });

  it("GIVEN the same MEE6 file imported twice THEN the second run changes nothing", async () => {
    t = await openTestDb(dialect);
    const db = t.db.kysely;
    await run(db, { source: "mee6", text: fixture("mee6-leaderboard.json") });
    const before = await everything(db);
    const again = await run(db, { source: "mee6", text: fixture("mee6-leaderboard.json") });
    expect(again.ok && again.report.join("\n")).toContain("Nothing changed");
    expect(await everything(db)).toEqual(before);
  });

  it("GIVEN a later file with a different figure THEN the difference is a new row correcting the first, up or down, and nothing is edited", async () => {
    t = await openTestDb(dialect);
    const db = t.db.kysely;
    const text = fixture("mee6-leaderboard.json");
    await run(db, { source: "mee6", text });
    const first = await db.selectFrom("ledger").selectAll().where("key", "=", `import:mee6:${mee6Id(FERRIS)}`).executeTakeFirstOrThrow();
    await run(db, { source: "mee6", text: text.replace('"xp": 42310', '"xp": 50310') });
    await run(db, { source: "mee6", text });
    const rows = await db.selectFrom("ledger").select(["key", "amount", "reverses"]).where("member_id", "=", mee6Id(FERRIS)).orderBy("key").execute();
    expect(rows).toEqual([
      { key: `import:mee6:${mee6Id(FERRIS)}`, amount: 10578, reverses: null },
      { key: `import:mee6:${mee6Id(FERRIS)}:2`, amount: 2000, reverses: `import:mee6:${mee6Id(FERRIS)}` },
      { key: `import:mee6:${mee6Id(FERRIS)}:3`, amount: -2000, reverses: `import:mee6:${mee6Id(FERRIS)}` },
    ]);
    expect(await db.selectFrom("ledger").selectAll().where("key", "=", first.key).executeTakeFirstOrThrow()).toEqual(first);
    await assertTotalsMatchLedger(db);
  });

  it("GIVEN a community with activity WHEN Polaris' export is imported for its server (the bot stopped) THEN existing members keep their names and weekly points, new ones are added, and activity after the restart adds on top", async () => {
    const before = await testEngine({ dialect });
    t = before;
    const ferris = member(FERRIS, { displayName: "Ferris Live" });
    await before.ingest(message({ id: "m1", by: ferris, at: "2026-11-26T11:00:00Z" }));
    const result = await run(before.db.kysely, { source: "polaris", text: fixture("polaris-export.json"), guild: "g1" });
    // The bot starts again after the import (with the bot running, the writer lock refuses the import: import-cli.test.ts).
    const te = await restartTestEngine(before);
    t = te;
    expect(result.ok && result.report.join("\n")).toContain("3 ledger rows written (+1506 points, all-time only), 2 members added");
    const community = (await te.engine.communities.resolve({ platform: "discord", workspaceId: "g1" })).id;
    const members = await te.db.kysely.selectFrom("members").select(["member_id", "display_name", "points"]).orderBy("member_id").execute();
    // 15000 × 1/15, 7507.5 × 1/15 = 500.5 rounded, 75 × 1/15.
    expect(members.map((m) => [m.member_id, m.display_name, m.points])).toEqual([
      [`discord:g1:${FERRIS}`, "Ferris Live", 1005],
      ["discord:g1:800000000000000021", "800000000000000021", 501],
      ["discord:g1:800000000000000022", "800000000000000022", 5],
    ]);
    expect((await topMembers(te.db.kysely, community, "week:2026-W48", 10)).map((r) => r.points)).toEqual([5]);
    await te.ingest(message({ id: "m2", by: ferris, at: "2026-11-26T11:58:00Z" }));
    expect((await te.db.kysely.selectFrom("members").select("points").where("member_id", "=", ferris.id).executeTakeFirstOrThrow()).points).toBe(1010);
    await assertTotalsMatchLedger(te.db.kysely);
  });

  it("GIVEN a malformed file THEN nothing is written", async () => {
    t = await openTestDb(dialect);
    const before = await everything(t.db.kysely);
    expect(await run(t.db.kysely, { source: "mee6", text: fixture("mee6-malformed.json") })).toMatchObject({ ok: false });
    expect(await everything(t.db.kysely)).toEqual(before);
  });
});

/** What a file must be, the refusals and the dry runs: the same on both databases, so once, on SQLite. */
describe("npm run import: what is refused, and dry runs", () => {
  const dialect = "sqlite" as const;
  let t: TestDb | TestEngine | undefined;
  afterEach(async () => {
    await ("engine" in (t ?? {}) ? (t as TestEngine).close() : t?.cleanup());
    t = undefined;
  });

  const clock = new ManualClock("2026-11-26T12:00:00Z");
  const run = (db: Kysely<Database>, r: Partial<ImportRequest> & Pick<ImportRequest, "source" | "text">) => runImport(db, { dryRun: false, timezone: "UTC", clock, ...r });

  it("GIVEN --factor 1 THEN MEE6 XP is taken as points", async () => {
    t = await openTestDb(dialect);
    await run(t.db.kysely, { source: "mee6", text: fixture("mee6-leaderboard.json"), factor: 1 });
    expect((await t.db.kysely.selectFrom("members").select("points").where("member_id", "=", mee6Id(FERRIS)).executeTakeFirstOrThrow()).points).toBe(42310);
  });

  it("GIVEN a member,xp CSV with a header and the only community THEN bare ids join its server, names are taken, and an id of another workspace is refused by line", async () => {
    const te = await testEngine({ dialect });
    t = te;
    await te.ingest(message({ id: "m1", by: member("someone"), at: "2026-11-26T11:00:00Z" }));
    const result = await run(te.db.kysely, { source: "csv", text: fixture("members.csv") });
    expect(result).toMatchObject({ ok: true });
    const members = await te.db.kysely.selectFrom("members").select(["member_id", "display_name", "points"]).where("member_id", "like", "discord:g1:8%").orderBy("member_id").execute();
    expect(members.map((m) => [m.display_name, m.points])).toEqual([["Ferris", 120], ["Doe, Jane", 45], ["800000000000000032", 7]]);
    await assertTotalsMatchLedger(te.db.kysely);

    const before = await everything(te.db.kysely);
    const foreign = await run(te.db.kysely, { source: "csv", text: "member,xp\ndiscord:g1:a,5\nslack:T9:U1,5\n" });
    expect(foreign).toEqual({ ok: false, error: expect.stringContaining("line 3: member slack:T9:U1 is from slack workspace T9, which is not this community's (discord:g1)") });
    const twice = await run(te.db.kysely, { source: "csv", text: "a,5\nb,6\na,7\n" });
    expect(twice).toEqual({ ok: false, error: expect.stringContaining("line 3: member a is in the file twice (also at line 1)") });
    expect(await everything(te.db.kysely)).toEqual(before);
  });

  it.each([
    ["mee6", "mee6-malformed.json", "players[1].xp (line 37, column 13)"],
    ["polaris", "polaris-malformed.json", 'users["800000000000000022"].xp (line 17, column 35)'],
    ["csv", "members-malformed.csv", "line 3: xp"],
  ] as const)("GIVEN a malformed %s file THEN the error names where, and nothing is written", async (source, file, where) => {
    t = await openTestDb(dialect);
    const before = await everything(t.db.kysely);
    const result = await run(t.db.kysely, { source, text: fixture(file), guild: MEE6_GUILD });
    expect(result).toEqual({ ok: false, error: expect.stringContaining(where) });
    expect(await everything(t.db.kysely)).toEqual(before);
  });

  it("GIVEN JSON that does not parse THEN the error names its line and column", async () => {
    t = await openTestDb(dialect);
    const result = await run(t.db.kysely, { source: "mee6", text: '{\n  "players": [\n    { "id": "800000000000000011", "xp": 5 },\n  ]\n}' });
    expect(result).toEqual({ ok: false, error: "The file was not imported: not valid JSON (line 4, column 3): Unexpected token ']'" });
  });

  it("GIVEN a MEE6 file of one server and --community of another THEN it is refused and nothing is written", async () => {
    const te = await testEngine({ dialect });
    t = te;
    await te.ingest(message({ id: "m1", by: member("someone"), at: "2026-11-26T11:00:00Z" }));
    const community = (await te.engine.communities.resolve({ platform: "discord", workspaceId: "g1" })).id;
    const before = await everything(te.db.kysely);
    const result = await run(te.db.kysely, { source: "mee6", text: fixture("mee6-leaderboard.json"), community });
    expect(result).toEqual({ ok: false, error: expect.stringContaining(`has no Discord server ${MEE6_GUILD}`) });
    expect(await everything(te.db.kysely)).toEqual(before);
  });

  it.each([
    ["mee6", "mee6-leaderboard.json"],
    ["polaris", "polaris-export.json"],
    ["csv", "members.csv"],
  ] as const)("GIVEN --dry-run of a %s file THEN it lists every member's change and writes nothing, then the import writes just that", async (source, file) => {
    t = await openTestDb(dialect);
    const db = t.db.kysely;
    const before = await everything(db);
    const dry = await run(db, { source, text: fixture(file), guild: MEE6_GUILD, dryRun: true });
    expect(dry.ok).toBe(true);
    const report = dry.ok ? dry.report.join("\n") : "";
    expect(report).toMatch(/^Dry run, nothing written\./);
    expect(report).toContain(`+${source === "mee6" ? 10578 : source === "polaris" ? 1000 : 120}  `);
    expect(await everything(db)).toEqual(before);

    const total = /Would write \d+ ledger rows? \(\+(\d+) points/.exec(report)?.[1];
    await run(db, { source, text: fixture(file), guild: MEE6_GUILD });
    const sum = await db.selectFrom("ledger").select((eb) => eb.fn.sum<number>("amount").as("sum")).executeTakeFirstOrThrow();
    expect(Number(sum.sum)).toBe(Number(total));
    const again = await run(db, { source, text: fixture(file), guild: MEE6_GUILD, dryRun: true });
    expect(again.ok && again.report.join("\n")).toContain("nothing would change");
  });
});
