import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";

/**
 * Whether the digest with this key (`digest:<community>:<week>`) has been written to the outbox
 * for any place. Each place's row is keyed `<key>@<place>` (`placeDedupeKey`), so this is a range
 * over the outbox's unique dedupe-key index: `@` sorts just before `A`.
 */
export async function weekPosted(db: Kysely<Database>, key: string): Promise<boolean> {
  const row = await db.selectFrom("outbox").select("dedupe_key").where("dedupe_key", ">", `${key}@`).where("dedupe_key", "<", `${key}A`).limit(1).executeTakeFirst();
  return row !== undefined;
}
