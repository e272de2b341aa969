import type { Transaction } from "kysely";
import type { MessageTarget, ReactionChanged } from "../../core/events.js";
import type { Actor, MemberRef, Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import type { WriteQueue } from "../write-queue.js";
import { type DecisionAction, type DecisionResult, Decisions } from "./decisions.js";
import { type AuditRow, auditOf, type ItemRow, openItems } from "./moderation.repo.js";
import type { RecentTexts } from "./recent-texts.js";
import type { ReportResult, ReviewQueue, SubjectInput } from "./review-queue.js";

/** The report emoji on every platform (Slack's `:triangular_flag_on_post:` normalises to it). */
export const REPORT_EMOJI = "🚩";

/**
 * What commands, buttons and message actions ask of moderation (`ctx.services.moderation`). Each
 * call is one transaction through the write queue, like every other write.
 */
export class ModerationService {
  constructor(
    private readonly writes: WriteQueue,
    private readonly queue: ReviewQueue,
    private readonly decisions: Decisions,
    private readonly recent: RecentTexts,
  ) {}

  /** Forgets the remembered texts of these messages: their author asked to be forgotten (src/engine/forget). */
  forgetTexts(messageKeys: Iterable<string>): void {
    for (const key of messageKeys) this.recent.delete(key);
  }

  /** Whether a reaction is a report: a 🚩 added, with moderation on. Asked before {@link onReaction}. */
  static isReport(community: Community, e: ReactionChanged): boolean {
    return e.kind === "reaction.added" && e.emoji === REPORT_EMOJI && community.settings.moderation.enabled;
  }

  /** A 🚩 reaction, inside the ingest transaction. Removing the reaction does not withdraw the report. */
  async onReaction(trx: Transaction<Database>, community: Community, e: ReactionChanged): Promise<ReportResult | undefined> {
    if (!ModerationService.isReport(community, e)) return undefined;
    return this.queue.report(
      trx,
      community,
      { reporter: e.actor, messageKey: e.messageKey, ...(e.messageAuthor ? { authorId: e.messageAuthor.id, ...(e.messageAuthor.isBot ? { authorIsBot: true } : {}) } : {}), place: e.place, via: "reaction", at: e.at.toISOString() },
      this.recent.get(e.messageKey),
    );
  }

  /** "Report to moderators" on a message: the platform told us its author and text. */
  reportTarget(community: Community, reporter: Actor, target: MessageTarget, at: Date, reason?: string): Promise<ReportResult> {
    return this.writes.submit((trx) =>
      this.queue.report(trx, community, { reporter, messageKey: target.messageKey, authorId: target.author.id, ...(target.author.isBot ? { authorIsBot: true } : {}), place: target.place, text: target.text, via: "action", at: at.toISOString(), ...(reason ? { reason } : {}) }, this.recent.get(target.messageKey)),
    );
  }

  /** `/report link [reason]`: a message known by its key only (its author from what the bot has seen). */
  reportLink(community: Community, reporter: Actor, messageKey: string, place: Place, at: Date, reason?: string): Promise<ReportResult> {
    return this.writes.submit((trx) =>
      this.queue.report(trx, community, { reporter, messageKey, place, via: "command", at: at.toISOString(), ...(reason ? { reason } : {}) }, this.recent.get(messageKey)),
    );
  }

  /**
   * Another capability's finding that is about no single message (economy: tips back and forth),
   * as one queue item, inside the caller's transaction; undefined when that subject is queued already.
   */
  flagSubject(trx: Transaction<Database>, community: Community, subject: SubjectInput): Promise<ItemRow | undefined> {
    return this.queue.flagSubject(trx, community, subject);
  }

  decide(community: Community, actor: Actor, number: number, action: DecisionAction, now: Date, reason?: string): Promise<DecisionResult> {
    return this.writes.submit((trx) => this.decisions.decide(trx, community, { actor, number, action, now, ...(reason ? { reason } : {}) }));
  }

  warn(community: Community, w: { actor: Actor; member: MemberRef; reason: string; key: string; now: Date; text: string }): Promise<boolean> {
    return this.writes.submit((trx) => this.decisions.warn(trx, community, w));
  }

  adjust(community: Community, a: { actor: Actor; member: MemberRef; amount: number; reason: string; key: string; now: Date; place: Place }) {
    return this.writes.submit((trx) => this.decisions.adjust(trx, community, a));
  }

  openItems(community: Community, limit = 15): Promise<ItemRow[]> {
    return this.writes.submit((trx) => openItems(trx, community.id, limit));
  }

  history(community: Community, memberId: string, limit = 15): Promise<AuditRow[]> {
    return this.writes.submit((trx) => auditOf(trx, community.id, memberId, limit));
  }
}
