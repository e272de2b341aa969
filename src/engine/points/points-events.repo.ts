import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { andThen, firstRow, type Maybe, prepared, rowsChanged } from "../../db/prepared.js";
import type { EventTable, MessageRow, ReactionRow, ThanksRow } from "./points-events.js";

/**
 * The recorded points events: messages, reactions and thanks, each with what the rules made of
 * it. Every function takes the transaction it runs in; the ones on the hot path are `prepared`.
 */
type Db = Kysely<Database>;


// ---- messages ---------------------------------------------------------------------------------

const insertMessageQuery = prepared((db: Db, a: MessageRow) =>
  db
    .insertInto("messages")
    .values({
      message_key: a.message_key,
      community_id: a.community_id,
      member_id: a.member_id,
      channel_key: a.channel_key,
      thread_parent_key: a.thread_parent_key,
      created_at: a.created_at,
      deleted_at: a.deleted_at,
      scored: a.scored,
      gross: a.gross,
      net: a.net,
      ledger_rows: a.ledger_rows,
    })
    .onConflict((oc) => oc.column("message_key").doNothing()),
);

/** Records a message (or a delete's tombstone); false if its key was already taken. */
export function insertMessage(db: Db, row: MessageRow): Maybe<boolean> {
  return andThen(insertMessageQuery(db, row), rowsChanged);
}

const findMessageQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("messages").selectAll().where("message_key", "=", a.key));

export function findMessage(db: Db, messageKey: string): Maybe<MessageRow | undefined> {
  return andThen(findMessageQuery(db, { key: messageKey }), firstRow);
}

const messageAuthorQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("messages").select(["member_id", "deleted_at"]).where("message_key", "=", a.key));

/** Who wrote a message ('' for a tombstone) and when it was deleted, if it is known at all. */
export function messageAuthor(db: Db, messageKey: string): Maybe<Pick<MessageRow, "member_id" | "deleted_at"> | undefined> {
  return andThen(messageAuthorQuery(db, { key: messageKey }), firstRow);
}

/** A create that a delete overtook fills in the tombstone (whose `deleted_at` stays). */
export async function fillTombstone(db: Db, row: MessageRow): Promise<boolean> {
  const result = await db
    .updateTable("messages")
    .set({
      member_id: row.member_id,
      channel_key: row.channel_key,
      thread_parent_key: row.thread_parent_key,
      created_at: row.created_at,
      scored: row.scored,
      gross: row.gross,
      net: row.net,
      ledger_rows: row.ledger_rows,
    })
    .where("message_key", "=", row.message_key)
    .where("member_id", "=", "")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const markDeletedQuery = prepared((db: Db, a: { key: string; at: string }) =>
  db
    .updateTable("messages")
    .set({ deleted_at: a.at })
    .where("message_key", "=", a.key)
    .where((eb) => eb.or([eb("deleted_at", "is", null), eb("deleted_at", ">", a.at)])),
);

/** Marks a message deleted at `at`, or earlier than it was marked; false if that changes nothing. */
export async function markMessageDeleted(db: Db, messageKey: string, at: string): Promise<boolean> {
  return rowsChanged(await markDeletedQuery(db, { key: messageKey, at }));
}

// The queries a refold runs (a late event, a delete, a removed reaction): prepared as well, since
// every delete of a message that was reacted to refolds its members' days (kysely's compile had
// cost ~20 µs a query there, ~10 queries a delete).
type MemberSpan = { community: string; member: string; from: string; to: string };

const messagesBetweenQuery = prepared((db: Db, a: MemberSpan) =>
  db
    .selectFrom("messages")
    .selectAll()
    .where("community_id", "=", a.community)
    .where("member_id", "=", a.member)
    .where("created_at", ">=", a.from)
    .where("created_at", "<", a.to)
    .where("scored", "=", 1),
);

/** A member's judged messages in `[from, to)`. */
export async function messagesBetween(db: Db, communityId: string, memberId: string, from: string, to: string): Promise<MessageRow[]> {
  return (await messagesBetweenQuery(db, { community: communityId, member: memberId, from, to })).rows;
}

const lastAwardBeforeQuery = prepared((db: Db, a: { community: string; member: string; before: string }) =>
  db
    .selectFrom("messages")
    .select("created_at")
    .where("community_id", "=", a.community)
    .where("member_id", "=", a.member)
    .where("created_at", "<", a.before)
    .where("scored", "=", 1)
    .where("gross", "is not", null)
    .orderBy("created_at", "desc")
    .limit(1),
);

/** Time of the member's last message that earned (gross not null) before `before`, if any. */
export async function lastAwardBefore(db: Db, communityId: string, memberId: string, before: string): Promise<string | null> {
  return (await lastAwardBeforeQuery(db, { community: communityId, member: memberId, before })).rows[0]?.created_at ?? null;
}

const nextMessageAtQuery = prepared((db: Db, a: { community: string; member: string; from: string }) =>
  db
    .selectFrom("messages")
    .select("created_at")
    .where("community_id", "=", a.community)
    .where("member_id", "=", a.member)
    .where("created_at", ">=", a.from)
    .where("scored", "=", 1)
    .orderBy("created_at")
    .limit(1),
);

/** Time of the member's first judged message at or after `from`, if any. */
export async function nextMessageAt(db: Db, communityId: string, memberId: string, from: string): Promise<string | null> {
  return (await nextMessageAtQuery(db, { community: communityId, member: memberId, from })).rows[0]?.created_at ?? null;
}

// ---- reactions --------------------------------------------------------------------------------

const insertReactionQuery = prepared((db: Db, a: ReactionRow) =>
  db
    .insertInto("reactions")
    .values({
      key: a.key,
      community_id: a.community_id,
      message_key: a.message_key,
      actor_id: a.actor_id,
      member_id: a.member_id,
      added_at: a.added_at,
      ended_at: a.ended_at,
      gross: a.gross,
      net: a.net,
      ledger_rows: a.ledger_rows,
    })
    .onConflict((oc) => oc.column("key").doNothing()),
);

export function insertReaction(db: Db, row: ReactionRow): Maybe<boolean> {
  return andThen(insertReactionQuery(db, row), rowsChanged);
}

const findReactionQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("reactions").selectAll().where("key", "=", a.key));

