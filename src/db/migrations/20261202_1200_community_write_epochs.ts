import type { Kysely } from "kysely";

// One row per community, bumped by every write-queue transaction that writes the community on
// Postgres (src/engine/community-write-lock.ts). The update's row lock is what serializes one
// community's engine writes across processes; the number says whether another process wrote the
// community since this one last did, so its in-memory copies (member rows, moderation statistics)
// are dropped only then. Unused on SQLite, where one process writes a file.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("community_write_epochs")
    .addColumn("community_id", "text", (c) => c.primaryKey())
    .addColumn("epoch", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("community_write_epochs").ifExists().execute();
}
