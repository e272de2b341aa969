import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** One side of a movement: `amount` into (positive) or out of (negative) `account`. */
export interface Leg {
  account: string;
  amount: number;
}

/**
 * A movement of spendable points: legs that sum to zero, keyed by the natural key of its cause
 * (the interaction, the timer run), so posting it twice moves nothing the second time.
 */
export interface Movement {
  causeKey: string;
  /** tip, bounty-escrow, bounty-award, bounty-refund, purchase, purchase-refund, unlink-settle, … */
  kind: string;
  /** ISO-8601 UTC. */
  at: string;
  memo?: string;
  legs: readonly Leg[];
}

/** What a member has: the person they belong to, that person's lifetime XP and spendable balance. */
export interface Standing {
  /** The canonical member id of the person (the member's own id unless linked). */
  personId: string;
  /** Every member id of the person (one per platform). */
  memberIds: string[];
  /** All-time XP: drives levels and ranks; spending never lowers it. */
  xp: number;
  /** XP plus what the wallet moved in and out (tips, bounties, purchases, refunds). */
  balance: number;
}

export class UnbalancedMovement extends Error {}

/**
 * Writes a movement's legs and the account balances derived from them, inside the caller's
 * transaction. Returns false, writing nothing, when the movement was posted before (a replay).
 * Whether the payer can afford it is the caller's check ({@link standingOf} in the same
 * transaction, after {@link lockPerson}); this only keeps the books.
 */
export async function postMovement(trx: Transaction<Database>, communityId: string, m: Movement): Promise<boolean> {
  const legs = m.legs.filter((l) => l.amount !== 0);
  if (legs.some((l) => !Number.isSafeInteger(l.amount))) throw new UnbalancedMovement(`movement ${m.causeKey} has a non-integer leg`);
  if (legs.reduce((sum, l) => sum + l.amount, 0) !== 0) throw new UnbalancedMovement(`movement ${m.causeKey} does not sum to zero`);
  if (legs.length === 0) return false;
  const rows = legs.map((l, i) => ({ community_id: communityId, key: `${m.causeKey}:${i}`, account: l.account, amount: l.amount, kind: m.kind, cause_key: m.causeKey, at: m.at, memo: m.memo ?? null }));
  // The first leg decides: it and the rest are written together or (a replay) not at all.
  const first = await trx.insertInto("wallet_entries").values(rows[0]!).onConflict((oc) => oc.columns(["community_id", "key"]).doNothing()).executeTakeFirst();
  if (Number(first.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  if (rows.length > 1) await trx.insertInto("wallet_entries").values(rows.slice(1)).execute();
  for (const l of legs) {
    await trx
      .insertInto("wallet_accounts")
      .values({ community_id: communityId, account: l.account, balance: l.amount })
      .onConflict((oc) => oc.columns(["community_id", "account"]).doUpdateSet((eb) => ({ balance: eb("wallet_accounts.balance", "+", eb.ref("excluded.balance")) })))
      .execute();
  }
  return true;
}

/** True when a movement with this cause key was posted (a replayed command finds its first answer). */
export async function movementPosted(db: Db, communityId: string, causeKey: string): Promise<boolean> {
  const row = await db.selectFrom("wallet_entries").select("key").where("community_id", "=", communityId).where("key", "=", `${causeKey}:0`).executeTakeFirst();
  return row !== undefined;
}

/** The canonical member id of `memberId`'s person (itself unless it linked with another platform). */
export async function personOf(db: Db, communityId: string, memberId: string): Promise<string> {
  const row = await db.selectFrom("members").select("person_id").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row?.person_id ?? memberId;
}

/** Every member id of a person, the canonical one first. */
export async function membersOfPerson(db: Db, communityId: string, personId: string): Promise<string[]> {
  const rows = await db.selectFrom("members").select("member_id").where("community_id", "=", communityId).where("person_id", "=", personId).execute();
  return [personId, ...rows.map((r) => r.member_id).filter((id) => id !== personId).sort()];
}

/** A member's person, XP and spendable balance, read in `db` (pass the transaction that will spend). */
export async function standingOf(db: Db, communityId: string, memberId: string): Promise<Standing> {
  const personId = await personOf(db, communityId, memberId);
  const memberIds = await membersOfPerson(db, communityId, personId);
  const xpRow = await db.selectFrom("totals").select("points").where("community_id", "=", communityId).where("period", "=", "all").where("member_id", "=", personId).executeTakeFirst();
  const wallet = await db
    .selectFrom("wallet_accounts")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("balance"), eb.lit(0)).as("sum"))
    .where("community_id", "=", communityId)
    .where("account", "in", memberIds)
    .executeTakeFirstOrThrow();
  const xp = Number(xpRow?.points ?? 0);
  return { personId, memberIds, xp, balance: xp + Number(wallet.sum) };
}

/** What a system account (or one member account, without XP) holds. */
export async function accountBalance(db: Db, communityId: string, account: string): Promise<number> {
  const row = await db.selectFrom("wallet_accounts").select("balance").where("community_id", "=", communityId).where("account", "=", account).executeTakeFirst();
  return Number(row?.balance ?? 0);
}

/**
 * Serializes spending by one person across processes on Postgres (a row lock on the canonical
 * member row until the transaction ends). On SQLite the one writer connection already does.
 *
 * A person whose balance is only what they were tipped may have no member row to lock (points
 * writes that row when they first earn), so a transaction-scoped advisory lock on the person holds
 * them too; every spender goes through here, so all of them wait on the same two locks.
 */
export async function lockPerson(trx: Transaction<Database>, communityId: string, personId: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await trx.selectFrom("members").select("member_id").where("community_id", "=", communityId).where("member_id", "=", personId).forUpdate().execute();
  await sql`select pg_advisory_xact_lock(hashtextextended(${`wallet:${communityId}:${personId}`}, 0))`.execute(trx);
}
