import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CommunityDirectory } from "../../src/engine/communities/community-directory.js";
import { findCommunityByWorkspace, linkWorkspace } from "../../src/engine/communities/community.repo.js";
import { defaultSettings } from "../../src/engine/communities/settings.js";
import { rankOf, topMembers, pointsOf } from "../../src/engine/leaderboard/leaderboard.repo.js";
import { addToTotals, insertLedger, saveMember } from "../../src/engine/points/points.repo.js";
import { ManualClock } from "../../src/core/clock.js";
import { TotalsHistogram } from "../../src/engine/points/totals-histogram.js";
import { WriteQueue } from "../../src/engine/write-queue.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";

describe.each(dialects)("repositories on %s", (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb(dialect);
  });
  afterEach(() => t.cleanup());

  it("GIVEN a workspace seen twice at once THEN exactly one community is created and both callers get it", async () => {
    const a = new CommunityDirectory(t.db.kysely, new ManualClock());
    const b = new CommunityDirectory(t.db.kysely, new ManualClock());
    const [x, y] = await Promise.all([a.resolve({ platform: "slack", workspaceId: "T1" }), b.resolve({ platform: "slack", workspaceId: "T1" })]);
    expect(x.id).toBe(y.id);
    expect(await t.db.kysely.selectFrom("communities").select("id").execute()).toHaveLength(1);
    expect(await linkWorkspace(t.db.kysely, "slack", "T1", "other")).toBe(false);
    expect((await findCommunityByWorkspace(t.db.kysely, "slack", "T1"))?.settings).toEqual(defaultSettings());
  });

  it("GIVEN a ledger key written twice THEN the second insert is refused", async () => {
    const row = { key: "k", community_id: "c", member_id: "m", amount: 5, reason: "post", source_key: "k", at: "2026-11-26T12:00:00.000Z", day: "2026-11-26", reverses: null };
    expect(await insertLedger(t.db.kysely, row)).toBe(true);
    expect(await insertLedger(t.db.kysely, { ...row, amount: 99 })).toBe(false);
  });

  it("GIVEN totals added over two weeks THEN all-time, weekly and monthly rows each hold their sums", async () => {
    await addToTotals(t.db.kysely, "c", "m", "2026-11-26", 5);
    await addToTotals(t.db.kysely, "c", "m", "2026-11-30", 3);
    expect(await pointsOf(t.db.kysely, "c", "all", "m")).toBe(8);
    expect(await pointsOf(t.db.kysely, "c", "week:2026-W48", "m")).toBe(5);
    expect(await pointsOf(t.db.kysely, "c", "week:2026-W49", "m")).toBe(3);
    expect(await pointsOf(t.db.kysely, "c", "month:2026-11", "m")).toBe(8);
  });

  it("GIVEN members with points THEN the top list is ordered by points then id and ranks count those ahead", async () => {
    const points: [string, number][] = [["a", 10], ["b", 30], ["c", 10], ["d", 0], ["e", 20]];
    // Through a write queue, as the points engine writes: the totals, and the histogram ranks are read from.
    const queue = new WriteQueue(t.db.kysely);
    const histogram = new TotalsHistogram(queue);
    for (const [id, p] of points) {
      await queue.submit(async (trx) => {
        await saveMember(trx, { community_id: "c", member_id: id, display_name: id.toUpperCase(), is_bot: 0, first_seen_at: "2026-11-26T00:00:00Z", last_message_award_at: null, activity_day: null, activity_points: 0, thanks_given: 0, points: p });
        for (const row of await addToTotals(trx, "c", id, "2026-11-26", p)) histogram.moved("c", row.period, row.points - p, row.points);
      });
    }
    const top = await topMembers(t.db.kysely, "c", "all", 10);
    expect(top.map((r) => [r.display_name, r.points])).toEqual([["B", 30], ["E", 20], ["A", 10], ["C", 10]]);
    expect(await rankOf(t.db.kysely, "c", "all", 10)).toBe(3);
    expect(await rankOf(t.db.kysely, "c", "all", 30)).toBe(1);
    expect((await topMembers(t.db.kysely, "c", "all", 2, 2)).map((r) => r.member_id)).toEqual(["a", "c"]);
  });
});
