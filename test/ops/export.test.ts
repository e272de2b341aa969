import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../commands/index.js";
import { ManualClock } from "../../src/core/clock.js";
import type { Database } from "../../src/db/schema.js";
import { Engine } from "../../src/engine/engine.js";
import { pointsReport } from "../../src/engine/points/points.capability.js";
import { exportCommunity } from "../../src/ops/export/export.js";
import { EXPORTED_TABLES } from "../../src/ops/export/tables.js";
import { runImport } from "../../src/ops/import/import.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { silentLog, type TestEngine } from "../helpers/engine.js";
import { command, deletion, member, message, reaction } from "../helpers/events.js";
import { assertTotalsMatchLedger, snapshot } from "../helpers/invariants.js";
import { link, slackMember, slackMessage, twoPlatformEngine } from "../engine/people/world.js";

/**
 * `npm run export` and back: a community seeded through the real engine on two platforms (posts,
 * reactions, thanks, a deletion, a linked person, a tip, an imported CSV) is exported as JSON and
 * restored into an empty database with `--from guildkeeper`: the same ledger rows, the same totals
 * in every period, histogram, members, levels and wallet — and a second restore changes nothing.
 */
const adaD = member("ada");
const bobD = member("bob", { displayName: "=HYPERLINK(\"http://x\")" });
const adaS = slackMember("UADA");
const T = (minutes: number) => new Date(Date.parse("2026-11-26T08:00:00Z") + minutes * 60_000).toISOString();

async function seed(t: TestEngine): Promise<string> {
  await t.ingest(message({ id: "d1", by: adaD, at: T(0), text: "How do I read a file line by line in Rust?" }));
  await t.ingest(reaction({ message: "d1", by: bobD, at: T(1) }));
  await t.ingest(message({ id: "d2", by: bobD, at: T(2), text: "thanks @ada for the pointer", mentions: [{ id: adaD.id, displayName: "ada" }] }));
  await t.ingest(message({ id: "d3", by: bobD, at: T(4), text: "a post I will delete" }));
  await t.ingest(deletion({ message: "d3", at: T(5) }));
  await t.ingest(slackMessage({ ts: "1.1", by: adaS, at: T(3) }));
  expect((await link(t, adaD, adaS)).tone).toBe("success");
  await t.ingest(slackMessage({ ts: "1.2", by: adaS, at: T(9) }));
  t.clock.set(T(20));
  expect((await t.engine.command(command({ name: "thanks", by: adaD, at: T(20), options: { member: { id: bobD.id, displayName: bobD.displayName } } }))).tone).toBe("success");
  const tip = await t.engine.command(command({ name: "tip", by: adaD, at: T(21), options: { member: { id: bobD.id, displayName: bobD.displayName }, amount: 3 } }));
  expect(tip.tone).toBe("success");
  // Another capability's rows, and the card the bot posted about them (its outbox row).
  const resolved = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
  await t.engine.communities.updateSettings(resolved, { ...resolved.settings, channels: { ...resolved.settings.channels, feedback: "discord:g1:feedback" } });
  const feedback = await t.engine.command(command({ name: "feedback", subcommand: "send", by: bobD, at: T(22), options: { text: "More Rust talks, please" } }));
  expect(feedback.tone).toBe("success");
  const community = resolved.id;
  await t.engine.drain();
  const imported = await runImport(t.db.kysely, { source: "csv", text: "member,xp\ndiscord:g1:zed,300\n", community, dryRun: false, timezone: "UTC", clock: t.clock });
  expect(imported.ok).toBe(true);
  await assertTotalsMatchLedger(t.db.kysely);
  // What the seed made, so the round trip is tried on each kind of row.
  const reasons = new Set((await t.db.kysely.selectFrom("ledger").select("reason").execute()).map((r) => r.reason));
  expect([...reasons].sort()).toEqual(["import:csv", "post", "reaction", "thanks", "undo:post"]);
  expect(await t.db.kysely.selectFrom("members").select("person_id").where("member_id", "=", adaS.id).executeTakeFirstOrThrow()).toEqual({ person_id: adaD.id });
  return community;
}

