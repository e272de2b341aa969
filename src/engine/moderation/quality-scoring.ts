import type { Transaction } from "kysely";
import type { MessageCreated, MessageEdited } from "../../core/events.js";
import { channelKey } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import type { WriteQueue } from "../write-queue.js";
import type { CommunityWriteLock } from "../community-write-lock.js";
import { decideFlag, type FlagDecision } from "./flag-decision.js";
import { findScore, findItemByMessage, insertScore, loadStats, type StatsRow, saveStats, updateItem, updateScore } from "./moderation.repo.js";
import { bannedWords } from "./quality/banned-words.js";
import { type QualityScore, scoreMessage, textHash, worthComparing } from "./quality/score.js";
import { LIMITS } from "./quality/weights.js";
import { RecentRepeats } from "./recent-repeats.js";
import type { RecentTexts } from "./recent-texts.js";
import type { ReviewQueue } from "./review-queue.js";
import { add, remove } from "./welford.js";

/**
 * The hot path: every message created or edited is scored, judged against the community's running
 * statistics, and recorded once, in the ingest transaction.
 *
 * Per message that is one insert of its score (which is also the replay check); the member's
 * same-text messages of the last ten minutes are looked up in memory (recent-repeats.ts). The
 * community's statistics row is read once and then kept in memory, updated per message there, and
 * written once per transaction, just before it commits (a batch holds hundreds of messages of one
 * community, and every one would rewrite the same row). The cache is dropped whenever a batch rolls
 * back, so it never holds what the database does not. It is right because one process writes a
 * community at a time: on SQLite the only one; on Postgres the one holding the community's write
 * lock, which the engine takes before the handlers run and which drops the community's row here
 * when another process wrote it in between (community-write-lock.ts).
 */
export class QualityScoring {
  private readonly stats = new Map<string, StatsRow>();
  /** Communities whose statistics changed in the open transaction. */
  private readonly unsaved = new Set<string>();
  private readonly repeats = new RecentRepeats();

  constructor(
    writes: WriteQueue,
    private readonly queue: ReviewQueue,
    private readonly recent: RecentTexts,
    lock?: CommunityWriteLock,
  ) {
    lock?.onStale((communityId) => this.stats.delete(communityId));
    writes.onRollback(() => {
      this.stats.clear();
      this.unsaved.clear();
      this.repeats.clear();
    });
    writes.beforeCommit(async (trx) => {
      for (const id of this.unsaved) await saveStats(trx, this.stats.get(id)!);
      this.unsaved.clear();
    });
  }

  /** Whether a new message is scored at all: moderation on, and not a bot's. Asked before {@link onCreated}. */
  static scores(community: Community, e: MessageCreated): boolean {
    return community.settings.moderation.enabled && !e.author.isBot;
  }

  async onCreated(trx: Transaction<Database>, community: Community, e: MessageCreated): Promise<{ score: QualityScore; decision: FlagDecision } | undefined> {
    const rules = community.settings.moderation;
    if (!QualityScoring.scores(community, e)) return undefined;
    const stamped = e.at.getTime();
    const time = Number.isFinite(stamped) ? stamped : 0;
    const at = new Date(time).toISOString();
    // Short texts are never compared ("ok" twice is not spam): no hash, no look-up.
    const comparable = worthComparing(e.text);
    const repeatKey = comparable ? RecentRepeats.key(community.id, e.author.id, textHash(e.text)) : 0;
    const repeatChannel = comparable ? RecentRepeats.channel(channelKey(e.place)) : 0;
    const { repeats, otherChannels } = comparable ? this.repeats.count(repeatKey, time - LIMITS.repeatWindowMs, time, repeatChannel) : { repeats: 0, otherChannels: 0 };
    const score = scoreMessage({ text: e.text, mentions: e.mentions.length, repeats, otherChannels, banned: bannedWords(rules.bannedWords) });
    const stats = await this.statsOf(trx, community.id);
    const decision = decideFlag(score, stats, stats.seen, rules);
    const inserted = await insertScore(trx, {
      message_key: e.messageKey,
      community_id: community.id,
      member_id: e.author.id,
      q: score.q,
      z: decision.z ?? null,
      counted: decision.counts ? 1 : 0,
      flagged: decision.flagged ? 1 : 0,
      at,
      edit_at: null,
      edit_key: null,
    });
    // A replay (or an edit that arrived first and was scored as the message): nothing more.
    if (!inserted) return undefined;
    this.recent.set(e.messageKey, e.text);
    if (comparable) this.repeats.add(repeatKey, time, repeatChannel);
    this.save({ ...(decision.counts ? add(stats, score.q) : stats), community_id: community.id, seen: stats.seen + 1 });
    if (decision.flagged) {
      await this.queue.flag(trx, community, { messageKey: e.messageKey, memberId: e.author.id, place: e.place, text: e.text, q: score.q, z: decision.z ?? null, reasons: decision.reasons, at });
    }
    return { score, decision };
  }

