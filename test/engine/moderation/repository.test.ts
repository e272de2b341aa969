import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  appendAudit,
  auditOf,
  countReportOutcome,
  decideItem,
  insertItem,
  insertReport,
  insertScore,
  type ItemRow,
  loadStats,
  nextItemNumber,
  reporterRecord,
  saveStats,
} from "../../../src/engine/moderation/moderation.repo.js";
import { dialects, openTestDb, type TestDb } from "../../helpers/db.js";

const item = (number: number, over: Partial<ItemRow> = {}): ItemRow => ({
  id: `c1:${number}`, community_id: "c1", number, message_key: `discord:msg:${number}`, member_id: "discord:g:bob", place: "{}", excerpt: "", reasons: "[]",
  q: 0.1, z: null, auto_flag: 1, report_weight: 0, reporters: 0, queued: 1, revision: 0, edited_at: null, status: "open",
  decided_by: null, decided_at: null, decision_reason: null, created_at: "2026-12-01T10:00:00.000Z", ...over,
});

describe.each(dialects)("moderation repository on %s", (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb(dialect);
  });
  afterEach(() => t.cleanup());

  it("GIVEN statistics saved twice THEN one row holds the latest values, real numbers intact", async () => {
    await saveStats(t.db.kysely, { community_id: "c1", n: 1, mean: 0.55, m2: 0, seen: 1 });
    await saveStats(t.db.kysely, { community_id: "c1", n: 2, mean: 0.575, m2: 0.00125, seen: 3 });
    expect(await loadStats(t.db.kysely, "c1")).toEqual({ community_id: "c1", n: 2, mean: 0.575, m2: 0.00125, seen: 3 });
  });

  it("GIVEN a score recorded twice THEN the second insert is refused (the replay check)", async () => {
    const row = { message_key: "k", community_id: "c1", member_id: "m", q: 0.5, z: -1.25, counted: 1, flagged: 0, at: "2026-12-01T10:00:00.000Z", edit_at: null, edit_key: null };
    expect(await insertScore(t.db.kysely, row)).toBe(true);
    expect(await insertScore(t.db.kysely, { ...row, q: 0.1 })).toBe(false);
  });

  it("GIVEN items THEN numbers count up per community, and only the first decision lands", async () => {
    expect(await nextItemNumber(t.db.kysely, "c1")).toBe(1);
    await insertItem(t.db.kysely, item(1));
    expect(await nextItemNumber(t.db.kysely, "c1")).toBe(2);
    expect(await nextItemNumber(t.db.kysely, "c2")).toBe(1);
    expect(await decideItem(t.db.kysely, "c1:1", { status: "removed", decidedBy: "a", decidedAt: "2026-12-01T11:00:00.000Z", reason: null })).toBe(true);
    expect(await decideItem(t.db.kysely, "c1:1", { status: "approved", decidedBy: "b", decidedAt: "2026-12-01T11:01:00.000Z", reason: null })).toBe(false);
  });

  it("GIVEN one member's reports of one message THEN one row; outcomes count per reporter", async () => {
    const report = { community_id: "c1", message_key: "k", reporter_id: "r1", weight: 1, via: "reaction", reason: null, at: "2026-12-01T10:00:00.000Z" };
    expect(await insertReport(t.db.kysely, report)).toBe(true);
    expect(await insertReport(t.db.kysely, { ...report, via: "command" })).toBe(false);
    await countReportOutcome(t.db.kysely, "c1", "r1", "agreed");
    await countReportOutcome(t.db.kysely, "c1", "r1", "agreed");
    await countReportOutcome(t.db.kysely, "c1", "r1", "rejected");
    expect(await reporterRecord(t.db.kysely, "c1", "r1")).toEqual({ agreed: 2, rejected: 1 });
    expect(await reporterRecord(t.db.kysely, "c1", "nobody")).toEqual({ agreed: 0, rejected: 0 });
  });

  it("GIVEN audit rows THEN a replayed key adds nothing and history reads newest first, in the order written", async () => {
    const row = { community_id: "c1", at: "2026-12-01T10:00:00.000Z", actor_id: "bot", action: "flag", member_id: "m", message_key: "k", item_number: 1, reason: "mash", points_before: null, points_after: null };
    expect(await appendAudit(t.db.kysely, { ...row, key: "flag:k" })).toBe(true);
    expect(await appendAudit(t.db.kysely, { ...row, key: "flag:k", reason: "changed" })).toBe(false);
    expect(await appendAudit(t.db.kysely, { ...row, key: "decide:1", actor_id: "mod", action: "remove", points_before: 5, points_after: 0 })).toBe(true);
    const history = await auditOf(t.db.kysely, "c1", "m", 10);
    expect(history.map((h) => [h.action, h.reason])).toEqual([
      ["remove", "mash"],
      ["flag", "mash"],
    ]);
  });
});