/** Everything a restore must reproduce, community ids left out (they match anyway). */
async function state(db: Kysely<Database>) {
  const levels = await db.selectFrom("level_ups").select(["member_id", "level", "reached_at", "announced_at"]).orderBy("member_id").orderBy("level").execute();
  const persons = await db.selectFrom("members").select(["member_id", "person_id", "points", "watermark_at", "watermark_key"]).orderBy("member_id").execute();
  const wallet = await db.selectFrom("wallet_accounts").select(["account", "balance"]).orderBy("account").execute();
  const tips = await db.selectFrom("tips").selectAll().orderBy("key").execute();
  const feedback = await db.selectFrom("feedback").selectAll().orderBy("id").execute();
  const outbox = await db.selectFrom("outbox").select(["id", "dedupe_key", "state", "reply"]).orderBy("id").execute();
  const ledgerFull = await db.selectFrom("ledger").select(["key", "member_id", "amount", "reason", "source_key", "at", "day", "reverses"]).orderBy("key").execute();
  return { ...(await snapshot(db)), ledgerFull, levels, persons, wallet, tips, feedback, outbox };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-export-"));
}

describe.each(dialects)("npm run export and back on %s", (dialect) => {
  let source: TestEngine | undefined;
  let target: TestDb | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await source?.close();
    await target?.cleanup();
    source = target = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("GIVEN a community seeded through the engine WHEN exported as JSON and imported into an empty database THEN ledger rows, totals, histogram, members, levels and wallet are the same, and a second import changes nothing", async () => {
    source = await twoPlatformEngine(dialect, "2026-11-26T08:00:00Z");
    const community = await seed(source);
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, "export.json");
    const exported = await exportCommunity(source.db.kysely, source.db.dialect, { format: "json", out: file, community, now: new Date("2026-11-26T09:00:00Z") });
    expect(exported).toMatchObject({ ok: true });
    expect(exported.ok && exported.rows.ledger).toBeGreaterThan(5);

    target = await openTestDb(dialect);
    const clock = new ManualClock("2026-11-27T10:00:00Z");
    const restored = await runImport(target.db.kysely, { source: "guildkeeper", text: fs.readFileSync(file, "utf8"), dryRun: false, timezone: "UTC", clock });
    expect(restored.ok && restored.report.join("\n")).toContain("Checked: the totals equal the file's.");
    expect(restored.ok && restored.report.join("\n")).toMatch(/Copied: .*feedback 1/);
    expect(await state(target.db.kysely)).toEqual(await state(source.db.kysely));
    expect(await target.db.kysely.selectFrom("communities").select(["id", "name", "settings", "created_at"]).execute()).toEqual(
      await source.db.kysely.selectFrom("communities").select(["id", "name", "settings", "created_at"]).where("id", "=", community).execute(),
    );
    await assertTotalsMatchLedger(target.db.kysely);

    const before = await state(target.db.kysely);
    const again = await runImport(target.db.kysely, { source: "guildkeeper", text: fs.readFileSync(file, "utf8"), dryRun: false, timezone: "UTC", clock });
    expect(again.ok && again.report.join("\n")).toContain("Nothing changed");
    // A capability's rows are copied only into a community without any: the second time, they are skipped and said so.
    expect(again.ok && again.report.join("\n")).toContain("Skipped feedback (1 row): the community has feedback already");
    expect(await state(target.db.kysely)).toEqual(before);

    // The restored community carries on: the linked person's Slack post adds to one total.
    const engine = new Engine({ db: target.db.kysely, clock: new ManualClock(T(30)), log: silentLog, commands, messageActions });
    const outcome = pointsReport(await engine.ingest(slackMessage({ ts: "1.3", by: adaS, at: T(29) })));
    expect(outcome.awards.map((a) => [a.memberId, a.amount])).toEqual([[adaS.id, 5]]);
    const person = await target.db.kysely.selectFrom("totals").select("points").where("community_id", "=", community).where("period", "=", "all").where("member_id", "=", adaD.id).executeTakeFirstOrThrow();
    expect(person.points).toBe(Number(before.totals.find((r) => r.period === "all" && r.member_id === adaD.id)!.points) + 5);
    await engine.drain();
    await assertTotalsMatchLedger(target.db.kysely);
  });
});