  /**
   * An edit is scored like a new text for the same message: its old score leaves the statistics and
   * the new one joins them (n stays the number of messages). Only the newest edit counts; an older
   * or repeated one changes nothing. A flagged message keeps its flag, and its card says it was
   * edited after the flag.
   */
  async onEdited(trx: Transaction<Database>, community: Community, e: MessageEdited): Promise<{ score: QualityScore; decision: FlagDecision } | undefined> {
    const rules = community.settings.moderation;
    if (!rules.enabled || e.author?.isBot) return undefined;
    const at = Number.isFinite(e.at.getTime()) ? e.at.toISOString() : new Date(0).toISOString();
    const row = await findScore(trx, e.messageKey);
    if (!row) {
      // The edit overtook its message: score the text it now has, as the message (its create, when it
      // comes, finds the row and changes nothing).
      if (!e.author) return undefined;
      const scored = await this.onCreated(trx, community, { kind: "message.created", key: e.messageKey, messageKey: e.messageKey, at: e.at, place: e.place, author: e.author, text: e.text, mentions: [] });
      if (scored) await updateScore(trx, e.messageKey, { edit_at: at, edit_key: e.key });
      return scored;
    }
    if (row.edit_at !== null && (at < row.edit_at || (at === row.edit_at && e.key <= (row.edit_key ?? "")))) return undefined;

    const score = scoreMessage({ text: e.text, mentions: 0, repeats: 0, otherChannels: 0, banned: bannedWords(rules.bannedWords) });
    const before = await this.statsOf(trx, community.id);
    const without = row.counted === 1 ? remove(before, row.q) : before;
    const decision = decideFlag(score, without, before.seen, rules);
    await updateScore(trx, e.messageKey, {
      q: score.q,
      z: decision.z ?? null,
      counted: decision.counts ? 1 : 0,
      flagged: row.flagged === 1 || decision.flagged ? 1 : 0,
      edit_at: at,
      edit_key: e.key,
    });
    this.recent.set(e.messageKey, e.text);
    this.save({ ...(decision.counts ? add(without, score.q) : without), community_id: community.id, seen: before.seen });

    const item = await findItemByMessage(trx, community.id, e.messageKey);
    if (item && item.status === "open" && (item.auto_flag === 1 || item.queued === 1)) {
      const edited = { ...item, edited_at: at };
      await updateItem(trx, item.id, { edited_at: at });
      await this.queue.show(trx, community, edited);
    } else if (decision.flagged) {
      await this.queue.flag(trx, community, { messageKey: e.messageKey, memberId: row.member_id, place: e.place, text: e.text, q: score.q, z: decision.z ?? null, reasons: decision.reasons, at });
    }
    return { score, decision };
  }

  private async statsOf(trx: Transaction<Database>, communityId: string): Promise<StatsRow> {
    const cached = this.stats.get(communityId);
    if (cached) return cached;
    const row = (await loadStats(trx, communityId)) ?? { community_id: communityId, n: 0, mean: 0, m2: 0, seen: 0 };
    this.stats.set(communityId, row);
    return row;
  }

  private save(row: StatsRow): void {
    this.stats.set(row.community_id, row);
    this.unsaved.add(row.community_id);
  }
}
