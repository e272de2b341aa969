import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Actor, MemberRef } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { TimerDefinition } from "../../jobs/index.js";
import type { Community } from "../communities/community.repo.js";
import type { OutboxWriter } from "../outbox/index.js";
import type { WriteQueue } from "../write-queue.js";
import { escrowAccount } from "./accounts.js";
import * as repo from "./bounties.repo.js";
import type { BountyRow } from "./bounties.repo.js";
import { armBountyExpiry, type BountyExpiryPayload } from "./bounty-expiry.timer.js";
import type { BountyQuestion } from "./bounty-question.js";
import { awardedNotice } from "./bounty-replies.js";
import { lockPerson, personOf, postMovement, standingOf } from "./wallet.js";

/** What `/bounty post` did: escrowed (or found it had, on a replay), or why it wrote nothing. */
export type PostOutcome =
  | { ok: true; replayed: boolean; bounty: BountyRow; balance: number }
  | { ok: false; reason: "below-min"; min: number }
  | { ok: false; reason: "short"; balance: number }
  | { ok: false; reason: "open"; bounty: BountyRow }
  | { ok: false; reason: "solved"; bounty: BountyRow };

/** What `/bounty award` did: paid (or found it had, on a replay), or why it wrote nothing. */
export type AwardOutcome =
  | { ok: true; replayed: boolean; bounty: BountyRow }
  | { ok: false; reason: "none" }
  | { ok: false; reason: "awarded" | "expired" | "not-allowed"; bounty: BountyRow }
  | { ok: false; reason: "self" | "bot" };

/** An award as the knowledge capability makes it, when an answer is marked as the solution. */
export interface AwardRequest {
  questionKey: string;
  answererId: string;
  /** Who marked the solution (recorded as who awarded it). */
  byId: string;
  /** The natural key of the mark (its interaction or reaction). */
  causeKey: string;
  at: Date;
}

const DAY_MS = 86_400_000;

/**
 * Bounties: a member puts points from their spendable balance on a question (escrow
 * `@escrow:<id>`); the poster or a moderator awards them to whoever answered, or an expiry timer
 * refunds them. Every movement is a wallet movement keyed by the bounty (`bounty:<id>:escrow`,
 * `:award`, `:refund`) and the bounty row's move out of `open` is the claim, so an escrow is paid
 * out once, to the answerer or back to the poster. XP is never touched. See docs/economy-bounties.md.
 */
export class BountiesService {
  constructor(private readonly deps: { db: Kysely<Database>; writes: WriteQueue; clock: Clock; outbox: OutboxWriter; timer: () => TimerDefinition<BountyExpiryPayload> }) {}

