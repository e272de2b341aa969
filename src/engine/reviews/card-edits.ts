import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { OutboxWriter } from "../outbox/index.js";
import { reviewCard } from "./review-card.js";
import { moveReview, type ReviewRow } from "./reviews.repo.js";

/**
 * Moves a request from the state it was read in to `to` and edits its card to match, in the
 * caller's transaction. Each change bumps the card's revision, and each revision is its own outbox
 * row (`<card key>:r<n>`), delivered in order after the post — so the card always ends showing the
 * last state. Undefined when the request had moved on meanwhile (nothing written).
 */
export async function moveAndShow(trx: Kysely<Database>, outbox: OutboxWriter, from: ReviewRow, to: Partial<ReviewRow>, at: Date): Promise<ReviewRow | undefined> {
  const revision = from.revision + 1;
  const change = { ...to, revision, updated_at: at.toISOString() };
  if (!(await moveReview(trx, from, change))) return undefined;
  const row: ReviewRow = { ...from, ...change };
  await outbox.enqueue(trx, { communityId: row.community_id, dedupeKey: `${row.card_key}:r${revision}`, operation: "edit", of: row.card_key, reply: reviewCard(row) });
  return row;
}
