import type { Kysely, Transaction } from "kysely";
import type { Actor, MemberRef, Place } from "../../core/identity.js";
import { memberText, mention, type Reply } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import type { OutboxWriter } from "../outbox/index.js";
import type { WriteQueue } from "../write-queue.js";
import { POOL_ACCOUNT } from "./accounts.js";
import { checkCollusion, type FlagSubject } from "./collusion.js";
import { givingWeek, refusalOf, type TipRefusal, weekResetsAt } from "./tip-rules.js";
import { splitTip } from "./tip-split.js";
import { displayNameOf, findTip, givenInWeek, insertTip, type TipRow } from "./tips.repo.js";
import { lockPerson, personOf, postMovement, standingOf } from "./wallet.js";

type Db = Kysely<Database> | Transaction<Database>;

/** A tip as a command or "Tip the author" asks for it. */
export interface TipRequest {
  /** The interaction's natural key: the same interaction tips once. */
  key: string;
  giver: Actor;
  receiver: MemberRef & { isBot?: boolean };
  /** A positive integer (the option schema or the form checked it). */
  amount: number;
  reason?: string;
  /** The message "Tip the author" was used on. */
  sourceMessageKey?: string;
  /** Where the tip was made: a thread gets the receiver's notice, elsewhere it is a DM. */
  place: Place;
  /** The engine's clock (the giving week is counted on it, not on the platform's stamp). */
  now: Date;
}

/** The giver's figures after a tip (or as they stand, for a refusal or a replay). */
export interface GiverFigures {
  balance: number;
  givenThisWeek: number;
  allowance: number;
  /** Allowance left this week. */
  left: number;
  resetsAt: Date;
}

/** What a tip did. A refusal wrote nothing. */
export type TipOutcome =
  | { status: "tipped" | "replayed"; tip: TipRow; giver: GiverFigures; receiverBalance: number; flaggedItem?: number }
  | { status: "refused"; refusal: TipRefusal | { reason: "self" | "same-person" | "bot" }; giver?: GiverFigures };

/**
 * Tips (issue 13): the giver's balance pays, the receiver gets the author share and the community
 * pool the rest (`tip-split.ts`), within the giver's balance, weekly allowance and the per-pair cap
 * (`tip-rules.ts`), all counted per person. One transaction through the write queue, after a lock on
 * the giver's person, holds the checks, the wallet movement, the `tips` row, the receiver's notice
 * (outbox) and a collusion flag (moderation queue): all or nothing, and a replayed interaction
 * finds its tip and moves nothing.
 */
