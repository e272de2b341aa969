import type { Kysely, Transaction } from "kysely";
import type { Actor, MemberRef, Place } from "../../core/identity.js";
import { channelKey } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../../log.js";
import type { Community } from "../communities/community.repo.js";
import type { BountiesService } from "../economy/bounties.service.js";
import { questionKeyOfThread } from "../economy/bounty-question.js";
import { personOf } from "../economy/wallet.js";
import { messageLink } from "../moderation/message-links.js";
import type { OutboxWriter } from "../outbox/index.js";
import type { PointsService } from "../points/points.service.js";
import { ROLE_CHECKS } from "../preconditions/roles.js";
import type { WriteQueue } from "../write-queue.js";
import { kbEntryOf } from "./kb-entry.js";
import type { ThreadQuestions } from "./thread-questions.js";
import type { MessageTexts } from "./message-texts.js";
import { markedNotice, unmarkedNotice } from "./solution-replies.js";
import { decideMark, decideUnmark, isPublicChannel, type Refusal } from "./solution-rules.js";
import * as repo from "./solutions.repo.js";
import type { SolvedRow } from "./solutions.repo.js";

type Trx = Transaction<Database>;

/** A reply marked as a question's solution, by a ✅, the message action or `/solved`. */
export interface MarkRequest {
  /** The natural key of the mark (the reaction's or the interaction's). */
  causeKey: string;
  /** When it was marked (the event's time): an older change arriving later is ignored. */
  at: Date;
  actor: Actor;
  answerKey: string;
  /** The answer's author, when the platform said (a message action's target, a reaction's item author). */
  answerAuthor?: MemberRef & { isBot?: boolean };
  answerText?: string;
  /** The question the mark names (the thread `/solved` is used in); else the thread the answer replies to. */
  questionKey?: string;
  /** Where the mark was made. */
  place: Place;
}

/** An unmark: the ✅ taken off, `/solved undo`, or (`system`) the accepted answer deleted. */
export interface UnmarkRequest {
  causeKey: string;
  at: Date;
  actor?: Actor;
  system?: boolean;
  questionKey: string;
  /** The reply the unmark is about (a removed ✅); undefined: whichever is accepted. */
  answerKey?: string;
}

/** The member whose answer a mark is about, with the name to show. */
export interface Answerer {
  id: string;
  displayName?: string;
}

export type MarkOutcome = { ok: true; questionKey: string; thread: Place; answerer: Answerer; points: number; bounty: number; changed: boolean } | { ok: false; reason: Refusal; questionKey?: string };
export type UnmarkOutcome = { ok: true; questionKey: string; thread: Place; answerer: Answerer; points: number } | { ok: false; reason: Refusal };

/** A question became solved or unsolved (told after its transaction committed): Discord tags forum posts. */
export interface SolutionChange {
  community: Community;
  questionKey: string;
  thread: Place;
  solved: boolean;
}

/**
 * Accepted answers (issue 14): the asker or a moderator marks a reply as the question's solution; its
 * author earns `knowledge.solutionPoints` outside the daily cap (a ledger row keyed by the question,
 * the award's sequence number and the answer), an open bounty is paid to them, the question is
 * recorded as solved and, from a public channel, written to the knowledge base. Changing the
 * accepted reply reverses the old award (`<key>:undo`) and grants a new one; unmarking reverses it.
 * The `solved_questions` row says which award is in force, so any sequence of marks, unmarks and
 * replays leaves the ledger at one award or none. See docs/knowledge-answers.md.
 */
