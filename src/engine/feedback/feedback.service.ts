import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Actor } from "../../core/identity.js";
import { mention, time } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import type { OutboxWriter } from "../outbox/index.js";
import { cleanDisplayName } from "../points/display-name.js";
import { code } from "../talks/talk-codes.js";
import type { WriteQueue } from "../write-queue.js";
import { lockNumbering } from "../numbering.js";
import { answeredDm, closedDm, feedbackCard } from "./feedback-replies.js";
import { checkedText, DAILY_LIMIT, DAY_MS, FeedbackRefusal, feedbackPlace } from "./feedback-rules.js";
import * as repo from "./feedback.repo.js";
import type { FeedbackRow } from "./feedback.repo.js";

export type { FeedbackRow } from "./feedback.repo.js";

type Trx = Transaction<Database>;

/** Whether a call did the work, or found it already done by the same interaction (a replay). */
export type Outcome = "done" | "replayed";

/** What `/feedback list` shows: the open ones (and how many in all), then the latest decided. */
export interface FeedbackOverview {
  open: FeedbackRow[];
  openCount: number;
  decided: FeedbackRow[];
}

interface FeedbackDeps {
  db: Kysely<Database>;
  writes: WriteQueue;
  clock: Clock;
  outbox: OutboxWriter;
}

const LIST_OPEN = 20;
const LIST_DECIDED = 10;
const MINE = 10;

/**
 * Member feedback: `/feedback send` puts a numbered card in front of the organizers (see
 * {@link feedbackPlace}) with Answer and Close; answering DMs the member the answer, closing tells
 * them it was closed, and either edits the card — the decision, the edit and the DM in one
 * transaction through the outbox. Every write is keyed by its interaction: a replayed send posts
 * one card, a replayed answer sends one DM, and a second organizer's press finds it decided.
 */
export class FeedbackService {
  constructor(private readonly deps: FeedbackDeps) {}

