import type { Kysely } from "kysely";

// The economy's wallet (src/engine/economy/): a double-entry ledger beside the XP ledger. Every
// movement of spendable points (a tip, an escrow, a purchase, a refund) is a set of rows that sums
// to zero across accounts — members, the community pool, a bounty's escrow, the shop — keyed by
// its cause, so a replayed command moves nothing twice. The balances are derived from it in the
// same transaction. XP (ledger, totals) is never touched by spending, so ranks and levels can't move.
//
// members.person_id joins a member to the person they linked with on another platform (`/link`):
// null means the member is their own person; otherwise the canonical member's id.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("wallet_entries")
    .addColumn("community_id", "text", (c) => c.notNull())
    // `<cause key>:<leg index>` — the cause's natural key (an interaction, a timer) plus the leg.
    .addColumn("key", "text", (c) => c.notNull())
    // A member id, or a system account: `@pool`, `@shop`, `@escrow:<bounty id>`.
    .addColumn("account", "text", (c) => c.notNull())
    // Integer points; the legs of one movement sum to zero.
    .addColumn("amount", "integer", (c) => c.notNull())
    // tip | bounty-escrow | bounty-award | bounty-refund | purchase | purchase-refund | unlink-settle …
    .addColumn("kind", "text", (c) => c.notNull())
    // The movement's cause (without the leg), shared by its legs.
    .addColumn("cause_key", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("memo", "text")
    .addPrimaryKeyConstraint("wallet_entries_pk", ["community_id", "key"])
    .execute();
  await db.schema.createIndex("wallet_entries_account").on("wallet_entries").columns(["community_id", "account", "at"]).execute();

  // Derived from wallet_entries in the same transaction: what each account holds beyond earned XP.
  await db.schema
    .createTable("wallet_accounts")
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("account", "text", (c) => c.notNull())
    .addColumn("balance", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("wallet_accounts_pk", ["community_id", "account"])
    .execute();

  await db.schema.alterTable("members").addColumn("person_id", "text").execute();
  await db.schema.createIndex("members_person").on("members").columns(["community_id", "person_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("members_person").ifExists().execute();
  await db.schema.alterTable("members").dropColumn("person_id").execute();
  await db.schema.dropTable("wallet_accounts").ifExists().execute();
  await db.schema.dropTable("wallet_entries").ifExists().execute();
}
