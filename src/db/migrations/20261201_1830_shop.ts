import type { Kysely } from "kysely";

// The rewards shop (src/engine/economy/shop*.ts): rewards organizers define, and the orders members
// place with their spendable balance. What a purchase costs moves in the wallet (buyer → `@shop`,
// keyed by the buy interaction); these tables hold the reward's stock and the order's state. Ids are
// made in the app and times are ISO-8601 UTC text, as everywhere.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("shop_rewards")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // The name folded for look-ups (NFKC, lower case, single spaces): one reward per folded name.
    .addColumn("name_key", "text", (c) => c.notNull())
    // Integer points.
    .addColumn("cost", "integer", (c) => c.notNull())
    // A role reference `discord:<guild>:&<role>` granted on purchase, or null.
    .addColumn("role", "text")
    .addColumn("role_name", "text")
    // How many are left; null is unlimited. Only ever changed by a conditional update (never below 0).
    .addColumn("stock", "integer")
    // active | removed — a removed reward keeps its row and its orders.
    .addColumn("status", "text", (c) => c.notNull())
    // The interaction that last added it: a replayed /shop add finds its first answer.
    .addColumn("added_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("shop_rewards_name").on("shop_rewards").columns(["community_id", "name_key"]).unique().execute();

  await db.schema
    .createTable("shop_orders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    // What organizers type (`/shop done 3`): 1, 2, 3 … per community.
    .addColumn("number", "integer", (c) => c.notNull())
    // The buy interaction's natural key: a double press finds this order and buys nothing more.
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("reward_id", "text", (c) => c.notNull())
    // The reward as it was bought (a later change or removal does not rewrite the order).
    .addColumn("reward_name", "text", (c) => c.notNull())
    .addColumn("cost", "integer", (c) => c.notNull())
    .addColumn("role", "text")
    .addColumn("role_name", "text")
    .addColumn("buyer_id", "text", (c) => c.notNull())
    .addColumn("buyer_name", "text", (c) => c.notNull())
    // The Discord member (the buyer, or the buyer's linked Discord member) the role is granted to, or null.
    .addColumn("grant_to", "text")
    // Where it was bought (a Place as JSON): where moderators are told of a refused grant when no channel is set.
    .addColumn("place", "text", (c) => c.notNull())
    // granting (the Discord adapter grants the role after commit) | pending (for organizers) | done | cancelled
    .addColumn("state", "text", (c) => c.notNull())
    // Why a role grant did not happen, shown to organizers with the pending order.
    .addColumn("problem", "text")
    .addColumn("reason", "text")
    .addColumn("closed_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("shop_orders_key").on("shop_orders").columns(["community_id", "key"]).unique().execute();
  await db.schema.createIndex("shop_orders_number").on("shop_orders").columns(["community_id", "number"]).unique().execute();
  await db.schema.createIndex("shop_orders_state").on("shop_orders").columns(["state", "community_id", "number"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("shop_orders").ifExists().execute();
  await db.schema.dropTable("shop_rewards").ifExists().execute();
}