export class SolutionsService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      writes: WriteQueue;
      outbox: OutboxWriter;
      points: PointsService;
      bounties: BountiesService | undefined;
      texts: MessageTexts;
      questions: ThreadQuestions;
      log: Logger;
    },
  ) {}

  private readonly listeners = new Set<(change: SolutionChange) => void>();

  /** Called after a mark or unmark has committed (adapters: Discord's "Solved" forum tag). Returns an unsubscribe. */
  onChange(listener: (change: SolutionChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Tells the listeners; call only once the change has committed (an event's `afterCommit`). */
  changed(community: Community, outcome: MarkOutcome | UnmarkOutcome, solved: boolean): void {
    if (!outcome.ok) return;
    for (const listener of this.listeners) {
      try {
        listener({ community, questionKey: outcome.questionKey, thread: outcome.thread, solved });
      } catch (err) {
        // The change has committed: a listener's failure is its own, never the member's answer.
        this.deps.log.error({ err, question: outcome.questionKey }, "solution listener failed");
      }
    }
  }

  /** {@link markIn} in its own write-queue transaction. */
  async mark(community: Community, m: MarkRequest): Promise<MarkOutcome> {
    const outcome = await this.deps.writes.submit((trx) => this.markIn(trx, community, m));
    this.changed(community, outcome, true);
    return outcome;
  }

  async unmark(community: Community, u: UnmarkRequest): Promise<UnmarkOutcome> {
    const outcome = await this.deps.writes.submit((trx) => this.unmarkIn(trx, community, u));
    this.changed(community, outcome, false);
    return outcome;
  }

  /** The question's solution as committed: its row, if it ever had one. */
  solved(community: Community, questionKey: string): Promise<SolvedRow | undefined> {
    return repo.solvedQuestion(this.deps.db, community.id, questionKey);
  }

  /** The question `answerKey` is the accepted answer of, as committed. */
  questionSolvedBy(community: Community, answerKey: string): Promise<string | undefined> {
    return this.acceptedQuestionOf(this.deps.db, community.id, answerKey);
  }

  /** The question `answerKey` is the accepted answer of, if any. */
  async acceptedQuestionOf(db: Kysely<Database>, communityId: string, answerKey: string): Promise<string | undefined> {
    return (await repo.solvedByAnswer(db, communityId, answerKey)).find((r) => r.state === "accepted")?.question_key;
  }

  /** Marks `m.answerKey` as the solution of its question, inside the caller's (write queue's) transaction. */
  async markIn(trx: Trx, community: Community, m: MarkRequest): Promise<MarkOutcome> {
    const recorded = await repo.recordedMessage(trx, m.answerKey);
    const parent = recorded?.thread_parent_key ?? undefined;
    const questionKey = m.questionKey ?? parent ?? (m.place.threadId ? questionKeyOfThread({ ...m.place, threadId: m.place.threadId }) : undefined);
    if (!questionKey) return { ok: false, reason: "not-a-reply" };
    if (m.answerKey !== questionKey && m.questionKey && parent && parent !== m.questionKey) return { ok: false, reason: "other-thread" };
    if (recorded?.deleted_at) return { ok: false, reason: "deleted", questionKey };
    const authorId = m.answerAuthor?.id ?? (recorded?.member_id || this.deps.texts.get(m.answerKey)?.authorId);
    if (!authorId) return { ok: false, reason: "unknown-answer", questionKey };

    const current = await repo.solvedQuestion(trx, community.id, questionKey);
    const askerId = (await repo.recordedMessage(trx, questionKey))?.member_id || this.deps.texts.get(questionKey)?.authorId || current?.asker_id || undefined;
    const at = m.at.toISOString();
    const decision = decideMark({
      questionKey,
      answerKey: m.answerKey,
      answerIsBot: m.answerAuthor?.isBot === true,
      actorPerson: await personOf(trx, community.id, m.actor.id),
      askerPerson: askerId ? await personOf(trx, community.id, askerId) : undefined,
      answerPerson: await personOf(trx, community.id, authorId),
      isModerator: ROLE_CHECKS.moderator.holds(m.actor, community.settings),
      at,
      current,
    });
    if (!decision.ok) return { ...decision, questionKey };

    const thread = current ? (JSON.parse(current.thread_place) as Place) : threadPlaceOf(questionKey, m.place);
    const answerer = await answererOf(trx, community.id, authorId, m.answerAuthor?.displayName);
    if (current && decision.change) await this.reverse(trx, community, current, m.at, thread);

    const seq = (current?.award_seq ?? 0) + 1;
    const amount = community.settings.knowledge.solutionPoints;
    const awardKey = amount > 0 ? `solution:${questionKey}:${seq}:${m.answerKey}` : null;
    if (awardKey) await this.deps.points.adjustIn(trx, community, { key: awardKey, member: answerer, amount, reason: "knowledge:solution", sourceKey: questionKey, at: m.at, place: thread });
    // Paid once: the bounty leaves `open` with the first accept, so a later one finds none.
    const bounty = (await this.deps.bounties?.awardIn(trx, community, { questionKey, answererId: authorId, byId: m.actor.id, causeKey: m.causeKey, at: m.at })) ?? 0;

    const row: SolvedRow = {
      community_id: community.id,
      question_key: questionKey,
      state: "accepted",
      answer_key: m.answerKey,
      answer_author_id: authorId,
      asker_id: askerId ?? "",
      marked_by: m.actor.id,
      changed_at: at,
      thread_place: JSON.stringify(thread),
      channel_key: current?.channel_key ?? channelKey(thread),
      award_seq: seq,
      award_key: awardKey,
      award_points: awardKey ? amount : 0,
      bounty_paid: (current?.bounty_paid ?? 0) + bounty,
    };
    await repo.saveSolved(trx, row);
    await this.index(trx, community, row, thread, m.answerText);
    await this.deps.outbox.enqueue(trx, {
      communityId: community.id,
      dedupeKey: `solution:${community.id}:${questionKey}:${seq}`,
      operation: "post",
      to: thread,
      reply: markedNotice({ marker: { id: m.actor.id, displayName: m.actor.displayName }, answerer, points: row.award_points, bounty, changed: decision.change }),
    });
    return { ok: true, questionKey, thread, answerer, points: row.award_points, bounty, changed: decision.change };
  }

  /** Takes the solution mark off the question, inside the caller's transaction; an awarded bounty stays paid. */
  async unmarkIn(trx: Trx, community: Community, u: UnmarkRequest): Promise<UnmarkOutcome> {
    const current = await repo.solvedQuestion(trx, community.id, u.questionKey);
    const decision = decideUnmark({
      answerKey: u.answerKey,
      actorPerson: u.actor ? await personOf(trx, community.id, u.actor.id) : "",
      askerPerson: current?.asker_id ? await personOf(trx, community.id, current.asker_id) : undefined,
      isModerator: u.actor ? ROLE_CHECKS.moderator.holds(u.actor, community.settings) : false,
      system: u.system === true,
      at: u.at.toISOString(),
      current,
    });
    if (!decision.ok || !current) return { ok: false, reason: decision.ok ? "not-solved" : decision.reason };
    const thread = JSON.parse(current.thread_place) as Place;
    const points = current.award_points;
    await this.reverse(trx, community, current, u.at, thread);
    await repo.saveSolved(trx, { ...current, state: "unaccepted", marked_by: u.actor?.id ?? "", changed_at: u.at.toISOString(), award_key: null, award_points: 0 });
    await repo.deleteKbEntry(trx, community.id, u.questionKey);
    const answerer = await answererOf(trx, community.id, current.answer_author_id);
    await this.deps.outbox.enqueue(trx, {
      communityId: community.id,
      dedupeKey: `solution:${community.id}:${u.questionKey}:${current.award_seq}:undo`,
      operation: "post",
      to: thread,
      reply: unmarkedNotice({ answerer, points, deleted: u.system === true }),
    });
    return { ok: true, questionKey: u.questionKey, thread, answerer, points };
  }

  /**
   * A message deleted (by its author, a moderator, or a removal): it leaves the knowledge base, and
   * if it was a question's accepted answer the mark comes off with its points (the bounty stays).
   */
  async messageDeleted(trx: Trx, community: Community, e: { key: string; messageKey: string; at: Date }): Promise<UnmarkOutcome[]> {
    await this.forgetMessage(trx, community.id, e.messageKey);
    const unmarked: UnmarkOutcome[] = [];
    for (const row of await repo.solvedByAnswer(trx, community.id, e.messageKey)) {
      if (row.state === "accepted") unmarked.push(await this.unmarkIn(trx, community, { causeKey: e.key, at: e.at, system: true, questionKey: row.question_key, answerKey: e.messageKey }));
    }
    return unmarked;
  }

  /** Removes the knowledge-base entries `messageKey` is the question or the answer of, and its remembered text. */
  async forgetMessage(trx: Trx, communityId: string, messageKey: string): Promise<number> {
    this.deps.texts.delete(messageKey);
    await this.deps.questions.forgetMessage(trx, communityId, messageKey);
    return repo.deleteKbEntriesOfMessage(trx, communityId, messageKey);
  }

  /** Removes the knowledge-base entries `memberId` asked or answered, and their remembered texts. */
  async forgetMember(trx: Trx, communityId: string, memberId: string): Promise<number> {
    this.deps.texts.deleteAuthor(memberId);
    await this.deps.questions.forgetMember(trx, communityId, memberId);
    return repo.deleteKbEntriesOfMember(trx, communityId, memberId);
  }

  /** Takes back the award in force, exactly the points it granted. */
  private async reverse(trx: Trx, community: Community, row: SolvedRow, at: Date, place: Place): Promise<void> {
    if (!row.award_key || row.award_points === 0) return;
    await this.deps.points.adjustIn(trx, community, {
      key: `${row.award_key}:undo`,
      member: { id: row.answer_author_id },
      amount: -row.award_points,
      reason: "knowledge:solution:undo",
      sourceKey: row.question_key,
      at,
      place,
      reverses: row.award_key,
    });
  }

  /** Writes (or replaces) the question's knowledge-base entry when it was asked in a public channel. */
  private async index(trx: Trx, community: Community, row: SolvedRow, thread: Place, answerText: string | undefined): Promise<void> {
    // Never show elsewhere what was said where not every member can read it: a question or answer
    // the platform marked restricted keeps the knowledge base out (the points and the mark stay).
    // The question from memory, else as recorded when its thread got its first reply.
    const question = this.deps.texts.get(row.question_key) ?? (await this.deps.questions.get(trx, community.id, row.question_key));
    const restricted = question?.restricted === true || this.deps.texts.get(row.answer_key)?.restricted === true;
    if (restricted || !isPublicChannel(community.settings, row.channel_key)) {
      await repo.deleteKbEntry(trx, community.id, row.question_key);
      return;
    }
    await repo.saveKbEntry(
      trx,
      kbEntryOf({
        communityId: community.id,
        questionKey: row.question_key,
        answerKey: row.answer_key,
        questionText: question?.text ?? "",
        answerText: answerText ?? this.deps.texts.get(row.answer_key)?.text ?? "",
        questionLink: messageLink(row.question_key, thread) ?? "",
        answerLink: messageLink(row.answer_key, thread) ?? "",
        channelKey: row.channel_key,
        askerId: row.asker_id,
        answerAuthorId: row.answer_author_id,
        solvedAt: row.changed_at,
      }),
    );
  }
}

/**
 * The question's thread as a place to post in. Slack's reaction events name only the reacted
 * message's channel, never its thread: the question key (`slack:<team>:<channel>:<ts>`) gives it.
 */
export function threadPlaceOf(questionKey: string, place: Place): Place {
  if (place.threadId) return place;
  const slack = /^slack:([^:]+):([^:]+):(\d+\.\d+)$/.exec(questionKey);
  if (slack && place.platform === "slack") return { platform: "slack", workspaceId: slack[1]!, channelId: slack[2]!, threadId: slack[3]! };
  // A Discord link to a reply in a thread names the thread as its channel.
  const discord = /^discord:msg:(\d+)$/.exec(questionKey);
  if (discord && place.platform === "discord" && place.channelId === discord[1]) return { ...place, threadId: discord[1]! };
  return place;
}

/** The answerer with the name to show: the platform's, else the one stored for the member. */
async function answererOf(db: Kysely<Database>, communityId: string, memberId: string, given?: string): Promise<Answerer> {
  const name = given || (await db.selectFrom("members").select("display_name").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst())?.display_name;
  return name ? { id: memberId, displayName: name } : { id: memberId };
}
