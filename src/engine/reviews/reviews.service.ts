import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Actor, Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { TimerDefinition } from "../../jobs/index.js";
import type { Community } from "../communities/community.repo.js";
import { personOf } from "../economy/wallet.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import { cleanDisplayName } from "../points/display-name.js";
import type { PointsService } from "../points/points.service.js";
import type { WriteQueue } from "../write-queue.js";
import { moveAndShow } from "./card-edits.js";
import { armClaimLapse, type ClaimLapsePayload } from "./claim-lapse.timer.js";
import { cancelledDm, reviewCard, thankedDm } from "./review-card.js";
import type { ReviewSubject } from "./review-subject.js";
import * as repo from "./reviews.repo.js";
import type { ReviewRow } from "./reviews.repo.js";

type Trx = Transaction<Database>;

/** A conditional write found the request moved on meanwhile: read it again and decide again. */
const RACED = Symbol("raced");
type Raced = typeof RACED;
type Ended = "done" | "cancelled";

/** What `/review request` did: posted the card (or found it had, on a replay), or why not. */
export type RequestOutcome = { ok: true; replayed: boolean; review: ReviewRow } | { ok: false; reason: "no-channel" };

/** What a claim did. `replayed`: the actor already had it (the same press again, or a second one). */
export type ClaimOutcome =
  | { ok: true; replayed: boolean; review: ReviewRow }
  | { ok: false; reason: "none" }
  | { ok: false; reason: "bot" }
  | { ok: false; reason: "own" | "taken" | Ended; review: ReviewRow };

/** What marking done did. `replayed`: it was already done (a replay or a double press). */
export type DoneOutcome =
  | { ok: true; replayed: boolean; review: ReviewRow }
  | { ok: false; reason: "none" }
  | { ok: false; reason: "not-requester" | "unclaimed" | "cancelled"; review: ReviewRow };

/** What a release (unclaim) did. */
export type ReleaseOutcome = { ok: true; review: ReviewRow } | { ok: false; reason: "none" } | { ok: false; reason: "not-claimer" | "unclaimed" | Ended; review: ReviewRow };

/** What a cancel did. `replayed`: it was already cancelled. */
export type CancelOutcome = { ok: true; replayed: boolean; review: ReviewRow } | { ok: false; reason: "none" } | { ok: false; reason: "not-allowed" | "done"; review: ReviewRow };

/** One member's action on request #number, keyed by its interaction. */
export interface ReviewAction {
  key: string;
  actor: Actor;
  number: number;
}

/**
 * Code-review requests (issue 14): a member asks for a review; the card in `channels.reviews`
 * offers Claim; the claimer reviews in the card's thread; the requester marks it done and the
 * reviewer earns `reviews.points` once, outside the daily cap (a ledger row keyed by the request);
 * a claim not done within `reviews.claimHours` is released by a durable timer. Every change is a
 * conditional move of the request's row (the first of two racing presses wins) and an edit of the
 * card, in one transaction through the write queue. See docs/code-reviews.md.
 */
export class ReviewsService {
  constructor(private readonly deps: { db: Kysely<Database>; writes: WriteQueue; clock: Clock; outbox: OutboxWriter; points: PointsService; timer: () => TimerDefinition<ClaimLapsePayload> }) {}

