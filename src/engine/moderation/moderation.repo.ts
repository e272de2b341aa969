import type { Kysely, Selectable } from "kysely";
import { prepared } from "../../db/prepared.js";
import { newOutboxId } from "../outbox/outbox-writer.js";
import { lockNumbering } from "../numbering.js";
import type { Database, ModAuditTable, ModItemTable, ModReportTable, ModScoreTable, ModStatsTable } from "../../db/schema.js";

/**
 * Storage of content quality. Every function takes the transaction it runs in. The first group runs
 * for every message (the hot path) and is `prepared` (compiled once); the rest run for flags,
 * reports and decisions only.
 */
type Db = Kysely<Database>;

export type StatsRow = ModStatsTable;
export type ScoreRow = Selectable<ModScoreTable>;
export type ItemRow = Selectable<ModItemTable>;
export type ReportRow = Selectable<ModReportTable>;
export type AuditRow = Selectable<ModAuditTable>;

const changed = (r: { numAffectedRows?: bigint | undefined; numInsertedOrUpdatedRows?: bigint | undefined }) => Number(r.numAffectedRows ?? r.numInsertedOrUpdatedRows ?? 0) > 0;

// ---- hot path ------------------------------------------------------------------------------------

const loadStatsQuery = prepared((db: Db, a: { community: string }) => db.selectFrom("mod_stats").selectAll().where("community_id", "=", a.community));

export async function loadStats(db: Db, communityId: string): Promise<StatsRow | undefined> {
  return (await loadStatsQuery(db, { community: communityId })).rows[0];
}

const saveStatsQuery = prepared((db: Db, a: StatsRow) =>
  db
    .insertInto("mod_stats")
    .values({ community_id: a.community_id, n: a.n, mean: a.mean, m2: a.m2, seen: a.seen })
    .onConflict((oc) =>
      oc.column("community_id").doUpdateSet((eb) => ({ n: eb.ref("excluded.n"), mean: eb.ref("excluded.mean"), m2: eb.ref("excluded.m2"), seen: eb.ref("excluded.seen") })),
    ),
);

const updateStatsQuery = prepared((db: Db, a: StatsRow) =>
  db.updateTable("mod_stats").set({ n: a.n, mean: a.mean, m2: a.m2, seen: a.seen }).where("community_id", "=", a.community_id),
);

/**
 * Writes the community's statistics as they now are (absolute values: the service holds them). A
 * plain update by key once the row exists — every message of a community writes this one row, and an
 * update is cheaper than an insert that conflicts.
 */
export async function saveStats(db: Db, row: StatsRow): Promise<void> {
  if (changed(await updateStatsQuery(db, row))) return;
  await saveStatsQuery(db, row);
}

const insertScoreQuery = prepared((db: Db, a: ScoreRow) =>
  db
    .insertInto("mod_scores")
    .values({
      message_key: a.message_key,
      community_id: a.community_id,
      member_id: a.member_id,
      q: a.q,
      z: a.z,
      counted: a.counted,
      flagged: a.flagged,
      at: a.at,
      edit_at: a.edit_at,
      edit_key: a.edit_key,
    })
    .onConflict((oc) => oc.column("message_key").doNothing()),
);

/** Records a message's score unless it has one; false for a replay (nothing else may change then). */
export async function insertScore(db: Db, row: ScoreRow): Promise<boolean> {
  return changed(await insertScoreQuery(db, row));
}

const findScoreQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("mod_scores").selectAll().where("message_key", "=", a.key));

export async function findScore(db: Db, messageKey: string): Promise<ScoreRow | undefined> {
  return (await findScoreQuery(db, { key: messageKey })).rows[0];
}

export async function updateScore(db: Db, messageKey: string, patch: Partial<Omit<ScoreRow, "message_key">>): Promise<void> {
  await db.updateTable("mod_scores").set(patch).where("message_key", "=", messageKey).execute();
}

// ---- queue ---------------------------------------------------------------------------------------

// The flag path (a flagged message becomes an item, its card and an audit row) is prepared too: a
// spam wave flags many messages in a row.
const findItemByMessageQuery = prepared((db: Db, a: { community: string; key: string }) =>
  db.selectFrom("mod_items").selectAll().where("community_id", "=", a.community).where("message_key", "=", a.key),
);

export async function findItemByMessage(db: Db, communityId: string, messageKey: string): Promise<ItemRow | undefined> {
  return (await findItemByMessageQuery(db, { community: communityId, key: messageKey })).rows[0];
}

export async function findItemByNumber(db: Db, communityId: string, number: number): Promise<ItemRow | undefined> {
  return db.selectFrom("mod_items").selectAll().where("community_id", "=", communityId).where("number", "=", number).executeTakeFirst();
}

const topNumberQuery = prepared((db: Db, a: { community: string }) =>
  db
    .selectFrom("mod_items")
    .select((eb) => eb.fn.max<number | null>("number").as("top"))
    .where("community_id", "=", a.community),
);

/** The next item number in a community; on Postgres, locked until the transaction ends (numbering.ts). */
export async function nextItemNumber(db: Db, communityId: string): Promise<number> {
  await lockNumbering(db, communityId, "mod_items");
  const row = (await topNumberQuery(db, { community: communityId })).rows[0];
  return Number(row?.top ?? 0) + 1;
}

