import type { Transaction } from "kysely";
import type { MessageCreated, MessageDeleted, ReactionChanged } from "../../core/events.js";
import { type Actor, channelKey, type MemberRef, type Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import { localDay } from "../calendar.js";
import type { Community } from "../communities/community.repo.js";
import type { WriteQueue } from "../write-queue.js";
import { LedgerWriter } from "./ledger-writer.js";
import { MemberCache } from "./member-cache.js";
import { ruleState } from "./member-states.js";
import { duplicateOutcome, type LevelUp, type PointsOutcome } from "./outcome.js";
import { awardsFromSource, existingKeys, findMessage, insertMessage, ledgerExists, markMessageDeleted } from "./points.repo.js";
import { activityGrant, afterActivity, afterThanksGiven, messageGrant, saysThanks, thanksAllowed } from "./rules.js";

export type PointsEvent = MessageCreated | MessageDeleted | ReactionChanged;

export type LevelUpListener = (levelUp: LevelUp & { community: Community; place: Place }) => void;

export interface ThanksRequest {
  /** Natural key of what carried the thanks: a message key or a command key. */
  sourceKey: string;
  giver: Actor;
  receiver: MemberRef;
  at: Date;
  place: Place;
}

/**
 * Turns chat activity into ledger rows. Every event is applied inside the write queue's transaction
 * and keyed by its natural key, so a second delivery finds its key taken and changes nothing.
 */
export class PointsService {
  private readonly levelUpListeners: LevelUpListener[] = [];
  private readonly members = new MemberCache();

  constructor(private readonly queue: WriteQueue) {
    // A rolled-back batch may have cached rows that were never committed.
    queue.onRollback(() => this.members.clear());
  }

  /** Called after a committed write raised members' levels (adapters announce it, grant roles). Returns an unsubscribe. */
  onLevelUp(listener: LevelUpListener): () => void {
    this.levelUpListeners.push(listener);
    return () => {
      const i = this.levelUpListeners.indexOf(listener);
      if (i >= 0) this.levelUpListeners.splice(i, 1);
    };
  }

  /** Applies a message or reaction event; resolves after it is committed. */
  async apply(community: Community, event: PointsEvent): Promise<PointsOutcome> {
    const outcome = await this.queue.submit((trx) => this.applyIn(trx, community, event));
    return this.announce(community, event.place, outcome);
  }

  /** `/thanks`: resolves after the thanks is committed. */
  async thank(community: Community, request: ThanksRequest): Promise<PointsOutcome> {
    const outcome = await this.queue.submit(async (trx) => {
      const writer = new LedgerWriter(trx, community.id, request.at.toISOString(), channelKey(request.place), this.members);
      const key = `${request.sourceKey}:thanks:${request.receiver.id}`;
      if (await ledgerExists(trx, key)) return duplicateOutcome();
      await this.thanks(writer, community, request, key);
      await writer.members.flush();
      return writer.outcome;
    });
    return this.announce(community, request.place, outcome);
  }

  /** Tells level-up listeners about a committed outcome's level-ups. */
  announce(community: Community, place: Place, outcome: PointsOutcome): PointsOutcome {
    for (const levelUp of outcome.levelUps) for (const listener of this.levelUpListeners) listener({ ...levelUp, community, place });
    return outcome;
  }

  /** The same as {@link apply}, inside a transaction the caller already holds. */
  async applyIn(trx: Transaction<Database>, community: Community, event: PointsEvent): Promise<PointsOutcome> {
    const writer = new LedgerWriter(trx, community.id, event.at.toISOString(), channelKey(event.place), this.members);
    switch (event.kind) {
      case "message.created":
        await this.messageCreated(writer, community, event);
        break;
      case "message.deleted":
        await this.messageDeleted(writer, community, event);
        break;
      case "reaction.added":
        await this.reactionAdded(writer, community, event);
        break;
      case "reaction.removed":
        await this.reactionRemoved(writer, community, event);
        break;
    }
    await writer.members.flush();
    return writer.outcome;
  }

  private async messageCreated(w: LedgerWriter, community: Community, e: MessageCreated): Promise<void> {
    if (e.author.isBot) return void w.skip("bot", e.author.id);
    const stored = await insertMessage(w.db, {
      message_key: e.messageKey,
      community_id: community.id,
      member_id: e.author.id,
      channel_key: channelKey(e.place),
      thread_parent_key: e.threadParentKey ?? null,
      created_at: w.at,
      deleted_at: null,
    });
    // Taken already: a re-delivery, or a delete that overtook this create (its tombstone).
    if (!stored) return void Object.assign(w.outcome, duplicateOutcome());

    const rules = community.settings.points;
    const author = await w.members.get(e.author);
    if (rules.noPointsChannels.includes(channelKey(e.place))) return void w.skip("no-points-channel", e.author.id);

    const day = localDay(e.at, community.settings.timezone);
    const isReply = e.threadParentKey !== undefined;
    const grant = messageGrant(rules, ruleState(author), w.at, day, isReply);
    if (grant.refusal) w.skip(grant.refusal, e.author.id);
    else if (await w.award({ key: e.messageKey, member: e.author, amount: grant.amount, reason: isReply ? "reply" : "post", source: e.messageKey, day })) {
      w.members.setRules(e.author.id, { ...afterActivity(ruleState(author), day, grant.amount), lastMessageAwardAt: w.at });
    }

    if (e.mentions.length > 0 && saysThanks(e.text)) {
      for (const receiver of e.mentions) {
        await this.thanks(w, community, { sourceKey: e.messageKey, giver: e.author, receiver, at: e.at, place: e.place }, `${e.messageKey}:thanks:${receiver.id}`);
      }
    }
  }

  private async thanks(w: LedgerWriter, community: Community, r: ThanksRequest, key: string): Promise<void> {
    if (r.giver.isBot) return void w.skip("bot", r.giver.id);
    if (r.receiver.id === r.giver.id) return void w.skip("self", r.giver.id);
    const rules = community.settings.points;
    const day = localDay(r.at, community.settings.timezone);
    const giver = await w.members.get(r.giver);
    const receiver = await w.members.get(r.receiver);
    if (receiver.is_bot) return void w.skip("bot", r.receiver.id);
    if (rules.noPointsChannels.includes(channelKey(r.place))) return void w.skip("no-points-channel", r.receiver.id);

    const allowed = thanksAllowed(rules, ruleState(giver), day);
    if (allowed !== true) return void w.skip(allowed, r.giver.id);
    // The thanks is spent even if the receiver is at today's cap: it is recorded with 0 points, so a
    // replay finds it and cannot spend the giver's budget twice.
    const grant = activityGrant(rules, ruleState(receiver), day, rules.thanksReceived);
    if (!(await w.award({ key, member: r.receiver, amount: grant.amount, reason: "thanks", source: r.sourceKey, day }))) return;
    if (grant.refusal) w.skip(grant.refusal, r.receiver.id);
    else w.members.setRules(r.receiver.id, afterActivity(ruleState(receiver), day, grant.amount));
    w.members.setRules(r.giver.id, afterThanksGiven(ruleState(giver), day));
  }

  private async messageDeleted(w: LedgerWriter, community: Community, e: MessageDeleted): Promise<void> {
    const known = await findMessage(w.db, e.messageKey);
    if (known?.deleted_at) return void Object.assign(w.outcome, duplicateOutcome());
    if (known) await markMessageDeleted(w.db, e.messageKey, w.at);
    else {
      // The delete overtook the create: leave a tombstone so the create, when it comes, earns nothing.
      await insertMessage(w.db, {
        message_key: e.messageKey,
        community_id: community.id,
        member_id: "",
        channel_key: channelKey(e.place),
        thread_parent_key: null,
        created_at: w.at,
        deleted_at: w.at,
      });
      return;
    }
    // Everything the message earned: its post or reply points, thanks in it, reactions it received.
    for (const row of await awardsFromSource(w.db, e.messageKey)) await w.reverseRow(row);
  }

  private async reactionAdded(w: LedgerWriter, community: Community, e: ReactionChanged): Promise<void> {
    if (e.actor.isBot) return void w.skip("bot", e.actor.id);
    const seen = await existingKeys(w.db, e.key, `${e.key}:undo`);
    if (seen.has(e.key)) return void Object.assign(w.outcome, duplicateOutcome());
    const message = await findMessage(w.db, e.messageKey);
    if (message?.deleted_at) return void w.skip("deleted-message");
    const authorId = e.messageAuthor?.id ?? message?.member_id;
    if (!authorId) {
      // Decided now, once: recorded at zero so a re-delivery after the message turns up cannot
      // earn what the first delivery did not.
      await w.award({ key: e.key, member: { id: "" }, amount: 0, reason: "reaction", source: e.messageKey, day: localDay(e.at, community.settings.timezone) });
      return void w.skip("unknown-message");
    }
    if (authorId === e.actor.id) return void w.skip("self", e.actor.id);
    const rules = community.settings.points;
    if (rules.noPointsChannels.includes(channelKey(e.place))) return void w.skip("no-points-channel", authorId);
    // A removal that arrived first left a tombstone: the pair nets to zero.
    if (seen.has(`${e.key}:undo`)) return void w.skip("already-reversed", authorId);

    const author = await w.members.get(e.messageAuthor ?? { id: authorId });
    if (author.is_bot) return void w.skip("bot", authorId);
    const day = localDay(e.at, community.settings.timezone);
    const grant = activityGrant(rules, ruleState(author), day, rules.reactionReceived);
    if (grant.refusal) return void w.skip(grant.refusal, authorId);
    if (await w.award({ key: e.key, member: { id: authorId }, amount: grant.amount, reason: "reaction", source: e.messageKey, day })) {
      w.members.setRules(authorId, afterActivity(ruleState(author), day, grant.amount));
    }
  }

  private async reactionRemoved(w: LedgerWriter, community: Community, e: ReactionChanged): Promise<void> {
    if (e.actor.isBot) return void w.skip("bot", e.actor.id);
    const message = await findMessage(w.db, e.messageKey);
    await w.reverse(e.key, {
      memberId: e.messageAuthor?.id ?? message?.member_id ?? "",
      source: e.messageKey,
      day: localDay(e.at, community.settings.timezone),
      reason: "reaction",
    });
  }
}
