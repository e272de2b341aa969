import type { Transaction } from "kysely";
import { naturalKeys } from "../../core/events.js";
import type { Actor, MemberRef, Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import type { OutboxWriter } from "../outbox/index.js";
import type { PointsService } from "../points/points.service.js";
import { appendAudit, countReportOutcome, decideItem, findItemByNumber, type ItemRow, memberPoints, reportsOf } from "./moderation.repo.js";
import { platformMessageId } from "./message-links.js";
import type { ReviewQueue } from "./review-queue.js";
import { isSubjectItem } from "./subject-items.js";

/** What a moderator can decide about a queue item. */
export type DecisionAction = "approve" | "remove" | "penalise";

export type DecisionResult =
  | { ok: true; item: ItemRow; pointsBefore: number; pointsAfter: number; deleted: "deleting" | "cannot" }
  | { ok: false; reason: "unknown"; number: number }
  | { ok: false; reason: "decided"; item: ItemRow };

/** Platforms where the bot may delete a member's message (Discord needs Manage Messages; Slack never). */
const CAN_DELETE: ReadonlySet<string> = new Set(["discord", "console"]);

/**
 * A moderator's decision on a queue item, in one transaction: the item's state (only an open item
 * can be decided — the conditional update is what makes a second decision answer "already"), the
 * points, the reporters' accuracy, the message's deletion, the card's edit and the audit row.
 */
export class Decisions {
  constructor(
    private readonly points: PointsService,
    private readonly outbox: OutboxWriter,
    private readonly queue: ReviewQueue,
  ) {}

  async decide(trx: Transaction<Database>, community: Community, d: { actor: Actor; number: number; action: DecisionAction; reason?: string; now: Date }): Promise<DecisionResult> {
    const found = await findItemByNumber(trx, community.id, d.number);
    if (!found) return { ok: false, reason: "unknown", number: d.number };
    const now = d.now.toISOString();
    const status = d.action === "approve" ? "approved" : "removed";
    if (!(await decideItem(trx, found.id, { status, decidedBy: d.actor.id, decidedAt: now, reason: d.reason ?? null }))) {
      return { ok: false, reason: "decided", item: (await findItemByNumber(trx, community.id, d.number)) ?? found };
    }
    const item: ItemRow = { ...found, status, decided_by: d.actor.id, decided_at: now, decision_reason: d.reason ?? null };
    const place = JSON.parse(item.place) as Place;
    const author: MemberRef = { id: item.member_id };
    const before = (await memberPoints(trx, community.id, item.member_id)).points;

    // A subject item (tips between two members) names no message: nothing to delete or claw back.
    const aboutMessage = !isSubjectItem(item);
    if (status === "removed" && aboutMessage) {
      // Everything the message earned comes back through the points capability's own deletion path:
      // reversing ledger rows, exactly as if the author had deleted it now. The platform's delete
      // event, when it comes, is then a duplicate.
      await this.points.applyIn(trx, community, { kind: "message.deleted", key: naturalKeys.deleted(item.message_key), messageKey: item.message_key, at: d.now, place });
      if (d.action === "penalise") {
        const left = (await memberPoints(trx, community.id, item.member_id)).points;
        const amount = Math.min(community.settings.moderation.penalty, Math.max(0, left));
        if (amount > 0) {
          await this.points.adjustIn(trx, community, { key: `mod:penalty:${item.id}`, member: author, amount: -amount, reason: "mod:penalty", sourceKey: item.message_key, at: d.now, place });
        }
      }
      const messageId = platformMessageId(item.message_key);
      if (messageId && CAN_DELETE.has(place.platform)) {
        await this.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `mod:delete:${item.message_key}`, operation: "delete", to: place, messageId });
      }
    }
    // Reporters' accuracy: a removal agrees with each of them, an approval of a report rejects them.
    for (const report of await reportsOf(trx, item.message_key)) {
      await countReportOutcome(trx, community.id, report.reporter_id, status === "removed" ? "agreed" : "rejected");
    }
    const after = (await memberPoints(trx, community.id, item.member_id)).points;
    await appendAudit(trx, {
      // An approved item can open again (edited into something that flags): each decision is its own row.
      key: `decide:${item.id}:r${item.revision}`,
      community_id: community.id,
      at: now,
      actor_id: d.actor.id,
      action: d.action === "penalise" ? "remove-penalise" : d.action,
      member_id: item.member_id,
      message_key: item.message_key,
      item_number: item.number,
      reason: d.reason ?? null,
      points_before: before,
      points_after: after,
    });
    const cannot = status === "removed" && aboutMessage && !CAN_DELETE.has(place.platform);
    const shown = await this.queue.show(trx, community, item, { cannotDelete: cannot });
    return { ok: true, item: shown, pointsBefore: before, pointsAfter: after, deleted: cannot ? "cannot" : "deleting" };
  }

  /** `/mod warn`: the member is told privately (a DM through the outbox) and the warning is audited. */
  async warn(trx: Transaction<Database>, community: Community, w: { actor: Actor; member: MemberRef; reason: string; key: string; now: Date; text: string }): Promise<boolean> {
    const points = (await memberPoints(trx, community.id, w.member.id)).points;
    const first = await appendAudit(trx, {
      key: `warn:${w.key}`,
      community_id: community.id,
      at: w.now.toISOString(),
      actor_id: w.actor.id,
      action: "warn",
      member_id: w.member.id,
      message_key: null,
      item_number: null,
      reason: w.reason,
      points_before: points,
      points_after: points,
    });
    if (first) await this.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `mod:warn:${w.key}`, operation: "dm", memberId: w.member.id, reply: { text: w.text, tone: "warning" } });
    return first;
  }

  /** `/mod adjust`: a ledger row of its own (keyed by the command), audited with the points before and after. */
  async adjust(trx: Transaction<Database>, community: Community, a: { actor: Actor; member: MemberRef; amount: number; reason: string; key: string; now: Date; place: Place }): Promise<{ before: number; after: number; duplicate: boolean }> {
    const before = (await memberPoints(trx, community.id, a.member.id)).points;
    const outcome = await this.points.adjustIn(trx, community, { key: `mod:adjust:${a.key}`, member: a.member, amount: a.amount, reason: "mod:adjust", sourceKey: a.key, at: a.now, place: a.place });
    const after = (await memberPoints(trx, community.id, a.member.id)).points;
    if (!outcome.duplicate) {
      await appendAudit(trx, {
        key: `adjust:${a.key}`,
        community_id: community.id,
        at: a.now.toISOString(),
        actor_id: a.actor.id,
        action: "adjust",
        member_id: a.member.id,
        message_key: null,
        item_number: null,
        reason: `${a.amount > 0 ? "+" : ""}${a.amount}: ${a.reason}`,
        points_before: before,
        points_after: after,
      });
    }
    return { before, after, duplicate: outcome.duplicate };
  }
}