  /** Posts request #n's card in `channels.reviews`, keyed by the interaction `key`. */
  request(community: Community, input: { key: string; requester: Actor; subject: Extract<ReviewSubject, { ok: true }>; description?: string }): Promise<RequestOutcome> {
    return this.deps.writes.submit(async (trx): Promise<RequestOutcome> => {
      const replay = await repo.reviewByRequestKey(trx, community.id, input.key);
      if (replay) return { ok: true, replayed: true, review: replay };
      const to = settingPlace(community.settings.channels.reviews);
      if (!to) return { ok: false, reason: "no-channel" };
      const now = this.deps.clock.now().toISOString();
      const number = await repo.nextReviewNumber(trx, community.id);
      const review: ReviewRow = {
        community_id: community.id,
        number,
        request_key: input.key,
        requester_id: input.requester.id,
        requester_name: nameOf(input.requester),
        subject_kind: input.subject.kind,
        subject: input.subject.value,
        description: input.description?.trim() || null,
        card_place: JSON.stringify(to),
        card_key: `review:${community.id}:${number}:card`,
        revision: 0,
        status: "open",
        claims: 0,
        claimer_id: null,
        claimer_name: null,
        claim_key: null,
        claimed_at: null,
        claim_until: null,
        released_id: null,
        released_name: null,
        released_how: null,
        closed_by: null,
        close_key: null,
        closed_at: null,
        points: null,
        created_at: now,
        updated_at: now,
      };
      await repo.insertReview(trx, review);
      await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: review.card_key, operation: "post", to, reply: reviewCard(review) });
      return { ok: true, replayed: false, review };
    });
  }

  /** The actor claims request #n: not their own, not one someone else has. Arms the lapse timer. */
  claim(community: Community, a: ReviewAction): Promise<ClaimOutcome> {
    return this.deps.writes.submit((trx) => this.once(() => this.claimIn(trx, community, a)));
  }

  private async claimIn(trx: Trx, community: Community, a: ReviewAction): Promise<ClaimOutcome | Raced> {
    const r = await repo.reviewByNumber(trx, community.id, a.number);
    if (!r) return { ok: false, reason: "none" };
    if (a.actor.isBot) return { ok: false, reason: "bot" };
    if (r.status === "done" || r.status === "cancelled") return { ok: false, reason: r.status, review: r };
    if (r.status === "claimed") {
      if (await this.samePerson(trx, community, r.claimer_id!, a.actor.id)) return { ok: true, replayed: true, review: r };
      return { ok: false, reason: "taken", review: r };
    }
    if (await this.samePerson(trx, community, r.requester_id, a.actor.id)) return { ok: false, reason: "own", review: r };
    const now = this.deps.clock.now();
    const until = new Date(now.getTime() + community.settings.reviews.claimHours * 3_600_000);
    const claimed = await moveAndShow(
      trx,
      this.deps.outbox,
      r,
      { status: "claimed", claims: r.claims + 1, claimer_id: a.actor.id, claimer_name: nameOf(a.actor), claim_key: a.key, claimed_at: now.toISOString(), claim_until: until.toISOString(), released_id: null, released_name: null, released_how: null },
      now,
    );
    if (!claimed) return RACED;
    await armClaimLapse(trx, this.deps.timer(), claimed, now);
    return { ok: true, replayed: false, review: claimed };
  }

  /**
   * The requester marks request #n done: the reviewer earns `reviews.points` once (the ledger row
   * `review:<community>:<n>:reviewer`, outside the daily cap), the card says done and the reviewer
   * is told, all in one transaction.
   */
  done(community: Community, a: ReviewAction): Promise<DoneOutcome> {
    return this.deps.writes.submit((trx) => this.once(() => this.doneIn(trx, community, a)));
  }

  private async doneIn(trx: Trx, community: Community, a: ReviewAction): Promise<DoneOutcome | Raced> {
    const r = await repo.reviewByNumber(trx, community.id, a.number);
    if (!r) return { ok: false, reason: "none" };
    if (!(await this.samePerson(trx, community, r.requester_id, a.actor.id))) return { ok: false, reason: "not-requester", review: r };
    if (r.status === "done") return { ok: true, replayed: true, review: r };
    if (r.status === "cancelled") return { ok: false, reason: "cancelled", review: r };
    if (r.status === "open") return { ok: false, reason: "unclaimed", review: r };
    const now = this.deps.clock.now();
    const amount = community.settings.reviews.points;
    const done = await moveAndShow(trx, this.deps.outbox, r, { status: "done", closed_by: a.actor.id, close_key: a.key, closed_at: now.toISOString(), points: amount }, now);
    if (!done) return RACED;
    if (amount > 0) {
      await this.deps.points.adjustIn(trx, community, {
        key: `review:${community.id}:${r.number}:reviewer`,
        member: { id: r.claimer_id!, displayName: r.claimer_name ?? undefined },
        amount,
        reason: "review:done",
        sourceKey: `review:${community.id}:${r.number}`,
        at: now,
        place: JSON.parse(r.card_place) as Place,
      });
    }
    await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `review:${community.id}:${r.number}:done`, operation: "dm", memberId: r.claimer_id!, reply: thankedDm(done) });
    return { ok: true, replayed: false, review: done };
  }

  /** The claimer lets request #n go: it is open again (their lapse timer then finds nothing to do). */
  release(community: Community, a: ReviewAction): Promise<ReleaseOutcome> {
    return this.deps.writes.submit((trx) => this.once(() => this.releaseIn(trx, community, a)));
  }

  private async releaseIn(trx: Trx, community: Community, a: ReviewAction): Promise<ReleaseOutcome | Raced> {
    const r = await repo.reviewByNumber(trx, community.id, a.number);
    if (!r) return { ok: false, reason: "none" };
    if (r.status === "done" || r.status === "cancelled") return { ok: false, reason: r.status, review: r };
    if (r.status === "open") return { ok: false, reason: "unclaimed", review: r };
    if (!(await this.samePerson(trx, community, r.claimer_id!, a.actor.id))) return { ok: false, reason: "not-claimer", review: r };
    const now = this.deps.clock.now();
    const released = await moveAndShow(
      trx,
      this.deps.outbox,
      r,
      { status: "open", claimer_id: null, claimer_name: null, claim_key: null, claimed_at: null, claim_until: null, released_id: r.claimer_id, released_name: r.claimer_name, released_how: "released" },
      now,
    );
    if (!released) return RACED;
    return { ok: true, review: released };
  }

  /** The requester (or a moderator) withdraws request #n; a reviewer who had claimed it is told. */
  cancel(community: Community, a: ReviewAction & { isModerator: boolean }): Promise<CancelOutcome> {
    return this.deps.writes.submit((trx) => this.once(() => this.cancelIn(trx, community, a)));
  }

  private async cancelIn(trx: Trx, community: Community, a: ReviewAction & { isModerator: boolean }): Promise<CancelOutcome | Raced> {
    const r = await repo.reviewByNumber(trx, community.id, a.number);
    if (!r) return { ok: false, reason: "none" };
    if (!a.isModerator && !(await this.samePerson(trx, community, r.requester_id, a.actor.id))) return { ok: false, reason: "not-allowed", review: r };
    if (r.status === "cancelled") return { ok: true, replayed: true, review: r };
    if (r.status === "done") return { ok: false, reason: "done", review: r };
    const now = this.deps.clock.now();
    const cancelled = await moveAndShow(trx, this.deps.outbox, r, { status: "cancelled", closed_by: a.actor.id, close_key: a.key, closed_at: now.toISOString() }, now);
    if (!cancelled) return RACED;
    if (r.status === "claimed") await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `review:${community.id}:${r.number}:cancelled`, operation: "dm", memberId: r.claimer_id!, reply: cancelledDm(cancelled) });
    return { ok: true, replayed: false, review: cancelled };
  }

  /** Open and claimed requests, oldest first; and how many there are in all. */
  async waiting(community: Community, limit: number): Promise<{ reviews: ReviewRow[]; total: number }> {
    return { reviews: await repo.waitingReviews(this.deps.db, community.id, limit), total: await repo.countWaitingReviews(this.deps.db, community.id) };
  }

  /** Request #n as committed. */
  byNumber(community: Community, number: number): Promise<ReviewRow | undefined> {
    return repo.reviewByNumber(this.deps.db, community.id, number);
  }

  /** Whether two members are one person (linked accounts count as the same member). */
  private async samePerson(trx: Trx, community: Community, a: string, b: string): Promise<boolean> {
    return a === b || (await personOf(trx, community.id, a)) === (await personOf(trx, community.id, b));
  }

  /**
   * Decides once more when the row moved between our read and our conditional write — only another
   * process on the same Postgres can do that, since one write queue runs one transaction at a time.
   * The transaction sees the other's commit on the next read (read committed), so the second
   * decision answers as if we had come second.
   */
  private async once<T>(decide: () => Promise<T | Raced>): Promise<T> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await decide();
      if (outcome !== RACED) return outcome as T;
    }
    throw new Error("reviews: the request kept changing under a decision");
  }
}

function nameOf(actor: Actor): string {
  return cleanDisplayName(actor.displayName, actor.userId);
}
