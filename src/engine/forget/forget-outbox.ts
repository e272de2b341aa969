import type { ExpressionBuilder, Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { IdRewriter } from "./pseudonyms.js";

/**
 * The outbox's share of forgetting. Its rows are what the bot said or will say, as JSON: a DM's
 * destination (`{"memberId":…}`), replies with mention tokens (`⟦m:<id>|<name>⟧`) and member text,
 * dedupe keys that may carry an id (`levelup:<community>:<member>:<level>`). Every row that names a
 * forgotten member gets its ids rewritten; one about them (it mentions them or is their DM) also
 * has their name replaced, every quoted member text replaced and its pictures dropped. A DM to them
 * not yet sent is refused: they asked not to hear from the bot about this any more. Posts already
 * delivered stay on the platform — the bot does not edit its past messages (docs/forget-me.md).
 */
export async function forgetInOutbox(trx: Kysely<Database>, communityId: string, rewriter: IdRewriter): Promise<{ scrubbed: number; refused: number }> {
  const columns = ["destination", "reply", "dedupe_key", "ref_key"] as const;
  const rows = await trx
    .selectFrom("outbox")
    .select(["id", "operation", "state", ...columns])
    .where("community_id", "=", communityId)
    .where((eb: ExpressionBuilder<Database, "outbox">) => eb.or(columns.flatMap((c) => rewriter.likes.map((like) => eb(c, "like", like)))))
    .execute();
  let scrubbed = 0;
  let refused = 0;
  for (const row of rows) {
    const destination = row.destination === null ? null : rewriter.rewrite(row.destination);
    const toThem = destination !== null && rewriter.mentionsForgotten(destination);
    const rewritten = row.reply === null ? null : rewriter.rewrite(row.reply);
    const about = toThem || (rewritten !== null && rewriter.mentionsForgotten(rewritten));
    const reply = rewritten !== null && about ? rewriter.scrubReply(rewritten) : rewritten;
    const refuse = toThem && row.operation === "dm" && row.state === "pending";
    const dedupeKey = rewriter.rewrite(row.dedupe_key);
    const refKey = row.ref_key === null ? null : rewriter.rewrite(row.ref_key);
    // LIKE finds candidates (`discord:g1:ada` also finds `discord:g1:adam`); only real changes are written.
    if (destination === row.destination && reply === row.reply && dedupeKey === row.dedupe_key && refKey === row.ref_key) continue;
    await trx
      .updateTable("outbox")
      .set({
        destination,
        reply,
        dedupe_key: dedupeKey,
        ref_key: refKey,
        ...(refuse ? { state: "refused", last_error: "not sent: the member asked to be forgotten" } : {}),
      })
      .where("id", "=", row.id)
      .execute();
    scrubbed++;
    if (refuse) refused++;
  }
  return { scrubbed, refused };
}
