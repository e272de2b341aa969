import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, ShopOrderState, ShopOrderTable, ShopRewardTable } from "../../db/schema.js";
import { lockNumbering } from "../numbering.js";

/** The shop's reads and writes; each takes the db or the caller's transaction first. */
type Db = Kysely<Database> | Transaction<Database>;

/** A reward as stored. */
export type RewardRow = Selectable<ShopRewardTable>;
/** An order as stored. */
export type OrderRow = Selectable<ShopOrderTable>;

export async function rewardByName(db: Db, communityId: string, nameKey: string): Promise<RewardRow | undefined> {
  return db.selectFrom("shop_rewards").selectAll().where("community_id", "=", communityId).where("name_key", "=", nameKey).executeTakeFirst();
}

export async function rewardById(db: Db, id: string): Promise<RewardRow | undefined> {
  return db.selectFrom("shop_rewards").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Active rewards, cheapest first, then by name. */
export async function activeRewards(db: Db, communityId: string): Promise<RewardRow[]> {
  return db.selectFrom("shop_rewards").selectAll().where("community_id", "=", communityId).where("status", "=", "active").orderBy("cost").orderBy("name_key").execute();
}

export async function insertReward(db: Db, row: RewardRow): Promise<void> {
  await db.insertInto("shop_rewards").values(row).execute();
}

export async function updateReward(db: Db, id: string, set: Partial<Omit<RewardRow, "id" | "community_id">>): Promise<void> {
  await db.updateTable("shop_rewards").set(set).where("id", "=", id).execute();
}

/**
 * Takes one from a limited stock, only if one is left: the one guard that keeps stock from going
 * below zero, whatever runs at the same time. True when one was taken (always, for unlimited stock).
 */
export async function takeOne(db: Db, reward: RewardRow, at: string): Promise<boolean> {
  if (reward.stock === null) return true;
  const r = await db
    .updateTable("shop_rewards")
    .set((eb) => ({ stock: eb("stock", "-", 1), updated_at: at }))
    .where("id", "=", reward.id)
    .where("stock", ">", 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Puts one back into a limited stock (a cancelled order); unlimited stock stays unlimited. */
export async function putBack(db: Db, rewardId: string, at: string): Promise<void> {
  await db
    .updateTable("shop_rewards")
    .set((eb) => ({ stock: eb("stock", "+", 1), updated_at: at }))
    .where("id", "=", rewardId)
    .where("stock", "is not", null)
    .execute();
}

export async function orderByKey(db: Db, communityId: string, key: string): Promise<OrderRow | undefined> {
  return db.selectFrom("shop_orders").selectAll().where("community_id", "=", communityId).where("key", "=", key).executeTakeFirst();
}

export async function orderByNumber(db: Db, communityId: string, number: number): Promise<OrderRow | undefined> {
  return db.selectFrom("shop_orders").selectAll().where("community_id", "=", communityId).where("number", "=", number).executeTakeFirst();
}

export async function orderById(db: Db, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom("shop_orders").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * The next order number of a community. Inside the write queue's transaction on SQLite nothing
 * else writes meanwhile; on Postgres the series is locked until the transaction ends, so a second
 * process waits and reads the number this one wrote (numbering.ts).
 */
export async function nextOrderNumber(db: Db, communityId: string): Promise<number> {
  await lockNumbering(db, communityId, "shop_orders");
  const row = await db
    .selectFrom("shop_orders")
    .select((eb) => eb.fn.max<number>("number").as("n"))
    .where("community_id", "=", communityId)
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

export async function insertOrder(db: Db, row: OrderRow): Promise<void> {
  await db.insertInto("shop_orders").values(row).execute();
}

/** Moves an order on only from the state it was read in: true if this call moved it. */
export async function moveOrder(db: Db, id: string, from: ShopOrderState, set: Partial<Pick<OrderRow, "state" | "problem" | "reason" | "closed_by" | "updated_at">>): Promise<boolean> {
  const r = await db.updateTable("shop_orders").set(set).where("id", "=", id).where("state", "=", from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Orders still open (being granted, or waiting for organizers), oldest first. */
export async function openOrders(db: Db, communityId: string): Promise<OrderRow[]> {
  return db.selectFrom("shop_orders").selectAll().where("community_id", "=", communityId).where("state", "in", ["granting", "pending"]).orderBy("number").execute();
}

/** Every order whose role grant was decided but not yet confirmed done, in every community. */
export async function grantingOrders(db: Db): Promise<OrderRow[]> {
  return db.selectFrom("shop_orders").selectAll().where("state", "=", "granting").orderBy("community_id").orderBy("number").execute();
}
