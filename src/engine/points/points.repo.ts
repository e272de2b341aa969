import type { Kysely } from "kysely";
import type { Database, LedgerTable, MemberTable } from "../../db/schema.js";
import { periodsOfDay } from "../calendar.js";

/**
 * Ledger, totals, members and messages. Every function takes the transaction it runs in: the
 * points service calls them inside one group-committed transaction per batch of events.
 */
type Db = Kysely<Database>;

export type LedgerRow = LedgerTable;
export type MemberRow = Omit<MemberTable, "activity_points" | "thanks_given"> & { activity_points: number; thanks_given: number };

const inserted = (r: { numInsertedOrUpdatedRows?: bigint | undefined }) => Number(r.numInsertedOrUpdatedRows ?? 0) > 0;

export async function insertMessage(
  db: Db,
  row: { message_key: string; community_id: string; member_id: string; channel_key: string; thread_parent_key: string | null; created_at: string; deleted_at: string | null },
): Promise<boolean> {
  const result = await db.insertInto("messages").values(row).onConflict((oc) => oc.column("message_key").doNothing()).executeTakeFirst();
  return inserted(result);
}

export async function findMessage(db: Db, messageKey: string) {
  return db.selectFrom("messages").select(["member_id", "deleted_at", "community_id"]).where("message_key", "=", messageKey).executeTakeFirst();
}

/** Marks a message deleted; false if it was already. */
export async function markMessageDeleted(db: Db, messageKey: string, at: string): Promise<boolean> {
  const result = await db.updateTable("messages").set({ deleted_at: at }).where("message_key", "=", messageKey).where("deleted_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function loadMember(db: Db, communityId: string, memberId: string): Promise<MemberRow | undefined> {
  return db.selectFrom("members").selectAll().where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
}

export async function saveMember(db: Db, row: MemberRow): Promise<void> {
  await db
    .insertInto("members")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["community_id", "member_id"]).doUpdateSet((eb) => ({
        display_name: eb.ref("excluded.display_name"),
        is_bot: eb.ref("excluded.is_bot"),
        last_message_award_at: eb.ref("excluded.last_message_award_at"),
        activity_day: eb.ref("excluded.activity_day"),
        activity_points: eb.ref("excluded.activity_points"),
        thanks_given: eb.ref("excluded.thanks_given"),
      })),
    )
    .execute();
}

/** Appends a ledger row unless one with the same key exists; true if appended. */
export async function insertLedger(db: Db, row: LedgerRow): Promise<boolean> {
  const result = await db.insertInto("ledger").values(row).onConflict((oc) => oc.column("key").doNothing()).executeTakeFirst();
  return inserted(result);
}

export async function findLedger(db: Db, key: string): Promise<LedgerRow | undefined> {
  return db.selectFrom("ledger").selectAll().where("key", "=", key).executeTakeFirst();
}

export async function ledgerExists(db: Db, key: string): Promise<boolean> {
  return (await db.selectFrom("ledger").select("key").where("key", "=", key).executeTakeFirst()) !== undefined;
}

/** Awards (not reversals) that a message was the source of. */
export async function awardsFromSource(db: Db, sourceKey: string): Promise<LedgerRow[]> {
  return db.selectFrom("ledger").selectAll().where("source_key", "=", sourceKey).where("reverses", "is", null).where("amount", "<>", 0).execute();
}

/**
 * Adds `amount` to the member's all-time, weekly and monthly totals for `day`, in one statement.
 * Returns the member's all-time points after the change (for level-ups).
 */
export async function addToTotals(db: Db, communityId: string, memberId: string, day: string, amount: number): Promise<number> {
  const rows = await db
    .insertInto("totals")
    .values(periodsOfDay(day).map((period) => ({ community_id: communityId, period, member_id: memberId, points: amount })))
    .onConflict((oc) => oc.columns(["community_id", "period", "member_id"]).doUpdateSet((eb) => ({ points: eb("totals.points", "+", eb.ref("excluded.points")) })))
    .returning(["period", "points"])
    .execute();
  return rows.find((r) => r.period === "all")?.points ?? amount;
}