const insertItemQuery = prepared((db: Db, a: ItemRow) =>
  db.insertInto("mod_items").values({
    id: a.id,
    community_id: a.community_id,
    number: a.number,
    message_key: a.message_key,
    member_id: a.member_id,
    place: a.place,
    excerpt: a.excerpt,
    reasons: a.reasons,
    q: a.q,
    z: a.z,
    auto_flag: a.auto_flag,
    report_weight: a.report_weight,
    reporters: a.reporters,
    queued: a.queued,
    revision: a.revision,
    edited_at: a.edited_at,
    status: a.status,
    decided_by: a.decided_by,
    decided_at: a.decided_at,
    decision_reason: a.decision_reason,
    created_at: a.created_at,
  }),
);

export async function insertItem(db: Db, row: ItemRow): Promise<void> {
  await insertItemQuery(db, row);
}

export async function updateItem(db: Db, id: string, patch: Partial<Omit<ItemRow, "id">>): Promise<void> {
  await db.updateTable("mod_items").set(patch).where("id", "=", id).execute();
}

/** Records a decision on an open item; false when someone decided it first. */
export async function decideItem(db: Db, id: string, d: { status: "approved" | "removed"; decidedBy: string; decidedAt: string; reason: string | null }): Promise<boolean> {
  const result = await db
    .updateTable("mod_items")
    .set({ status: d.status, decided_by: d.decidedBy, decided_at: d.decidedAt, decision_reason: d.reason })
    .where("id", "=", id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function openItems(db: Db, communityId: string, limit: number): Promise<ItemRow[]> {
  return db
    .selectFrom("mod_items")
    .selectAll()
    .where("community_id", "=", communityId)
    .where("status", "=", "open")
    .where("queued", "=", 1)
    .orderBy("number")
    .limit(limit)
    .execute();
}

// ---- reports -------------------------------------------------------------------------------------

/** One member's report of one message; false if they had reported it already. */
export async function insertReport(db: Db, row: ReportRow): Promise<boolean> {
  return changed(await db.insertInto("mod_reports").values(row).onConflict((oc) => oc.columns(["message_key", "reporter_id"]).doNothing()).executeTakeFirst());
}

export async function reportsOf(db: Db, messageKey: string): Promise<ReportRow[]> {
  return db.selectFrom("mod_reports").selectAll().where("message_key", "=", messageKey).orderBy("at").orderBy("reporter_id").execute();
}

export async function reporterRecord(db: Db, communityId: string, memberId: string): Promise<{ agreed: number; rejected: number }> {
  const row = await db.selectFrom("mod_reporters").select(["agreed", "rejected"]).where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row ?? { agreed: 0, rejected: 0 };
}

/** Counts one decided report for the reporter: agreed (the message was removed) or rejected (approved). */
export async function countReportOutcome(db: Db, communityId: string, memberId: string, outcome: "agreed" | "rejected"): Promise<void> {
  await db
    .insertInto("mod_reporters")
    .values({ community_id: communityId, member_id: memberId, agreed: outcome === "agreed" ? 1 : 0, rejected: outcome === "rejected" ? 1 : 0 })
    .onConflict((oc) => oc.columns(["community_id", "member_id"]).doUpdateSet((eb) => (outcome === "agreed" ? { agreed: eb("mod_reporters.agreed", "+", 1) } : { rejected: eb("mod_reporters.rejected", "+", 1) })))
    .execute();
}

// ---- audit ---------------------------------------------------------------------------------------

const appendAuditQuery = prepared((db: Db, a: AuditRow) =>
  db
    .insertInto("mod_audit")
    .values({
      key: a.key,
      seq: a.seq,
      community_id: a.community_id,
      at: a.at,
      actor_id: a.actor_id,
      action: a.action,
      member_id: a.member_id,
      message_key: a.message_key,
      item_number: a.item_number,
      reason: a.reason,
      points_before: a.points_before,
      points_after: a.points_after,
    })
    .onConflict((oc) => oc.column("key").doNothing()),
);

/** Appends to the audit log; a replayed action (same key) adds nothing. Rows are never updated. */
export async function appendAudit(db: Db, row: Omit<AuditRow, "seq">): Promise<boolean> {
  return changed(await appendAuditQuery(db, { ...row, seq: newOutboxId(new Date(row.at)) }));
}

export async function auditOf(db: Db, communityId: string, memberId: string, limit: number): Promise<AuditRow[]> {
  return db
    .selectFrom("mod_audit")
    .selectAll()
    .where("community_id", "=", communityId)
    .where("member_id", "=", memberId)
    .orderBy("seq", "desc")
    .limit(limit)
    .execute();
}

const memberPointsQuery = prepared((db: Db, a: { community: string; member: string }) =>
  db.selectFrom("members").select(["points", "display_name"]).where("community_id", "=", a.community).where("member_id", "=", a.member),
);

/** A member's all-time points as the points capability keeps them (0 for someone never seen). */
export async function memberPoints(db: Db, communityId: string, memberId: string): Promise<{ points: number; displayName: string | undefined }> {
  const row = (await memberPointsQuery(db, { community: communityId, member: memberId })).rows[0];
  return { points: Number(row?.points ?? 0), displayName: row?.display_name };
}
