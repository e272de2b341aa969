import type { Transaction } from "kysely";
import type { Actor, Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import { findOutboxRow } from "../outbox/outbox.repo.js";
import { levelFor } from "../points/levels.js";
import { ROLE_CHECKS } from "../preconditions/roles.js";
import {
  appendAudit,
  findItemByMessage,
  findScore,
  insertItem,
  insertReport,
  type ItemRow,
  memberPoints,
  nextItemNumber,
  reporterRecord,
  updateItem,
} from "./moderation.repo.js";
import { reportWeight } from "./report-weight.js";
import { excerptOf, reviewCard } from "./review-card.js";
import { SUBJECT_PREFIX } from "./subject-items.js";

/**
 * The review queue inside a transaction: a message flagged by the score or reported by members
 * becomes one item; the first time it qualifies (a flag, or reports over the threshold) its card is
 * written to the outbox for `channels.modQueue`, and every later change edits that card.
 */
export interface FlagInput {
  messageKey: string;
  memberId: string;
  place: Place;
  text: string;
  q: number;
  z: number | null;
  reasons: string[];
  at: string;
}

export interface ReportInput {
  reporter: Actor;
  messageKey: string;
  /** The author, when the platform said (a message action, Slack's item_user). */
  authorId?: string;
  /** Whether the platform said the author is a bot (the bot's own review card, an integration's post). */
  authorIsBot?: boolean;
  place: Place;
  /** The text, when the platform gave it (a message action); else the in-memory recent text. */
  text?: string;
  via: "reaction" | "action" | "command";
  reason?: string;
  at: string;
}

/**
 * Something for the moderators that is not one message — tips going back and forth between two
 * members (economy/collusion.ts) — as one queue item with the history to judge it by.
 */
export interface SubjectInput {
  /** Names the subject, once per community; starts with {@link SUBJECT_PREFIX} so it never names a message. */
  subjectKey: string;
  /** Whom the item is listed under in `/mod queue`. */
  memberId: string;
  /** Everyone it concerns (`memberId` too): each gets an audit row, so `/mod history` shows it. */
  concerns: readonly string[];
  /** Where it happened (the card names the channel). */
  place: Place;
  /** Reason labels (see REASON_LABELS). */
  reasons: string[];
  /** Plain text, not markup: the first line is the summary (`/mod queue`), the rest the details on the card. */
  lines: readonly string[];
  at: string;
}

/** How much of a subject's lines an item keeps (the card shows them; Discord's embed allows 4096). */
const SUBJECT_TEXT_MAX = 3000;

export type ReportResult =
  | { ok: true; queued: boolean; weight: number; item: ItemRow }
  | { ok: false; reason: "disabled" | "unknown-message" | "other-community" | "self" | "bot" | "bot-message" | "already" | "decided"; item?: ItemRow };

export class ReviewQueue {
  constructor(private readonly outbox: OutboxWriter) {}

  static cardKey(item: Pick<ItemRow, "community_id" | "number">): string {
    return `modq:${item.community_id}:${item.number}`;
  }

  /** An automatic flag: creates the item (or adds the flag to a reported one) and queues its card. */
  async flag(trx: Transaction<Database>, community: Community, f: FlagInput): Promise<ItemRow> {
    const existing = await findItemByMessage(trx, community.id, f.messageKey);
    let item: ItemRow;
    let fresh = false;
    if (existing && existing.status === "approved") {
      // Approved, then edited into something that flags: what the moderator approved is not what
      // the message now says. The item opens again with the new text, so the card offers the
      // decision once more (the approval stays in the audit log).
      const reasons = [...new Set([...(JSON.parse(existing.reasons) as string[]), ...f.reasons])];
      const reopened = { auto_flag: 1, q: f.q, z: f.z, reasons: JSON.stringify(reasons), excerpt: excerptOf(f.text), edited_at: f.at, status: "open", decided_by: null, decided_at: null, decision_reason: null, queued: 1 };
      item = { ...existing, ...reopened };
      await updateItem(trx, item.id, reopened);
    } else if (existing) {
      const reasons = [...new Set([...(JSON.parse(existing.reasons) as string[]), ...f.reasons])];
      item = { ...existing, auto_flag: 1, q: f.q, z: f.z, reasons: JSON.stringify(reasons), excerpt: existing.excerpt || excerptOf(f.text) };
      await updateItem(trx, item.id, { auto_flag: 1, q: f.q, z: f.z, reasons: item.reasons, excerpt: item.excerpt });
    } else {
      item = await this.create(trx, community, { messageKey: f.messageKey, memberId: f.memberId, place: f.place, text: f.text, reasons: f.reasons, q: f.q, z: f.z, autoFlag: true, at: f.at });
      fresh = true;
    }
    await appendAudit(trx, {
      // With its time: an edit that flags again (the same reasons, after an approval) is a new flag.
      key: `flag:${f.messageKey}:${f.at}:${f.reasons.join("+")}`,
      community_id: community.id,
      at: f.at,
      actor_id: "bot",
      action: "flag",
      member_id: f.memberId,
      message_key: f.messageKey,
      item_number: item.number,
      reason: `${f.reasons.join(", ")} (q ${f.q.toFixed(2)}${f.z === null ? "" : `, z ${f.z.toFixed(2)}`})`,
      points_before: null,
      points_after: null,
    });
    return this.show(trx, community, item, { fresh });
  }

  /**
   * A subject (see {@link SubjectInput}) becomes an open item and its card is queued at once; the
   * same subject key a second time changes nothing and returns undefined. Runs in the caller's
   * transaction, so the item commits with whatever caused it.
   */
  async flagSubject(trx: Transaction<Database>, community: Community, s: SubjectInput): Promise<ItemRow | undefined> {
    if (!s.subjectKey.startsWith(SUBJECT_PREFIX)) throw new Error(`review queue: subject key "${s.subjectKey}" must start with ${SUBJECT_PREFIX}`);
    if (await findItemByMessage(trx, community.id, s.subjectKey)) return undefined;
    const text = s.lines.join("\n");
    const excerpt = text.length > SUBJECT_TEXT_MAX ? `${text.slice(0, SUBJECT_TEXT_MAX - 1)}…` : text;
    const item = await this.create(trx, community, { messageKey: s.subjectKey, memberId: s.memberId, place: s.place, text, excerpt, reasons: s.reasons, q: null, z: null, autoFlag: true, at: s.at });
    for (const memberId of new Set([s.memberId, ...s.concerns])) {
      await appendAudit(trx, {
        key: `flag:${s.subjectKey}:${memberId}`,
        community_id: community.id,
        at: s.at,
        actor_id: "bot",
        action: "flag",
        member_id: memberId,
        message_key: s.subjectKey,
        item_number: item.number,
        reason: `${s.reasons.join(", ")}: ${s.lines[0] ?? ""}`,
        points_before: null,
        points_after: null,
      });
    }
    return this.show(trx, community, item, { fresh: true });
  }

  /** A member's report; counts once per reporter and message, never for one's own message. */
  async report(trx: Transaction<Database>, community: Community, r: ReportInput, recentText: string | undefined): Promise<ReportResult> {
    // Off means off for every way of reporting, as it already was for 🚩.
    if (!community.settings.moderation.enabled) return { ok: false, reason: "disabled" };
    if (r.reporter.isBot) return { ok: false, reason: "bot" };
    // Bots' messages are not scored and earn nothing; a 🚩 on the bot's own card must not make an
    // item whose Remove deletes the card.
    if (r.authorIsBot) return { ok: false, reason: "bot-message" };
    const score = r.authorId === undefined ? await findScore(trx, r.messageKey) : undefined;
    // Message keys are global (a Discord snowflake names one message in any server): a link pasted
    // into `/report` may name a message of another community the bot is in. Reporting it here would
    // show its text to these moderators and let them delete it and take back its points there.
    if (score && score.community_id !== community.id) return { ok: false, reason: "other-community" };
    const authorId = r.authorId ?? score?.member_id;
    if (!authorId) return { ok: false, reason: "unknown-message" };
    if (authorId === r.reporter.id) return { ok: false, reason: "self" };
    const existing = await findItemByMessage(trx, community.id, r.messageKey);
    if (existing && existing.status !== "open") return { ok: false, reason: "decided", item: existing };

    const rules = community.settings.moderation;
    const weight = ROLE_CHECKS.moderator.holds(r.reporter, community.settings)
      ? rules.reportThreshold
      : reportWeight(levelFor((await memberPoints(trx, community.id, r.reporter.id)).points), await reporterRecord(trx, community.id, r.reporter.id));
    const counted = await insertReport(trx, { community_id: community.id, message_key: r.messageKey, reporter_id: r.reporter.id, weight, via: r.via, reason: r.reason ?? null, at: r.at });
    if (!counted) return { ok: false, reason: "already", ...(existing ? { item: existing } : {}) };

    const text = r.text ?? recentText ?? "";
    let item =
      existing ??
      (await this.create(trx, community, { messageKey: r.messageKey, memberId: authorId, place: r.place, text, reasons: [], q: score?.q ?? null, z: score?.z ?? null, autoFlag: false, at: r.at, queued: false }));
    const reasons = [...new Set([...(JSON.parse(item.reasons) as string[]), "reported"])];
    item = { ...item, reasons: JSON.stringify(reasons), report_weight: Math.round((item.report_weight + weight) * 100) / 100, reporters: item.reporters + 1, excerpt: item.excerpt || excerptOf(text) };
    await updateItem(trx, item.id, { reasons: item.reasons, report_weight: item.report_weight, reporters: item.reporters, excerpt: item.excerpt });

    const reaches = item.queued === 0 && item.report_weight >= rules.reportThreshold;
    if (reaches) {
      await appendAudit(trx, {
        key: `reports-queued:${r.messageKey}`,
        community_id: community.id,
        at: r.at,
        actor_id: "bot",
        action: "report-queued",
        member_id: authorId,
        message_key: r.messageKey,
        item_number: item.number,
        reason: `${item.reporters} reports, weight ${item.report_weight.toFixed(2)} ≥ ${rules.reportThreshold}`,
        points_before: null,
        points_after: null,
      });
    }
    if (item.queued === 1 || reaches) item = await this.show(trx, community, { ...item, queued: 1 });
    return { ok: true, queued: item.queued === 1, weight, item };
  }

  /**
   * Puts the item's card in front of the moderators: the first time a post, afterwards an edit of
   * it (each edit its own outbox row, delivered in order). Without `channels.modQueue` there is no
   * card; the item still shows in `/mod queue`.
   */
  async show(trx: Transaction<Database>, community: Community, item: ItemRow, extra: { cannotDelete?: boolean; fresh?: boolean } = {}): Promise<ItemRow> {
    if (item.queued === 0) return item;
    const key = ReviewQueue.cardKey(item);
    const card = async () => reviewCard({ item, ...(await this.names(trx, community, item)), ...extra });
    // A fresh item (created queued, in this transaction) has no card yet: no need to look.
    const posted = extra.fresh ? undefined : await findOutboxRow(trx, key);
    if (!posted) {
      const to = settingPlace(community.settings.channels.modQueue);
      if (!extra.fresh) await updateItem(trx, item.id, { queued: 1 });
      // No queue channel: the item waits in `/mod queue`, and a card nobody will see is not drawn.
      if (to) await this.outbox.enqueue(trx, { communityId: community.id, dedupeKey: key, operation: "post", to, reply: await card() });
      return { ...item, queued: 1 };
    }
    const reply = await card();
    const revision = item.revision + 1;
    await updateItem(trx, item.id, { revision, queued: 1 });
    await this.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `${key}:r${revision}`, operation: "edit", of: key, reply });
    return { ...item, revision, queued: 1 };
  }

  async names(trx: Transaction<Database>, community: Community, item: ItemRow): Promise<{ authorName?: string; decidedByName?: string }> {
    const author = (await memberPoints(trx, community.id, item.member_id)).displayName;
    const decider = item.decided_by ? (await memberPoints(trx, community.id, item.decided_by)).displayName : undefined;
    return { ...(author ? { authorName: author } : {}), ...(decider ? { decidedByName: decider } : {}) };
  }

  private async create(
    trx: Transaction<Database>,
    community: Community,
    c: { messageKey: string; memberId: string; place: Place; text: string; excerpt?: string; reasons: string[]; q: number | null; z: number | null; autoFlag: boolean; at: string; queued?: boolean },
  ): Promise<ItemRow> {
    const number = await nextItemNumber(trx, community.id);
    const place: Place = { platform: c.place.platform, workspaceId: c.place.workspaceId, channelId: c.place.channelId, ...(c.place.threadId ? { threadId: c.place.threadId } : {}) };
    const item: ItemRow = {
      id: `${community.id}:${number}`,
      community_id: community.id,
      number,
      message_key: c.messageKey,
      member_id: c.memberId,
      place: JSON.stringify(place),
      excerpt: c.excerpt ?? excerptOf(c.text),
      reasons: JSON.stringify(c.reasons),
      q: c.q,
      z: c.z,
      auto_flag: c.autoFlag ? 1 : 0,
      report_weight: 0,
      reporters: 0,
      queued: c.queued === false ? 0 : 1,
      revision: 0,
      edited_at: null,
      status: "open",
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      created_at: c.at,
    };
    // A flag is shown at once (its card is enqueued in this transaction); a report waits for the threshold.
    await insertItem(trx, item);
    return item;
  }
}