export class TipsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: WriteQueue,
    private readonly outbox: OutboxWriter,
    private readonly flag: FlagSubject | undefined,
  ) {}

  tip(community: Community, r: TipRequest): Promise<TipOutcome> {
    if (r.receiver.isBot || r.giver.isBot) return Promise.resolve({ status: "refused", refusal: { reason: "bot" } });
    if (r.receiver.id === r.giver.id) return Promise.resolve({ status: "refused", refusal: { reason: "self" } });
    if (!Number.isSafeInteger(r.amount) || r.amount < 1) throw new RangeError(`tip amount ${r.amount} is not a positive integer`);
    // Refusals are returned, never thrown, inside the transaction: a throw would roll back the
    // write queue's whole batch (and retry the others one by one).
    return this.writes.submit((trx) => this.tipIn(trx, community, r));
  }

  /** The giver's figures as committed (for `/wallet`). */
  figures(community: Community, memberId: string, now: Date): Promise<GiverFigures> {
    return this.figuresIn(this.db, community, memberId, now);
  }

  private async tipIn(trx: Transaction<Database>, community: Community, r: TipRequest): Promise<TipOutcome> {
    const replayed = await findTip(trx, community.id, r.key);
    if (replayed) return this.answerReplay(trx, community, replayed, r.now);

    const giverPerson = await personOf(trx, community.id, r.giver.id);
    const receiverPerson = await personOf(trx, community.id, r.receiver.id);
    if (giverPerson === receiverPerson) return { status: "refused", refusal: { reason: "same-person" } };
    // Every spender of this person waits here, so the balance read below is still true at commit.
    await lockPerson(trx, community.id, giverPerson);

    const rules = community.settings.economy;
    const week = givingWeek(r.now, community.settings.timezone);
    const giver = await this.figuresIn(trx, community, r.giver.id, r.now);
    const refusal = refusalOf({
      amount: r.amount,
      authorShare: rules.authorShare,
      balance: giver.balance,
      givenThisWeek: giver.givenThisWeek,
      weeklyAllowance: rules.weeklyAllowance,
      givenToReceiverThisWeek: await givenInWeek(trx, community.id, giverPerson, week, receiverPerson),
      pairWeeklyCap: rules.pairWeeklyCap,
    });
    if (refusal) return { status: "refused", refusal, giver };

    const split = splitTip(r.amount, rules.authorShare);
    const at = r.now.toISOString();
    const tip: TipRow = {
      community_id: community.id,
      key: r.key,
      giver_id: r.giver.id,
      giver_person: giverPerson,
      giver_name: r.giver.displayName,
      receiver_id: r.receiver.id,
      receiver_person: receiverPerson,
      receiver_name: r.receiver.displayName ?? (await displayNameOf(trx, community.id, r.receiver.id)) ?? r.receiver.id.split(":").pop() ?? r.receiver.id,
      amount: r.amount,
      author_share: split.author,
      pool_share: split.pool,
      week,
      at,
      reason: r.reason ?? null,
      source_message_key: r.sourceMessageKey ?? null,
    };
    await insertTip(trx, tip);
    const posted = await postMovement(trx, community.id, {
      causeKey: `tip:${r.key}`,
      kind: "tip",
      at,
      memo: `tip to ${r.receiver.id}`,
      legs: [
        { account: r.giver.id, amount: -r.amount },
        { account: r.receiver.id, amount: split.author },
        { account: POOL_ACCOUNT, amount: split.pool },
      ],
    });
    // The tips row and the movement share the interaction's key: one without the other is a bug.
    if (!posted) throw new Error(`tip ${r.key}: its wallet movement was posted before its tips row`);

    const receiverBalance = (await standingOf(trx, community.id, r.receiver.id)).balance;
    await this.outbox.enqueue(trx, { ...this.noticeTo(r), communityId: community.id, dedupeKey: `tip:${community.id}:${r.key}`, reply: receiverNotice(tip, receiverBalance) });
    const item = this.flag ? await checkCollusion(trx, community, tip, r.place, this.flag) : undefined;
    const after = await this.figuresIn(trx, community, r.giver.id, r.now);
    return { status: "tipped", tip, giver: after, receiverBalance, ...(item ? { flaggedItem: item.number } : {}) };
  }

  /** In the thread the tip was made in, else privately. */
  private noticeTo(r: TipRequest): { operation: "post"; to: Place } | { operation: "dm"; memberId: string } {
    return r.place.threadId ? { operation: "post", to: r.place } : { operation: "dm", memberId: r.receiver.id };
  }

  private async answerReplay(db: Db, community: Community, tip: TipRow, now: Date): Promise<TipOutcome> {
    const giver = await this.figuresIn(db, community, tip.giver_id, now);
    const receiverBalance = (await standingOf(db, community.id, tip.receiver_id)).balance;
    return { status: "replayed", tip, giver, receiverBalance };
  }

  private async figuresIn(db: Db, community: Community, memberId: string, now: Date): Promise<GiverFigures> {
    const standing = await standingOf(db, community.id, memberId);
    const givenThisWeek = await givenInWeek(db, community.id, standing.personId, givingWeek(now, community.settings.timezone));
    const allowance = community.settings.economy.weeklyAllowance;
    return { balance: standing.balance, givenThisWeek, allowance, left: Math.max(0, allowance - givenThisWeek), resetsAt: weekResetsAt(now, community.settings.timezone) };
  }
}

/** What the receiver is told (by DM, or in the thread): who, how much, their share and new balance. */
export function receiverNotice(tip: TipRow, balance: number): Reply {
  const giver = mention({ id: tip.giver_id, displayName: tip.giver_name });
  const receiver = mention({ id: tip.receiver_id, displayName: tip.receiver_name });
  const why = tip.reason ? ` (“${memberText(tip.reason)}”)` : "";
  const pool = tip.pool_share > 0 ? ` (the community pool keeps ${tip.pool_share})` : "";
  return { text: `💸 ${receiver}, ${giver} tipped you ${tip.amount} points${why}: you get ${tip.author_share}${pool}. Your balance: ${balance} points.`, tone: "success" };
}
