import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/schema.js";
import { defineTimer, scheduleTimer, type TimerContext, type TimerDefinition } from "../../jobs/index.js";
import type { OutboxWriter } from "../outbox/index.js";
import { escrowAccount } from "./accounts.js";
import { type BountyRow, bountyById, settleBounty } from "./bounties.repo.js";
import { expiredNotice } from "./bounty-replies.js";
import { postMovement, standingOf } from "./wallet.js";

/**
 * Each open bounty has one durable one-off timer (src/jobs), armed in the transaction that posted
 * it, at `expires_at`. The runner claims it in the database, so a restart or a second engine fires
 * it once, and one missed while the bot was down fires on start (no grace limit: a refund is owed
 * however late). Firing refunds the escrow to the poster (`bounty:<id>:refund`), marks the bounty
 * expired and DMs the poster, all in the timer's transaction. A bounty awarded first is no longer
 * open, so its timer does nothing.
 */
export const BOUNTY_EXPIRY_TIMER = "bounty-expiry";

export const bountyExpiryPayload = z.object({ bountyId: z.string() });
export type BountyExpiryPayload = z.infer<typeof bountyExpiryPayload>;

/** The timer's key: one per bounty, so arming it again (a replay) changes nothing. */
export const bountyTimerKey = (bountyId: string) => `bounty:${bountyId}`;

/** Arms the bounty's expiry, inside the posting transaction. */
export async function armBountyExpiry(trx: Kysely<Database>, timer: TimerDefinition<BountyExpiryPayload>, bounty: Pick<BountyRow, "id" | "community_id" | "expires_at">, now: Date): Promise<void> {
  await scheduleTimer(trx, { timer, communityId: bounty.community_id, key: bountyTimerKey(bounty.id), at: new Date(bounty.expires_at), payload: { bountyId: bounty.id } }, now);
}

/**
 * Refunds an open bounty to its poster and tells them; false when it was no longer open (awarded
 * first, or already expired). Idempotent: the claim and the refund are keyed by the bounty.
 */
export async function expireBounty(trx: Transaction<Database>, outbox: OutboxWriter, communityId: string, bountyId: string, now: Date): Promise<boolean> {
  const bounty = await bountyById(trx, communityId, bountyId);
  if (!bounty || bounty.status !== "open") return false;
  const at = now.toISOString();
  if (!(await settleBounty(trx, bounty, { status: "expired", settled_by: "@expiry", settle_key: `timer:${BOUNTY_EXPIRY_TIMER}:${bountyTimerKey(bounty.id)}`, settled_at: at }))) return false;
  await postMovement(trx, communityId, {
    causeKey: `bounty:${bounty.id}:refund`,
    kind: "bounty-refund",
    at,
    memo: `bounty ${bounty.id} expired`,
    legs: [
      { account: escrowAccount(bounty.id), amount: -bounty.amount },
      { account: bounty.poster_id, amount: bounty.amount },
    ],
  });
  const { balance } = await standingOf(trx, communityId, bounty.poster_id);
  await outbox.enqueue(trx, { communityId, dedupeKey: `bounty:${communityId}:${bounty.id}:expired`, operation: "dm", memberId: bounty.poster_id, reply: expiredNotice(bounty, balance) });
  return true;
}

/** The timer definition: expires the bounty it names, if it is still open. */
export function bountyExpiryTimer(deps: { outbox: OutboxWriter }): TimerDefinition<BountyExpiryPayload> {
  return defineTimer({
    name: BOUNTY_EXPIRY_TIMER,
    payload: bountyExpiryPayload,
    run: async (ctx: TimerContext<BountyExpiryPayload>) => {
      const expired = await expireBounty(ctx.trx, deps.outbox, ctx.communityId, ctx.payload.bountyId, ctx.now);
      ctx.log.info({ bounty: ctx.payload.bountyId, expired, late: ctx.now.getTime() - ctx.scheduledFor.getTime() }, expired ? "economy: bounty expired and refunded" : "economy: bounty expiry found it settled already");
    },
  });
}
