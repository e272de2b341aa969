import type { Kysely } from "kysely";

// How many of an outbox row's attempts the platform answered with a rate limit. A 429 says "come
// back at T", not "this failed": only the other attempts count towards the retry policy's
// `maxAttempts` (src/engine/outbox/retry-policy.ts). Counting them had given up 103 of 1 000
// level-ups in one long global rate limit (bench:discord).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("outbox")
    .addColumn("rate_limited", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox").dropColumn("rate_limited").execute();
}
