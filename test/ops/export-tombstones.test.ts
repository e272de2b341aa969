import { afterEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../commands/index.js";
import { ManualClock } from "../../src/core/clock.js";
import { insertCommunity } from "../../src/engine/communities/community.repo.js";
import { defaultSettings } from "../../src/engine/communities/settings.js";
import { Engine } from "../../src/engine/engine.js";
import { forgetCli, type ForgetIo } from "../../src/ops/forget-cli.js";
import { runImport } from "../../src/ops/import/import.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { silentLog, testEngine, type TestEngine } from "../helpers/engine.js";
import { member, message, place } from "../helpers/events.js";
import { assertTotalsMatchLedger } from "../helpers/invariants.js";
import { exportFiles } from "./export-files.js";

/**
 * A forgotten member's tombstone travels with the export. Without it, a restored copy has the
 * forgotten member's rows as pseudonyms but no way to recognise her id, so a platform delivering
 * her old events again (a reconnect's replay, a retried delivery) would count them afresh: her
 * name and points back under her own id. The restore merges the file's tombstones into the
 * community it came from, and says when they cannot mean anything (another community's id) or
 * when members already here are ones the file's copy forgot since.
 */
const ophelia = member("ophelia", { displayName: "Ophelia" });
const bob = member("bob");
const T = (minutes: number) => new Date(Date.parse("2026-11-26T12:00:00Z") + minutes * 60_000);
const hello = message({ id: "100", by: ophelia, at: T(0), text: "Hello everyone, I'm new here" });
const bobs = message({ id: "101", by: bob, at: T(2), text: "a post of bob's" });

describe.each(dialects)("tombstones in an export, on %s", (dialect) => {
  let source: TestEngine | undefined;
  let target: TestDb | undefined;
  afterEach(async () => {
    await source?.close();
    await target?.cleanup();
    source = target = undefined;
  });
  const files = exportFiles();
  const exported = async (t: TestEngine, community: string) => (await files.write(t.db, community, t.clock.now())).text;

  /** Ophelia and bob post; then (with `forget`) Ophelia is forgotten. */
  async function world(forget: boolean): Promise<{ t: TestEngine; community: string }> {
    const t = await testEngine({ dialect, start: "2026-11-26T12:00:00Z" });
    await t.engine.ingest(hello);
    await t.engine.ingest(bobs);
    const community = await t.engine.communities.resolve(place());
    t.clock.set(T(10));
    if (forget) await t.engine.services.forget.forget(community, ophelia.id);
    await t.engine.drain();
    return { t, community: community.id };
  }

  const restore = (text: string, o: { community?: string; dryRun?: boolean } = {}) =>
    runImport(target!.db.kysely, { source: "guildkeeper", text, dryRun: o.dryRun ?? false, timezone: "UTC", clock: new ManualClock(T(20)), ...(o.community ? { community: o.community } : {}) });

  it("GIVEN an export made after a forgetting WHEN restored into an empty database THEN its tombstone is there, and her old message delivered again earns nothing and brings no row of hers back", async () => {
    const w = await world(true);
    source = w.t;
    const text = await exported(source, w.community);
    expect(JSON.parse(text).tables.forgotten_members).toHaveLength(1);
    expect(text).not.toMatch(/ophelia/i);

    target = await openTestDb(dialect);
    const dry = await restore(text, { dryRun: true });
    expect(dry.ok && dry.report.join("\n")).toContain("Would merge 1 tombstone (forgotten members, as hashes).");
    const restored = await restore(text);
    expect(restored.ok && restored.report.join("\n")).toContain("Merged 1 tombstone: old events of the members forgotten in the file's copy stay dropped.");
    const tombstones = (db: TestDb["db"]["kysely"]) => db.selectFrom("forgotten_members").select(["community_id", "member_hash", "forgotten_at"]).execute();
    expect(await tombstones(target.db.kysely)).toEqual(await tombstones(source.db.kysely));

    const ledgerBefore = await target.db.kysely.selectFrom("ledger").select(["key", "amount"]).orderBy("key").execute();
    const engine = new Engine({ db: target.db.kysely, clock: new ManualClock(T(30)), log: silentLog, commands, messageActions });
    await engine.ingest(hello);
    await engine.drain();
    expect(await target.db.kysely.selectFrom("members").select("member_id").where("member_id", "=", ophelia.id).execute()).toEqual([]);
    expect(await target.db.kysely.selectFrom("ledger").select(["key", "amount"]).orderBy("key").execute()).toEqual(ledgerBefore);
    // Activity after the forgetting is a member coming back: it counts, from nothing.
    await engine.ingest(message({ id: "200", by: ophelia, at: T(25), text: "I'm back" }));
    await engine.drain();
    expect(await target.db.kysely.selectFrom("members").select("points").where("member_id", "=", ophelia.id).executeTakeFirst()).toEqual({ points: 5 });
    await assertTotalsMatchLedger(target.db.kysely);

    // Again: nothing changes, the tombstone included.
    const again = await restore(text);
    expect(again.ok && again.report.join("\n")).not.toContain("Merged");
    expect(await tombstones(target.db.kysely)).toHaveLength(1);
  });

  it("GIVEN a database copied before the forgetting WHEN the later export is restored into it THEN the tombstone is merged and the report counts her as one to forget again, naming the command and never her", async () => {
    const before = await world(false);
    const older = await exported(before.t, before.community);
    await before.t.engine.services.forget.forget(await before.t.engine.communities.resolve(place()), ophelia.id);
    await before.t.engine.drain();
    const later = await exported(before.t, before.community);
    source = before.t;

    target = await openTestDb(dialect);
    expect(await restore(older)).toMatchObject({ ok: true });
    const restored = await restore(later);
    const report = restored.ok ? restored.report.join("\n") : restored.error;
    expect(report).toContain("Merged 1 tombstone");
    expect(report).toContain("1 member of this database was forgotten after it was copied: forget them again with npm run forget -- --tombstones-from <this DATABASE_URL> --yes.");
    expect(report).not.toMatch(/ophelia/i);

    // The command the report names does it (SQLite: the file is its own DATABASE_URL).
    if (dialect !== "sqlite") return;
    const out: string[] = [];
    const io: ForgetIo = { out: (t) => void out.push(t), err: (t) => void out.push(t), tty: false, ask: async () => "yes" };
    expect(await forgetCli(["--tombstones-from", target.url, "--yes"], { DATABASE_URL: target.url }, io)).toBe(0);
    expect(out.join("")).toMatch(/1 tombstones kept, 1 accounts forgotten again\./);
    expect(await target.db.kysely.selectFrom("members").select("member_id").where("member_id", "=", ophelia.id).execute()).toEqual([]);
    await assertTotalsMatchLedger(target.db.kysely);
  });

  it("GIVEN --community naming another community THEN the tombstones are not merged, and the report says why", async () => {
    const w = await world(true);
    source = w.t;
    const text = await exported(source, w.community);
    target = await openTestDb(dialect);
    await insertCommunity(target.db.kysely, { id: "otherCommunit", name: "other", settings: defaultSettings(), createdAt: T(0) });
    const restored = await restore(text, { community: "otherCommunit" });
    const report = restored.ok ? restored.report.join("\n") : restored.error;
    expect(report).toContain(`Not merged: the file's 1 tombstone. A tombstone hashes its member's id with the community's (${w.community}), so under otherCommunit it would recognise no one`);
    expect(await target.db.kysely.selectFrom("forgotten_members").selectAll().execute()).toEqual([]);
  });
});
