import { type ExpressionBuilder, type Insertable, type Kysely, type Selectable, sql } from "kysely";
import type { Database, OutboxTable } from "../../db/schema.js";

/**
 * The outbox table's queries. Every state change after enqueue is a conditional update on the
 * row's state and attempt count — the row's version — so two delivery loops on one database can
 * never both claim, or both settle, one attempt.
 */
type Db = Kysely<Database>;

export type OutboxRow = Selectable<OutboxTable>;

/** `pending` waits for its time; `sending` is claimed; the other three are final. */
export type OutboxState = "pending" | "sending" | "sent" | "refused" | "failed";

const OPEN_STATES: OutboxState[] = ["pending", "sending"];

/** Inserts a row unless its dedupe key exists; true when inserted. */
export async function insertOutboxRow(db: Db, row: Insertable<OutboxTable>): Promise<boolean> {
  const result = await db.insertInto("outbox").values(row).onConflict((oc) => oc.column("dedupe_key").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findOutboxRow(db: Db, dedupeKey: string): Promise<OutboxRow | undefined> {
  return db.selectFrom("outbox").selectAll().where("dedupe_key", "=", dedupeKey).executeTakeFirst();
}

/**
 * An edit or delete of our own post waits while the post — or an earlier edit or delete of it —
 * is still open, so one post's changes land in the order they were decided, after the post itself.
 */
function isUnblocked(eb: ExpressionBuilder<Database & { o: OutboxTable }, "o">) {
  return eb.or([
    eb("o.ref_key", "is", null),
    eb.not(
      eb.exists(
        eb
          .selectFrom("outbox as p")
          .select("p.id")
          .where("p.state", "in", OPEN_STATES)
          .where((e) =>
            e.or([
              e("p.dedupe_key", "=", e.ref("o.ref_key")),
              e.and([
                e("p.ref_key", "=", e.ref("o.ref_key")),
                e.or([e("p.created_at", "<", e.ref("o.created_at")), e.and([e("p.created_at", "=", e.ref("o.created_at")), e("p.id", "<", e.ref("o.id"))])]),
              ]),
            ]),
          ),
      ),
    ),
  ]);
}

/** Rows due now on these platforms and not waiting for an earlier row of their post, oldest first. */
export async function dueOutboxRows(db: Db, o: { now: string; platforms: readonly string[]; limit: number }): Promise<OutboxRow[]> {
  if (o.platforms.length === 0) return [];
  return db
    .selectFrom("outbox as o")
    .selectAll("o")
    .where("o.state", "in", OPEN_STATES)
    .where("o.next_attempt_at", "<=", o.now)
    .where("o.platform", "in", [...o.platforms])
    .where(isUnblocked)
    .orderBy("o.created_at")
    .orderBy("o.id")
    .limit(o.limit)
    .execute();
}

/**
 * The earliest time an open row on these platforms comes due, if any (to sleep until then). A row
 * waiting for its post does not count: it is taken in the pass that delivers the post.
 */
export async function nextDueAt(db: Db, platforms: readonly string[]): Promise<string | undefined> {
  if (platforms.length === 0) return undefined;
  const row = await db
    .selectFrom("outbox as o")
    .select((eb) => eb.fn.min("o.next_attempt_at").as("at"))
    .where("o.state", "in", OPEN_STATES)
    .where("o.platform", "in", [...platforms])
    .where(isUnblocked)
    .executeTakeFirst();
  return row?.at ?? undefined;
}

/** The version a loop read a row at: a change applies only if nobody moved the row since. */
interface Version {
  id: string;
  state: string;
  attempts: number;
}

/**
 * Takes a due row for one attempt: `sending` until `leaseUntil`. False when another loop took it
 * first. `riskRepeat` counts a re-send that may repeat a post the platform cannot de-duplicate.
 */
export async function claimOutboxRow(db: Db, row: Version, o: { now: string; leaseUntil: string; riskRepeat: boolean }): Promise<boolean> {
  const result = await db
    .updateTable("outbox")
    .set((eb) => ({
      state: "sending",
      attempts: eb("attempts", "+", 1),
      risked_repeats: o.riskRepeat ? eb("risked_repeats", "+", 1) : eb.ref("risked_repeats"),
      last_attempt_at: o.now,
      next_attempt_at: o.leaseUntil,
    }))
    .where("id", "=", row.id)
    .where("state", "=", row.state)
    .where("attempts", "=", row.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** What one attempt came to, written only if the row is still as the attempt left it. */
export type Settlement =
  | { state: "sent"; messageId: string | null; deliveredTo: string | null; note: string | null; at: string }
  /** `rateLimited`: the platform answered with a rate limit (counted in `rate_limited`, not as a failure). */
  | { state: "pending"; nextAttemptAt: string; uncertain: boolean; rateLimited: boolean; error: string }
  | { state: "refused" | "failed"; error: string };

/**
 * Settles a claimed attempt (`attempts` is the count after the claim). False when the claim had
 * lapsed and another loop took the row over meanwhile: its attempt decides then.
 */
export async function settleOutboxRow(db: Db, id: string, attempts: number, s: Settlement): Promise<boolean> {
  const changes =
    s.state === "sent"
      ? { state: s.state, platform_message_id: s.messageId, delivered_to: s.deliveredTo, sent_at: s.at, last_error: s.note, last_attempt_uncertain: 0 }
      : s.state === "pending"
        ? { state: s.state, next_attempt_at: s.nextAttemptAt, last_attempt_uncertain: s.uncertain ? 1 : 0, last_error: s.error, ...(s.rateLimited ? { rate_limited: sql<number>`rate_limited + 1` } : {}) }
        : { state: s.state, last_error: s.error };
  const result = await db.updateTable("outbox").set(changes).where("id", "=", id).where("state", "=", "sending").where("attempts", "=", attempts).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends a row without an attempt (given up before sending), if it is still at the version read. */
export async function closeOutboxRow(db: Db, row: Version, o: { state: "refused" | "failed"; error: string }): Promise<boolean> {
  const result = await db
    .updateTable("outbox")
    .set({ state: o.state, last_error: o.error })
    .where("id", "=", row.id)
    .where("state", "=", row.state)
    .where("attempts", "=", row.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Open rows (pending or sending) of one platform in one state. */
export interface OutboxBacklog {
  platform: string;
  state: "pending" | "sending";
  rows: number;
}

/**
 * How many rows are still to deliver, by platform and state — for a metrics scrape, not the hot
 * path. Counts over the (state, next_attempt_at) index; delivered rows are never read.
 */
export async function outboxBacklog(db: Db): Promise<OutboxBacklog[]> {
  const rows = await db
    .selectFrom("outbox")
    .select((eb) => ["platform", "state", eb.fn.countAll<number | string | bigint>().as("n")])
    .where("state", "in", OPEN_STATES)
    .groupBy(["platform", "state"])
    .execute();
  // Postgres answers count(*) as a bigint string.
  return rows.map((r) => ({ platform: r.platform, state: r.state as OutboxBacklog["state"], rows: Number(r.n) }));
}
