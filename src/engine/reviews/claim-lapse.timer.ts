import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/schema.js";
import { defineTimer, scheduleTimer, type TimerContext, type TimerDefinition } from "../../jobs/index.js";
import type { OutboxWriter } from "../outbox/index.js";
import { moveAndShow } from "./card-edits.js";
import { lapsedDm } from "./review-card.js";
import { reviewByNumber, type ReviewRow } from "./reviews.repo.js";

/**
 * Each claim has one durable one-off timer (src/jobs), armed in the claiming transaction at
 * `claim_until` (claimed + `reviews.claimHours`). The runner claims it in the database, so a
 * restart or a second engine fires it once, and one missed while the bot was down fires on start
 * (no grace limit: a stuck claim is worth releasing however late). Its key and payload name the
 * claim by number (`claims`): a request marked done, released, cancelled or claimed again since is
 * no longer on that claim, so the timer finds nothing to do.
 */
export const CLAIM_LAPSE_TIMER = "review-claim-lapse";

export const claimLapsePayload = z.object({ number: z.number().int().positive(), claim: z.number().int().positive() });
export type ClaimLapsePayload = z.infer<typeof claimLapsePayload>;

export const claimTimerKey = (number: number, claim: number) => `review:${number}:claim:${claim}`;

/** Arms the claim's lapse, inside the claiming transaction. */
export async function armClaimLapse(trx: Kysely<Database>, timer: TimerDefinition<ClaimLapsePayload>, r: Pick<ReviewRow, "community_id" | "number" | "claims" | "claim_until">, now: Date): Promise<void> {
  await scheduleTimer(trx, { timer, communityId: r.community_id, key: claimTimerKey(r.number, r.claims), at: new Date(r.claim_until!), payload: { number: r.number, claim: r.claims } }, now);
}

/**
 * Releases the claim `claim` of request `number` if it is still the current, unfinished claim: the
 * card says it lapsed and is open again, and the claimer is told by DM. False when there was
 * nothing to release.
 */
export async function lapseClaim(trx: Transaction<Database>, outbox: OutboxWriter, communityId: string, p: ClaimLapsePayload, now: Date): Promise<boolean> {
  const r = await reviewByNumber(trx, communityId, p.number);
  if (!r || r.status !== "claimed" || r.claims !== p.claim) return false;
  const released = await moveAndShow(
    trx,
    outbox,
    r,
    { status: "open", claimer_id: null, claimer_name: null, claim_key: null, claimed_at: null, claim_until: null, released_id: r.claimer_id, released_name: r.claimer_name, released_how: "lapsed" },
    now,
  );
  if (!released) return false;
  await outbox.enqueue(trx, { communityId, dedupeKey: `review:${communityId}:${r.number}:claim:${p.claim}:lapsed`, operation: "dm", memberId: r.claimer_id!, reply: lapsedDm(r) });
  return true;
}

/** The timer definition: releases the claim it names, if it is still the current one. */
export function claimLapseTimer(deps: { outbox: OutboxWriter }): TimerDefinition<ClaimLapsePayload> {
  return defineTimer({
    name: CLAIM_LAPSE_TIMER,
    payload: claimLapsePayload,
    run: async (ctx: TimerContext<ClaimLapsePayload>) => {
      const lapsed = await lapseClaim(ctx.trx, deps.outbox, ctx.communityId, ctx.payload, ctx.now);
      ctx.log.info({ review: ctx.payload.number, claim: ctx.payload.claim, lapsed, late: ctx.now.getTime() - ctx.scheduledFor.getTime() }, lapsed ? "reviews: claim lapsed, request open again" : "reviews: claim lapse found it finished or claimed again");
    },
  });
}
