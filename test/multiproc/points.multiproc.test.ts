import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/schema.js";
import { POSTGRES_URL } from "../helpers/db.js";
import { type TestEngine, testEngine } from "../helpers/engine.js";
import { assertTotalsMatchLedger } from "../helpers/invariants.js";
import { activityStream, feed, overlappingSplit } from "./streams.js";
import { type TwoEngines, twoEngines } from "./two-engines.js";

/**
 * Two processes on one Postgres database (two engines, each with its own pool, caches and write
 * queue), fed overlapping streams of the same events at once — 30 % of the events reach both, a
 * few twice — end exactly where one engine given the union ends: every event awarded once, the
 * same ledger sums per event and per member, the same totals, every level-up recorded and announced
 * once. Without the community write lock the member cache and the rules' read-then-write race, and
 * this test sees points awarded twice or cooldowns ignored.
 *
 * Postgres only (the SQLite file has one writer by design): skipped when TEST_POSTGRES_URL is unset,
 * like every Postgres test here.
 */
const START = "2026-11-26T08:00:00Z";
const SPAN_MS = 3 * 3600_000;
const AFTER = "2026-11-26T11:30:00Z";

/** What the ledger says, keyed by what does not depend on the database (community ids are random). */
async function snapshot(db: Kysely<Database>) {
  const byMember = await db.selectFrom("ledger").select(["member_id", (eb) => eb.fn.sum<number>("amount").as("points")]).groupBy("member_id").orderBy("member_id").execute();
  const totals = await db.selectFrom("totals").select(["member_id", "period", "points"]).where("points", "!=", 0).orderBy("member_id").orderBy("period").execute();
  const events = [
    ...(await db.selectFrom("messages").select(["message_key as key", "net", "gross"]).execute()),
    ...(await db.selectFrom("reactions").select(["key", "net", "gross"]).execute()),
    ...(await db.selectFrom("thanks").select(["key", "net", "gross"]).execute()),
  ].sort((a, b) => (a.key < b.key ? -1 : 1));
  const levels = await db.selectFrom("level_ups").select(["member_id", "level"]).orderBy("member_id").orderBy("level").execute();
  const announcements = await db.selectFrom("outbox").select("dedupe_key").where("dedupe_key", "like", "levelup:%").execute();
  const members = await db.selectFrom("members").select(["member_id", "points", "activity_day", "activity_points", "thanks_given", "last_message_award_at"]).orderBy("member_id").execute();
  return {
    byMember: byMember.map((r) => ({ member: r.member_id, points: Number(r.points) })),
    totals: totals.map((r) => ({ ...r, points: Number(r.points) })),
    // What each event earned. Rows that earned nothing are left out: whether a reaction to a message
    // deleted before it is kept (net 0) or refused outright depends on arrival order, in one engine too.
    events: events.filter((e) => Number(e.net) !== 0).map((e) => ({ key: e.key, net: Number(e.net), gross: e.gross === null ? null : Number(e.gross) })),
    levels,
    announcements: announcements.length,
    members: members.map((m) => ({ ...m, points: Number(m.points), activity_points: Number(m.activity_points), thanks_given: Number(m.thanks_given) })),
  };
}

describe.skipIf(!POSTGRES_URL)("two processes on one Postgres database: points", () => {
  let pair: TwoEngines | undefined;
  let reference: TestEngine | undefined;
  afterEach(async () => {
    await pair?.close();
    await reference?.close();
    pair = reference = undefined;
  });

  it("GIVEN overlapping streams of two guilds fed to two engines at once THEN every event is awarded once, exactly as one engine given their union", async () => {
    const stream = activityStream({ seed: 20261126, guilds: ["g1", "g2"], members: 6, perGuild: 80, from: START, spanMs: SPAN_MS });
    const [toFirst, toSecond] = overlappingSplit(stream, 7);

    reference = await testEngine({ dialect: "sqlite", start: AFTER });
    await feed((e) => reference!.engine.ingest(e), stream, 1);
    const expected = await snapshot(reference.db.kysely);
    expect(expected.byMember.length).toBeGreaterThan(8);
    expect(expected.levels.length).toBeGreaterThan(0);

    pair = await twoEngines({ start: AFTER });
    // Bursts of 8 at once: each engine's write queue groups them, and the two interleave.
    await Promise.all([feed((e) => pair!.first.engine.ingest(e), toFirst, 8), feed((e) => pair!.second.engine.ingest(e), toSecond, 8)]);
    await pair.first.engine.drain();
    await pair.second.engine.drain();

    const got = await snapshot(pair.first.db.kysely);
    expect(got.events).toEqual(expected.events);
    expect(got.byMember).toEqual(expected.byMember);
    expect(got.totals).toEqual(expected.totals);
    expect(got.levels).toEqual(expected.levels);
    expect(got.announcements).toBe(expected.announcements);
    expect(got.members).toEqual(expected.members);
    await assertTotalsMatchLedger(pair.first.db.kysely);
  });

  it("GIVEN one engine that cached members WHEN the other engine awards them meanwhile THEN the first sees it (no stale cooldown, cap or total)", async () => {
    pair = await twoEngines({ start: AFTER });
    const [one, two] = pair.both;
    const ada = { id: "discord:g1:ada", platform: "discord" as const, workspaceId: "g1", userId: "ada", displayName: "ada", isBot: false };
    const post = (id: string, at: string) => ({
      kind: "message.created" as const,
      key: `discord:msg:${id}`,
      messageKey: `discord:msg:${id}`,
      at: new Date(at),
      place: { platform: "discord" as const, workspaceId: "g1", channelId: "general" },
      author: ada,
      text: `post ${id}`,
      mentions: [],
    });
    // ada's row is cached by the first engine, then the second awards her a post at 10:00.
    expect((await one.ingest(post("p1", "2026-11-26T09:00:00Z"))).awards.map((a) => a.amount)).toEqual([5]);
    expect((await two.ingest(post("p2", "2026-11-26T10:00:00Z"))).awards.map((a) => a.amount)).toEqual([5]);
    // 30 s after p2: inside the cooldown that the first engine's cached row does not know of.
    const third = await one.ingest(post("p3", "2026-11-26T10:00:30Z"));
    expect(third.awards).toEqual([]);
    expect(third.skipped.map((s) => s.reason)).toEqual(["cooldown"]);
    const fourth = await one.ingest(post("p4", "2026-11-26T10:01:30Z"));
    expect(fourth.awards.map((a) => a.total)).toEqual([15]);
    await assertTotalsMatchLedger(one.db.kysely);
  });
});