export function findReaction(db: Db, key: string): Maybe<ReactionRow | undefined> {
  return andThen(findReactionQuery(db, { key }), firstRow);
}

const updateReactionQuery = prepared((db: Db, a: { key: string; member: string; added: string | null; ended: string | null }) =>
  db.updateTable("reactions").set({ member_id: a.member, added_at: a.added, ended_at: a.ended }).where("key", "=", a.key),
);

/** The reaction's earliest add and end, and (once known) who earns it. */
export async function updateReaction(db: Db, key: string, set: Pick<ReactionRow, "member_id" | "added_at" | "ended_at">): Promise<void> {
  await updateReactionQuery(db, { key, member: set.member_id, added: set.added_at, ended: set.ended_at });
}

const reactionsOfQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("reactions").selectAll().where("message_key", "=", a.key));

/** Every recorded reaction on a message. */
export async function reactionsOf(db: Db, messageKey: string): Promise<ReactionRow[]> {
  return (await reactionsOfQuery(db, { key: messageKey })).rows;
}

const claimReactionsQuery = prepared((db: Db, a: { key: string; member: string }) =>
  db.updateTable("reactions").set({ member_id: a.member }).where("message_key", "=", a.key).where("member_id", "=", ""),
);

/** The reactions that arrived before their message (author unknown) now belong to `memberId`. */
export async function claimReactions(db: Db, messageKey: string, memberId: string): Promise<void> {
  await claimReactionsQuery(db, { key: messageKey, member: memberId });
}

const endReactionsQuery = prepared((db: Db, a: { key: string; at: string }) =>
  db
    .updateTable("reactions")
    .set({ ended_at: a.at })
    .where("message_key", "=", a.key)
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", a.at)])),
);

/** The message was deleted at `at`: its reactions end then, unless they ended earlier. */
export async function endReactions(db: Db, messageKey: string, at: string): Promise<void> {
  await endReactionsQuery(db, { key: messageKey, at });
}

const reactionsBetweenQuery = prepared((db: Db, a: MemberSpan) =>
  db
    .selectFrom("reactions")
    .selectAll()
    .where("community_id", "=", a.community)
    .where("member_id", "=", a.member)
    .where("added_at", ">=", a.from)
    .where("added_at", "<", a.to),
);

/** The reactions a member received, added in `[from, to)`. */
export async function reactionsBetween(db: Db, communityId: string, memberId: string, from: string, to: string): Promise<ReactionRow[]> {
  return (await reactionsBetweenQuery(db, { community: communityId, member: memberId, from, to })).rows;
}

// ---- thanks -----------------------------------------------------------------------------------

const insertThanksQuery = prepared((db: Db, a: ThanksRow) =>
  db
    .insertInto("thanks")
    .values({
      key: a.key,
      community_id: a.community_id,
      source_key: a.source_key,
      giver_id: a.giver_id,
      receiver_id: a.receiver_id,
      at: a.at,
      ended_at: a.ended_at,
      counted: a.counted,
      gross: a.gross,
      net: a.net,
      ledger_rows: a.ledger_rows,
    })
    .onConflict((oc) => oc.column("key").doNothing()),
);

export function insertThanks(db: Db, row: ThanksRow): Maybe<boolean> {
  return andThen(insertThanksQuery(db, row), rowsChanged);
}

const thanksExistsQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("thanks").select("key").where("key", "=", a.key));

export async function thanksExists(db: Db, key: string): Promise<boolean> {
  return (await thanksExistsQuery(db, { key })).rows.length > 0;
}

const thanksOfQuery = prepared((db: Db, a: { key: string }) => db.selectFrom("thanks").selectAll().where("source_key", "=", a.key));

/** The thanks a message carried. */
export async function thanksOf(db: Db, sourceKey: string): Promise<ThanksRow[]> {
  return (await thanksOfQuery(db, { key: sourceKey })).rows;
}

const endThanksQuery = prepared((db: Db, a: { key: string; at: string }) =>
  db
    .updateTable("thanks")
    .set({ ended_at: a.at })
    .where("source_key", "=", a.key)
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", a.at)])),
);

export async function endThanks(db: Db, sourceKey: string, at: string): Promise<void> {
  await endThanksQuery(db, { key: sourceKey, at });
}

const thanksReceivedBetweenQuery = prepared((db: Db, a: MemberSpan) =>
  db.selectFrom("thanks").selectAll().where("community_id", "=", a.community).where("receiver_id", "=", a.member).where("at", ">=", a.from).where("at", "<", a.to),
);

/** The thanks a member received in `[from, to)`. */
export async function thanksReceivedBetween(db: Db, communityId: string, memberId: string, from: string, to: string): Promise<ThanksRow[]> {
  return (await thanksReceivedBetweenQuery(db, { community: communityId, member: memberId, from, to })).rows;
}

const thanksGivenBetweenQuery = prepared((db: Db, a: MemberSpan) =>
  db.selectFrom("thanks").selectAll().where("community_id", "=", a.community).where("giver_id", "=", a.member).where("at", ">=", a.from).where("at", "<", a.to),
);

/** The thanks a member gave in `[from, to)`. */
export async function thanksGivenBetween(db: Db, communityId: string, giverId: string, from: string, to: string): Promise<ThanksRow[]> {
  return (await thanksGivenBetweenQuery(db, { community: communityId, member: giverId, from, to })).rows;
}

const setCountedQuery = prepared((db: Db, a: { key: string; counted: number }) => db.updateTable("thanks").set({ counted: a.counted }).where("key", "=", a.key));

export async function setCounted(db: Db, key: string, counted: boolean): Promise<void> {
  await setCountedQuery(db, { key, counted: counted ? 1 : 0 });
}

const countedGivenBetweenQuery = prepared((db: Db, a: MemberSpan) =>
  db
    .selectFrom("thanks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("community_id", "=", a.community)
    .where("giver_id", "=", a.member)
    .where("at", ">=", a.from)
    .where("at", "<", a.to)
    .where("counted", "=", 1),
);

/** How many thanks that count a member gave in `[from, to)` (their budget used). */
export async function countedGivenBetween(db: Db, communityId: string, giverId: string, from: string, to: string): Promise<number> {
  return Number((await countedGivenBetweenQuery(db, { community: communityId, member: giverId, from, to })).rows[0]?.n ?? 0);
}

// ---- any of the three -------------------------------------------------------------------------

const setGrossQueries = {
  messages: prepared((db: Db, a: { key: string; gross: number | null }) => db.updateTable("messages").set({ gross: a.gross }).where("message_key", "=", a.key)),
  reactions: prepared((db: Db, a: { key: string; gross: number | null }) => db.updateTable("reactions").set({ gross: a.gross }).where("key", "=", a.key)),
  thanks: prepared((db: Db, a: { key: string; gross: number | null }) => db.updateTable("thanks").set({ gross: a.gross }).where("key", "=", a.key)),
};

/** Writes what a recompute granted an event. */
export async function setGross(db: Db, table: EventTable, key: string, gross: number | null): Promise<void> {
  await setGrossQueries[table](db, { key, gross });
}

const setNetQueries = {
  messages: prepared((db: Db, a: { key: string; net: number; rows: number }) => db.updateTable("messages").set({ net: a.net, ledger_rows: a.rows }).where("message_key", "=", a.key)),
  reactions: prepared((db: Db, a: { key: string; net: number; rows: number }) => db.updateTable("reactions").set({ net: a.net, ledger_rows: a.rows }).where("key", "=", a.key)),
  thanks: prepared((db: Db, a: { key: string; net: number; rows: number }) => db.updateTable("thanks").set({ net: a.net, ledger_rows: a.rows }).where("key", "=", a.key)),
};

/** Writes an event's ledger sum after rows were appended for it. */
export async function setNet(db: Db, table: EventTable, key: string, net: number, rows: number): Promise<void> {
  await setNetQueries[table](db, { key, net, rows });
}
