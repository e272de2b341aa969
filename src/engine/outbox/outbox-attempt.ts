import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Place } from "../../core/identity.js";
import type { DmResult, Outbox, OutboxDirectMessage, OutboxFailure, PostResult } from "../../core/outbox.js";
import type { Reply } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import { findOutboxRow, type OutboxRow, type Settlement } from "./outbox.repo.js";
import { backoffDelay, failedAttempts, rateLimitDelay, type RetryPolicy } from "./retry-policy.js";

/**
 * One claimed row as a platform call, and the platform's answer as what to write back: the part
 * of delivery that knows what each operation means. Claiming and settling are the loop's.
 */
export interface AttemptContext {
  db: Kysely<Database>;
  clock: Clock;
  policy: RetryPolicy;
  random: () => number;
}

/** Sends `row` (its `attempts`-th attempt) through `outbox` and says how the row should end up. */
export async function sendRow(outbox: Outbox, row: OutboxRow, attempts: number, ctx: AttemptContext): Promise<Settlement> {
  const sent = (messageId: string, place: Place, note: string | null = null): Settlement => ({
    state: "sent",
    messageId,
    deliveredTo: JSON.stringify(place),
    note,
    at: ctx.clock.now().toISOString(),
  });
  switch (row.operation) {
    case "post":
    case "dm": {
      const reply = JSON.parse(row.reply ?? "{}") as Reply;
      const destination = JSON.parse(row.destination ?? "{}") as Place & { memberId?: string };
      const result: PostResult | DmResult =
        row.operation === "post" ? await outbox.post(destination, reply, row.dedupe_key) : await outbox.dm(destination.memberId ?? "", reply, row.dedupe_key);
      if (!result.ok) return settleFailure(outbox, row, attempts, result, ctx);
      // A DM lands in a conversation the platform chose; later edits and deletes go there.
      return sent(result.messageId, (result as Partial<OutboxDirectMessage>).place ?? destination);
    }
    case "edit":
    case "delete": {
      const target = await targetOf(ctx.db, row);
      if ("error" in target) return { state: "failed", error: target.error };
      if (row.operation === "edit") {
        const result = await outbox.edit(target.place, target.messageId, JSON.parse(row.reply ?? "{}") as Reply);
        return result.ok ? sent(result.messageId, target.place) : settleFailure(outbox, row, attempts, result, ctx);
      }
      const result = await outbox.delete(target.place, target.messageId);
      if (result.ok) return sent(target.messageId, target.place);
      // Deleting what is already gone has done its job.
      if (result.reason === "not-found") return sent(target.messageId, target.place, `already gone: ${result.detail}`);
      return settleFailure(outbox, row, attempts, result, ctx);
    }
    default:
      return { state: "failed", error: `unknown operation ${row.operation}` };
  }
}

/** Where an edit or delete goes: a message named by id, or our post resolved by its dedupe key. */
async function targetOf(db: Kysely<Database>, row: OutboxRow): Promise<{ place: Place; messageId: string } | { error: string }> {
  if (!row.ref_key) {
    if (!row.destination || !row.target_message_id) return { error: "no message to change" };
    return { place: JSON.parse(row.destination) as Place, messageId: row.target_message_id };
  }
  const post = await findOutboxRow(db, row.ref_key);
  if (!post) return { error: `no post with dedupe key ${row.ref_key}` };
  if (post.state !== "sent" || !post.platform_message_id) return { error: `the post ${row.ref_key} was not delivered (${post.state}: ${post.last_error ?? ""})` };
  return { place: JSON.parse(post.delivered_to ?? post.destination ?? "{}") as Place, messageId: post.platform_message_id };
}

/**
 * A failure as a settlement: refused at once, retried at the policy's time, or given up at the
 * limit. A rate limit is waited out without counting as a failed attempt, for as long as the row is
 * younger than the policy's patience.
 */
export function settleFailure(outbox: Outbox, row: OutboxRow, attempts: number, failure: OutboxFailure, ctx: AttemptContext): Settlement {
  const error = `${failure.reason}: ${failure.detail}`;
  if (failure.reason !== "rate-limited" && failure.reason !== "transient") return { state: "refused", error };
  const now = ctx.clock.now().getTime();
  if (failure.reason === "rate-limited") {
    const waited = now - Date.parse(row.created_at);
    if (waited > ctx.policy.rateLimitPatienceMs) return { state: "failed", error: `gave up after ${Math.round(waited / 60_000)} minutes of rate limits: ${error}` };
    return { state: "pending", nextAttemptAt: new Date(now + rateLimitDelay(ctx.policy, failure.retryAfterMs, ctx.random())).toISOString(), uncertain: false, rateLimited: true, error };
  }
  // Failures only: the attempts a rate limit answered (before this one) are not counted.
  const failures = failedAttempts(attempts, row.rate_limited);
  if (failures >= ctx.policy.maxAttempts) return { state: "failed", error: `gave up after ${failures} failed attempts: ${error}` };
  const uncertain = failure.maybeDone;
  let delay = backoffDelay(ctx.policy, failures, ctx.random());
  // After an unconfirmed post, come back while the platform still drops a repeat (Discord's nonce).
  if (uncertain && (row.operation === "post" || row.operation === "dm") && outbox.dedupeWindowMs > 0) delay = Math.min(delay, Math.floor(outbox.dedupeWindowMs / 2));
  return { state: "pending", nextAttemptAt: new Date(now + delay).toISOString(), uncertain, rateLimited: false, error };
}
