import { type Kysely, sql, type Transaction } from "kysely";
import type { MessageCreated } from "../../core/events.js";
import { pending, prepared } from "../../db/prepared.js";
import type { Database } from "../../db/schema.js";
import { localDay, periodsOfDay } from "../calendar.js";
import type { EventScope } from "../capability.js";
import type { WriteQueue } from "../write-queue.js";

/**
 * What community health needs that the engine did not keep: how many messages and thread replies
 * each week had, and which top-level messages asked something and when someone else first replied
 * in their thread. Runs in the message's ingest transaction, after points (which says whether the
 * message was a re-delivery: those are not counted again).
 *
 * The week counters are added up in memory and written once per transaction, just before it
 * commits (a batch holds hundreds of messages of one community and week); a rollback drops them.
 * A question is a top-level message with a `?` followed by a space or the end of the text — the
 * text itself is never stored.
 */
const QUESTION = /\?(\s|$)/;

// On the hot path: compiled once (see db/prepared.ts), run on SQLite's cached statements.
const firstReply = prepared((db: Kysely<Database>, a: { parent: string; author: string; at: string }) =>
  db
    .updateTable("health_questions")
    .set({ first_reply_at: a.at })
    .where("message_key", "=", a.parent)
    .where("member_id", "!=", a.author)
    .where("asked_at", "<=", a.at)
    .where((eb) => eb.or([eb("first_reply_at", "is", null), eb("first_reply_at", ">", a.at)])),
);

const insertQuestion = prepared((db: Kysely<Database>, a: { key: string; community: string; author: string; at: string }) =>
  db
    .insertInto("health_questions")
    .values({ message_key: a.key, community_id: a.community, member_id: a.author, asked_at: a.at, first_reply_at: null })
    .onConflict((oc) => oc.column("message_key").doNothing()),
);

export class HealthCounter {
  private readonly pending = new Map<string, { communityId: string; week: string; messages: number; replies: number }>();

  constructor(writes: WriteQueue) {
    writes.onRollback(() => this.pending.clear());
    writes.beforeCommit((trx) => this.flush(trx));
  }

  /** Counts the message; returns a promise only when a statement runs (a reply, or a question). */
  onMessage(scope: EventScope): Promise<unknown> | undefined {
    const e = scope.event as MessageCreated;
    if (scope.outcome.duplicate || e.author.isBot || !Number.isFinite(e.at.getTime())) return;
    const week = periodsOfDay(localDay(e.at, scope.community.settings.timezone))[1].slice("week:".length);
    const key = `${scope.community.id}|${week}`;
    let counts = this.pending.get(key);
    if (!counts) this.pending.set(key, (counts = { communityId: scope.community.id, week, messages: 0, replies: 0 }));
    counts.messages++;
    if (e.threadParentKey !== undefined) {
      counts.replies++;
      // The first reply by someone other than the asker; an earlier one arriving late still wins.
      return pending(firstReply(scope.trx, { parent: e.threadParentKey, author: e.author.id, at: e.at.toISOString() }));
    }
    if (QUESTION.test(e.text)) return pending(insertQuestion(scope.trx, { key: e.messageKey, community: scope.community.id, author: e.author.id, at: e.at.toISOString() }));
    return undefined;
  }

  private async flush(trx: Transaction<Database>): Promise<void> {
    if (this.pending.size === 0) return;
    for (const c of this.pending.values()) {
      await trx
        .insertInto("health_weeks")
        .values({ community_id: c.communityId, week: c.week, messages: c.messages, replies: c.replies })
        .onConflict((oc) =>
          oc.columns(["community_id", "week"]).doUpdateSet({
            messages: sql`health_weeks.messages + ${c.messages}`,
            replies: sql`health_weeks.replies + ${c.replies}`,
          }),
        )
        .execute();
    }
    this.pending.clear();
  }
}