  /** Escrows `amount` from the poster on `question`, keyed by the interaction `key`. */
  post(community: Community, input: { key: string; poster: Actor; question: BountyQuestion; amount: number }): Promise<PostOutcome> {
    return this.deps.writes.submit(async (trx): Promise<PostOutcome> => {
      const now = this.deps.clock.now();
      const id = repo.bountyId(community.id, input.key);
      const replay = await repo.bountyById(trx, community.id, id);
      if (replay) return { ok: true, replayed: true, bounty: replay, balance: (await standingOf(trx, community.id, input.poster.id)).balance };
      const min = community.settings.economy.minBounty;
      if (!Number.isSafeInteger(input.amount) || input.amount < min) return { ok: false, reason: "below-min", min };
      const latest = await repo.latestBountyOn(trx, community.id, input.question.key);
      if (latest?.status === "open") return { ok: false, reason: "open", bounty: latest };
      if (latest?.status === "awarded") return { ok: false, reason: "solved", bounty: latest };
      await lockPerson(trx, community.id, await personOf(trx, community.id, input.poster.id));
      const { balance } = await standingOf(trx, community.id, input.poster.id);
      if (balance < input.amount) return { ok: false, reason: "short", balance };
      const bounty: BountyRow = {
        community_id: community.id,
        id,
        cause_key: input.key,
        question_key: input.question.key,
        question_place: input.question.thread ? JSON.stringify(input.question.thread) : null,
        question_link: input.question.link ?? null,
        poster_id: input.poster.id,
        poster_name: input.poster.displayName,
        amount: input.amount,
        status: "open",
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + community.settings.economy.bountyDays * DAY_MS).toISOString(),
        answerer_id: null,
        answerer_name: null,
        settled_by: null,
        settle_key: null,
        settled_at: null,
      };
      if (!(await repo.insertBounty(trx, bounty))) {
        // Another process opened one on this question between our read and our write.
        const open = await repo.openBountyOn(trx, community.id, input.question.key);
        if (open) return { ok: false, reason: "open", bounty: open };
        throw new Error(`bounty ${id} could not be written`);
      }
      await postMovement(trx, community.id, {
        causeKey: `bounty:${id}:escrow`,
        kind: "bounty-escrow",
        at: bounty.created_at,
        memo: `bounty on ${bounty.question_key}`,
        legs: [
          { account: input.poster.id, amount: -input.amount },
          { account: escrowAccount(id), amount: input.amount },
        ],
      });
      await armBountyExpiry(trx, this.deps.timer(), bounty, now);
      return { ok: true, replayed: false, bounty, balance: balance - input.amount };
    });
  }

  /**
   * `/bounty award`: pays the whole escrow of the question's open bounty to `answerer`, if `actor`
   * posted it (the same person, on any linked platform) or `isModerator`.
   */
  award(community: Community, input: { key: string; actor: Actor; isModerator: boolean; questionKey: string; answerer: MemberRef }): Promise<AwardOutcome> {
    return this.deps.writes.submit(async (trx): Promise<AwardOutcome> => {
      const latest = await repo.latestBountyOn(trx, community.id, input.questionKey);
      if (!latest) return { ok: false, reason: "none" };
      if (latest.status === "awarded" && latest.settle_key === input.key) return { ok: true, replayed: true, bounty: latest };
      if (latest.status !== "open") return { ok: false, reason: latest.status, bounty: latest };
      const actorPerson = await personOf(trx, community.id, input.actor.id);
      const posterPerson = await personOf(trx, community.id, latest.poster_id);
      if (actorPerson !== posterPerson && !input.isModerator) return { ok: false, reason: "not-allowed", bounty: latest };
      if (input.answerer.isBot) return { ok: false, reason: "bot" };
      if ((await personOf(trx, community.id, input.answerer.id)) === posterPerson) return { ok: false, reason: "self" };
      const name = input.answerer.displayName ?? (await displayName(trx, community.id, input.answerer.id));
      const bounty = await this.payOut(trx, community, latest, { answererId: input.answerer.id, answererName: name, byId: input.actor.id, causeKey: input.key, at: this.deps.clock.now() });
      return bounty ? { ok: true, replayed: false, bounty } : { ok: false, reason: "none" };
    });
  }

  /**
   * For the knowledge capability, inside its own transaction (an answer marked as the solution):
   * pays the question's open bounty to the answerer and returns how much was paid — 0 when the
   * question has no open bounty or the answerer is the poster (the bounty then stays open).
   */
  async awardIn(trx: Transaction<Database>, community: Community, request: AwardRequest): Promise<number> {
    const open = await repo.openBountyOn(trx, community.id, request.questionKey);
    if (!open) return 0;
    if ((await personOf(trx, community.id, request.answererId)) === (await personOf(trx, community.id, open.poster_id))) return 0;
    const name = await displayName(trx, community.id, request.answererId);
    const paid = await this.payOut(trx, community, open, { answererId: request.answererId, answererName: name, byId: request.byId, causeKey: request.causeKey, at: request.at });
    return paid ? paid.amount : 0;
  }

  /** Open bounties, largest first, then oldest; and how many are open in all. */
  async open(community: Community, limit: number): Promise<{ bounties: BountyRow[]; total: number }> {
    return { bounties: await repo.openBounties(this.deps.db, community.id, limit), total: await repo.countOpenBounties(this.deps.db, community.id) };
  }

  /** The question's latest bounty, whatever became of it (as committed). */
  latestOn(community: Community, questionKey: string): Promise<BountyRow | undefined> {
    return repo.latestBountyOn(this.deps.db, community.id, questionKey);
  }

  /** Claims the bounty, moves its escrow to the answerer and tells them; undefined if it was no longer open. */
  private async payOut(trx: Transaction<Database>, community: Community, bounty: BountyRow, a: { answererId: string; answererName: string; byId: string; causeKey: string; at: Date }): Promise<BountyRow | undefined> {
    const at = a.at.toISOString();
    const settled = { status: "awarded" as const, settled_by: a.byId, settle_key: a.causeKey, settled_at: at, answerer_id: a.answererId, answerer_name: a.answererName };
    if (!(await repo.settleBounty(trx, bounty, settled))) return undefined;
    await postMovement(trx, community.id, {
      causeKey: `bounty:${bounty.id}:award`,
      kind: "bounty-award",
      at,
      memo: `bounty ${bounty.id} awarded by ${a.byId}`,
      legs: [
        { account: escrowAccount(bounty.id), amount: -bounty.amount },
        { account: a.answererId, amount: bounty.amount },
      ],
    });
    const done: BountyRow = { ...bounty, ...settled };
    const dedupeKey = `bounty:${community.id}:${bounty.id}:awarded`;
    const reply = awardedNotice(done, bounty.question_place !== null);
    if (bounty.question_place) await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey, operation: "post", to: JSON.parse(bounty.question_place), reply });
    else await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey, operation: "dm", memberId: a.answererId, reply });
    return done;
  }
}

async function displayName(db: Kysely<Database>, communityId: string, memberId: string): Promise<string> {
  const row = await db.selectFrom("members").select("display_name").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row?.display_name ?? memberId.split(":").pop() ?? memberId;
}