  send(community: Community, actor: Actor, key: string, text: string): Promise<{ outcome: Outcome; feedback: FeedbackRow }> {
    return this.deps.writes.submit(async (trx) => {
      // Postgres: the replay check, the daily limit's count and the number read below are one
      // step per community, whichever process takes the send (numbering.ts).
      await lockNumbering(trx, community.id, "feedback");
      const before = await repo.byKey(trx, community.id, key);
      if (before) return { outcome: "replayed" as const, feedback: before };
      const body = checkedText(text, "feedback");
      const to = feedbackPlace(community.settings);
      if (!to) {
        throw new FeedbackRefusal(
          "Nothing was sent: the organizers haven't set a channel for feedback yet. An admin can set one with `/config set channels.feedback #channel` (or `talks.organizersChannel`, or `channels.modQueue`).",
        );
      }
      const now = this.deps.clock.now();
      const recent = await repo.sentSince(trx, community.id, actor.id, new Date(now.getTime() - DAY_MS).toISOString());
      if (recent.length >= DAILY_LIMIT) {
        const again = new Date(new Date(recent[recent.length - DAILY_LIMIT]!).getTime() + DAY_MS);
        throw new FeedbackRefusal(`Nothing was sent: you've sent ${DAILY_LIMIT} pieces of feedback in the last 24 hours, the most accepted. You can send more ${time(again, "relative")}.`);
      }
      const id = `F${code(10)}`;
      const feedback: FeedbackRow = {
        id,
        community_id: community.id,
        number: await repo.nextNumber(trx, community.id),
        key,
        member_id: actor.id,
        member_name: cleanDisplayName(actor.displayName, actor.userId),
        text: body,
        card_key: `feedback:${community.id}:${id}`,
        state: "open",
        answer: null,
        reason: null,
        decided_by: null,
        decided_by_name: null,
        decided_key: null,
        created_at: now.toISOString(),
        decided_at: null,
      };
      await repo.insert(trx, feedback);
      await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: feedback.card_key, operation: "post", to, reply: feedbackCard(feedback) });
      return { outcome: "done" as const, feedback };
    });
  }

  /** By the id a card's button carries; undefined if there is none in this community. */
  find(community: Community, id: string): Promise<FeedbackRow | undefined> {
    return repo.byId(this.deps.db, community.id, id);
  }

  /** By the number organizers type; refuses an unknown one. */
  async numbered(community: Community, number: number): Promise<FeedbackRow> {
    const found = await repo.byNumber(this.deps.db, community.id, number);
    if (!found) throw new FeedbackRefusal(`There is no feedback #${number}. /feedback list shows them.`);
    return found;
  }

  /** Answers open feedback `id`: the member gets `text` by DM and the card says who answered, when. */
  async answer(community: Community, actor: Actor, id: string, key: string, text: string): Promise<{ outcome: Outcome; feedback: FeedbackRow }> {
    return this.decide(community, actor, id, key, { state: "answered", answer: checkedText(text, "answer"), reason: null });
  }

  /** Closes open feedback `id` (with an optional reason): the member is told, the card edited. */
  async close(community: Community, actor: Actor, id: string, key: string, reason: string | undefined): Promise<{ outcome: Outcome; feedback: FeedbackRow }> {
    const why = reason === undefined || reason.trim() === "" ? null : checkedText(reason, "reason");
    return this.decide(community, actor, id, key, { state: "closed", answer: null, reason: why });
  }

  /** Open feedback (oldest first), then the latest answered or closed. */
  async overview(community: Community): Promise<FeedbackOverview> {
    const [open, openCount, decided] = await Promise.all([repo.open(this.deps.db, community.id, LIST_OPEN), repo.openCount(this.deps.db, community.id), repo.recentlyDecided(this.deps.db, community.id, LIST_DECIDED)]);
    return { open, openCount, decided };
  }

  /** A member's own feedback, newest first. */
  mine(community: Community, memberId: string): Promise<FeedbackRow[]> {
    return repo.ofMember(this.deps.db, community.id, memberId, MINE);
  }

  private decide(community: Community, actor: Actor, id: string, key: string, what: { state: "answered" | "closed"; answer: string | null; reason: string | null }): Promise<{ outcome: Outcome; feedback: FeedbackRow }> {
    return this.deps.writes.submit(async (trx) => {
      const f = await repo.byId(trx, community.id, id);
      if (!f) throw new FeedbackRefusal("That feedback no longer exists.");
      if (f.decided_key === key) return { outcome: "replayed" as const, feedback: f };
      if (f.state !== "open") throw new FeedbackRefusal(alreadyDecided(f));
      const decision = { ...what, decided_by: actor.id, decided_by_name: cleanDisplayName(actor.displayName, actor.userId), decided_key: key, decided_at: this.deps.clock.now().toISOString() };
      if (!(await repo.decide(trx, f.id, decision))) throw new FeedbackRefusal(`Feedback #${f.number} changed just now; look again with /feedback list.`);
      const decided: FeedbackRow = { ...f, ...decision };
      await this.tell(trx, community, decided);
      return { outcome: "done" as const, feedback: decided };
    });
  }

  /** The card shows the decision and the member is told, in the decision's transaction. */
  private async tell(trx: Trx, community: Community, f: FeedbackRow): Promise<void> {
    await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `${f.card_key}:${f.state}`, operation: "edit", of: f.card_key, reply: feedbackCard(f) });
    await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `${f.card_key}:${f.state}:dm`, operation: "dm", memberId: f.member_id, reply: f.state === "answered" ? answeredDm(f) : closedDm(f) });
  }
}

/** The refusal for a second decision: who decided first, and how. */
export function alreadyDecided(f: FeedbackRow): string {
  const by = f.decided_by ? ` by ${mention({ id: f.decided_by, ...(f.decided_by_name ? { displayName: f.decided_by_name } : {}) })}` : "";
  return f.state === "answered" ? `Feedback #${f.number} was already answered${by}; the member has the answer.` : `Feedback #${f.number} was already closed${by}.`;
}
