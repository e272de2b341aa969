import type { Kysely } from "kysely";
import { prepared } from "../../db/prepared.js";
import type { Database, LedgerTable, MemberTable, MessageTable } from "../../db/schema.js";
import { periodsOfDay } from "../calendar.js";

/**
 * Ledger, totals, members and messages. Every function takes the transaction it runs in: the
 * points service calls them inside one group-committed transaction per batch of events.
 *
 * These run for every event, so they are `prepared` (compiled once, see db/prepared.ts).
 */
type Db = Kysely<Database>;

export type LedgerRow = LedgerTable;
export type MemberRow = Omit<MemberTable, "activity_points" | "thanks_given" | "points"> & { activity_points: number; thanks_given: number; points: number };

const changed = (r: { numAffectedRows?: bigint | undefined }) => Number(r.numAffectedRows ?? 0) > 0;

const insertMessageQuery = prepared((db: Db, a: MessageTable) =>
  db
    .insertInto("messages")
    .values({
      message_key: a.message_key,
      community_id: a.community_id,
      member_id: a.member_id,
      channel_key: a.channel_key,
      thread_parent_key: a.thread_parent_key,
      created_at: a.created_at,
      deleted_at: a.deleted_at,
    })
    .onConflict((oc) => oc.column("message_key").doNothing()),
);

/** Records a message (or a delete's tombstone); false if its key was already taken. */
export async function insertMessage(db: Db, row: MessageTable): Promise<boolean> {
  return changed(await insertMessageQuery(db, row));
}

const findMessageQuery = prepared((db: Db, a: { key: string }) =>
  db.selectFrom("messages").select(["member_id", "deleted_at", "community_id"]).where("message_key", "=", a.key),
);

export async function findMessage(db: Db, messageKey: string) {
  return (await findMessageQuery(db, { key: messageKey })).rows[0];
}

const markDeletedQuery = prepared((db: Db, a: { key: string; at: string }) =>
  db.updateTable("messages").set({ deleted_at: a.at }).where("message_key", "=", a.key).where("deleted_at", "is", null),
);

/** Marks a message deleted; false if it was already. */
export async function markMessageDeleted(db: Db, messageKey: string, at: string): Promise<boolean> {
  return changed(await markDeletedQuery(db, { key: messageKey, at }));
}

const loadMemberQuery = prepared((db: Db, a: { community: string; member: string }) =>
  db.selectFrom("members").selectAll().where("community_id", "=", a.community).where("member_id", "=", a.member),
);

export async function loadMember(db: Db, communityId: string, memberId: string): Promise<MemberRow | undefined> {
  return (await loadMemberQuery(db, { community: communityId, member: memberId })).rows[0];
}

const saveMemberQuery = prepared((db: Db, a: MemberRow) =>
  db
    .insertInto("members")
    .values({
      community_id: a.community_id,
      member_id: a.member_id,
      display_name: a.display_name,
      is_bot: a.is_bot,
      first_seen_at: a.first_seen_at,
      last_message_award_at: a.last_message_award_at,
      activity_day: a.activity_day,
      activity_points: a.activity_points,
      thanks_given: a.thanks_given,
      points: a.points,
    })
    .onConflict((oc) =>
      oc.columns(["community_id", "member_id"]).doUpdateSet((eb) => ({
        display_name: eb.ref("excluded.display_name"),
        is_bot: eb.ref("excluded.is_bot"),
        last_message_award_at: eb.ref("excluded.last_message_award_at"),
        activity_day: eb.ref("excluded.activity_day"),
        activity_points: eb.ref("excluded.activity_points"),
        thanks_given: eb.ref("excluded.thanks_given"),
        points: eb.ref("excluded.points"),
      })),
    ),
);

export async function saveMember(db: Db, row: MemberRow): Promise<void> {
  await saveMemberQuery(db, row);
}

const insertLedgerQuery = prepared((db: Db, a: LedgerRow) =>
  db
    .insertInto("ledger")
    .values({
      key: a.key,
      community_id: a.community_id,
      member_id: a.member_id,
      amount: a.amount,
      reason: a.reason,
      source_key: a.source_key,
      at: a.at,
      day: a.day,
      reverses: a.reverses,
    })
    .onConflict((oc) => oc.column("key").doNothing()),
);

/** Appends a ledger row unless one with the same key exists; true if appended. */
export async function insertLedger(db: Db, row: LedgerRow): Promise<boolean> {
  return changed(await insertLedgerQuery(db, row));
}

const findLedgerQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("ledger").selectAll().where("key", "=", a.key));

export async function findLedger(db: Db, key: string): Promise<LedgerRow | undefined> {
  return (await findLedgerQuery(db, { key })).rows[0];
}

const ledgerExistsQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("ledger").select("key").where("key", "=", a.key));

export async function ledgerExists(db: Db, key: string): Promise<boolean> {
  return (await ledgerExistsQuery(db, { key })).rows.length > 0;
}

const existingKeysQuery = prepared((db: Db, a: { first: string; second: string }) => db.selectFrom("ledger").select("key").where("key", "in", [a.first, a.second]));

/** Which of two ledger keys exist, in one lookup (a reaction checks its own key and its undo). */
export async function existingKeys(db: Db, first: string, second: string): Promise<Set<string>> {
  return new Set((await existingKeysQuery(db, { first, second })).rows.map((r) => r.key));
}

/** Awards (not reversals) that a message was the source of. */
export async function awardsFromSource(db: Db, sourceKey: string): Promise<LedgerRow[]> {
  return db.selectFrom("ledger").selectAll().where("source_key", "=", sourceKey).where("reverses", "is", null).where("amount", "<>", 0).execute();
}

const addToTotalsQuery = prepared((db: Db, a: { community: string; member: string; week: string; month: string; amount: number }) =>
  db
    .insertInto("totals")
    .values([
      { community_id: a.community, period: "all", member_id: a.member, points: a.amount },
      { community_id: a.community, period: a.week, member_id: a.member, points: a.amount },
      { community_id: a.community, period: a.month, member_id: a.member, points: a.amount },
    ])
    .onConflict((oc) => oc.columns(["community_id", "period", "member_id"]).doUpdateSet((eb) => ({ points: eb("totals.points", "+", eb.ref("excluded.points")) }))),
);

/** Adds `amount` to the member's all-time, weekly and monthly totals for `day`, in one statement. */
export async function addToTotals(db: Db, communityId: string, memberId: string, day: string, amount: number): Promise<void> {
  const [, week, month] = periodsOfDay(day);
  await addToTotalsQuery(db, { community: communityId, member: memberId, week, month, amount });
}