describe("npm run export: CSV, refusals (SQLite)", () => {
  let source: TestEngine | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await source?.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("GIVEN an export with a broken ledger row THEN the restore names its line and writes nothing", async () => {
    source = await twoPlatformEngine("sqlite", "2026-11-26T08:00:00Z");
    const community = await seed(source);
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, "export.json");
    await exportCommunity(source.db.kysely, source.db.dialect, { format: "json", out: file, community, now: new Date("2026-11-26T09:00:00Z") });
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const at = lines.findIndex((l) => l.includes('"reason":"thanks"'));
    lines[at] = lines[at]!.replace(/"amount":-?\d+/, '"amount":"ten"');
    const target = await openTestDb("sqlite");
    const result = await runImport(target.db.kysely, { source: "guildkeeper", text: lines.join("\n"), dryRun: false, timezone: "UTC", clock: new ManualClock() });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^The file was not imported: tables\\.ledger\\[\\d+\\]\\.amount \\(line ${at + 1}, column \\d+\\)`)) });
    expect(await target.db.kysely.selectFrom("communities").select("id").execute()).toEqual([]);
    expect(await target.db.kysely.selectFrom("ledger").select("key").execute()).toEqual([]);
    await target.cleanup();
  });
  it("GIVEN --format csv THEN a folder holds one file per table with its header, formula-looking text is defused, and an existing folder is refused", async () => {
    source = await twoPlatformEngine("sqlite", "2026-11-26T08:00:00Z");
    const community = await seed(source);
    const dir = tempDir();
    dirs.push(dir);
    const out = path.join(dir, "csv");
    const result = await exportCommunity(source.db.kysely, "sqlite", { format: "csv", out, community, now: new Date() });
    expect(result).toMatchObject({ ok: true });
    expect(fs.readdirSync(out).sort()).toEqual(["community.csv", "community_workspaces.csv", ...EXPORTED_TABLES.map((t) => `${t.name}.csv`)].sort());
    const ledger = fs.readFileSync(path.join(out, "ledger.csv"), "utf8").trimEnd().split("\n");
    expect(ledger[0]).toBe("key,community_id,member_id,amount,reason,source_key,at,day,reverses");
    expect(ledger.length - 1).toBe((await source.db.kysely.selectFrom("ledger").select("key").execute()).length);
    expect(fs.readFileSync(path.join(out, "members.csv"), "utf8")).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(fs.readFileSync(path.join(out, "kb_entries.csv"), "utf8").trimEnd().split(",")).not.toContain("search");
    expect(await exportCommunity(source.db.kysely, "sqlite", { format: "csv", out, community, now: new Date() })).toEqual({ ok: false, error: expect.stringContaining("exists already") });
    expect(await exportCommunity(source.db.kysely, "sqlite", { format: "csv", community, now: new Date() })).toEqual({ ok: false, error: expect.stringContaining("--out <folder>") });
  });

  it("GIVEN two communities and no --community THEN the export lists them and writes nothing", async () => {
    // Joining Slack to the Discord community leaves the Slack team's first, empty community behind.
    source = await twoPlatformEngine("sqlite", "2026-11-26T08:00:00Z");
    const result = await exportCommunity(source.db.kysely, "sqlite", { format: "json", now: new Date() });
    expect(result).toEqual({ ok: false, error: expect.stringContaining("Several communities; name one with --community <id>") });
  });
});
