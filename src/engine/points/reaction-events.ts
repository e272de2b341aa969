import type { ReactionChanged } from "../../core/events.js";
import { channelKey, type MemberRef } from "../../core/identity.js";
import type { SkipReason } from "./outcome.js";
import { beforeFirstRow, earliest, fromReaction, isEligible, type ReactionRow, type RecordedEvent } from "./points-events.js";
import { findReaction, insertMessage, insertReaction, messageAuthor, updateReaction } from "./points-events.repo.js";
import { Settlement } from "./settlement.js";

// Reactions added and removed, for the points service. Adds and removals share the natural key; the
// earliest add and the earliest end (removal, or the message's deletion) are what count, whatever
// order they arrive in. Each handler returns true when the event had been applied already.

/** A reaction added: earns its message's author, or waits for the message if its author is unknown. */
export async function reactionAdded(s: Settlement, e: ReactionChanged, at: string | undefined): Promise<boolean> {
  if (e.actor.isBot) return refuse(s, "bot", e.actor.id);
  if (at === undefined) return refuse(s, "bad-timestamp", e.actor.id);
  if (s.rules.noPointsChannels.includes(channelKey(e.place))) return refuse(s, "no-points-channel", e.messageAuthor?.id);
  // Awaited only on Postgres: on SQLite these have run already (see LedgerWriter.append).
  const finding = findReaction(s.db, e.key);
  const existing = finding instanceof Promise ? await finding : finding;
  // Adds share the key: the earliest counts, and a re-add after a removal is the same reaction.
  if (existing?.added_at != null && existing.added_at <= at) return true;
  const asking = messageAuthor(s.db, e.messageKey);
  const message = asking instanceof Promise ? await asking : asking;
  const authorId = e.messageAuthor?.id || existing?.member_id || message?.member_id || "";
  if (authorId === e.actor.id) return refuse(s, "self", e.actor.id);
  if (authorId !== "" && (e.messageAuthor?.isBot ?? (await s.members.peek(authorId))?.is_bot === 1)) return refuse(s, "bot", authorId);

  if (existing) {
    await earlierAdd(s, existing, authorId, at, e.messageAuthor);
    return false;
  }

  const endedAt = message?.deleted_at ?? null;
  // Deleted before this reaction: in canonical order the message was gone, so it never stood.
  if (endedAt !== null && endedAt < at) return refuse(s, "deleted-message", authorId || undefined);
  const row: ReactionRow = {
    key: e.key,
    community_id: s.community.id,
    message_key: e.messageKey,
    actor_id: e.actor.id,
    member_id: authorId,
    added_at: at,
    ended_at: endedAt,
    gross: null,
    net: 0,
    ledger_rows: 0,
  };
  if (authorId === "") {
    // Kept until the message arrives and says who wrote it.
    await insertReaction(s.db, row);
    await placeholder(s, e.messageKey, channelKey(e.place), at);
    return refuse(s, "unknown-message");
  }
  const loading = s.members.get(e.messageAuthor ?? { id: authorId });
  const author = loading instanceof Promise ? await loading : loading;
  const decision = s.fresh(author, at, e.key) ? s.judge(author, { key: e.key, at, kind: "reaction" }) : undefined;
  row.gross = decision?.judgement.gross ?? null;
  const first = Settlement.preview({ key: e.key, kind: "reaction", gross: row.gross, endedAt });
  Object.assign(row, { net: first.net, ledger_rows: first.ledgerRows });
  const inserted = insertReaction(s.db, row);
  if (!(inserted instanceof Promise ? await inserted : inserted)) return true;
  if (decision) {
    decision.commit();
    if (decision.judgement.refusal) s.ledger.skip(decision.judgement.refusal, authorId);
    await s.firstRows(beforeFirstRow(fromReaction(row)), first);
  } else s.markLate(authorId, s.day(at), at, e.key);
  return false;
}

/**
 * A row for a message not seen yet, so its create, when it comes, finds the key taken and claims
 * the reactions waiting for it (a create otherwise never has to look for them).
 */
async function placeholder(s: Settlement, messageKey: string, channel: string, at: string): Promise<void> {
  await insertMessage(s.db, {
    message_key: messageKey,
    community_id: s.community.id,
    member_id: "",
    channel_key: channel,
    thread_parent_key: null,
    created_at: at,
    deleted_at: null,
    scored: 0,
    gross: null,
    net: 0,
    ledger_rows: 0,
  });
}

/** An add earlier than the recorded one (or than a removal that overtook it): it moves, and its days are refolded. */
async function earlierAdd(s: Settlement, existing: ReactionRow, authorId: string, at: string, ref: MemberRef | undefined): Promise<void> {
  await updateReaction(s.db, existing.key, { member_id: authorId, added_at: at, ended_at: existing.ended_at });
  const before = fromReaction(existing);
  const after = fromReaction({ ...existing, member_id: authorId, added_at: at });
  if (authorId === "") return s.ledger.skip("unknown-message");
  await s.members.get(ref ?? { id: authorId });
  if (before.at !== null) {
    const oldDay = s.day(before.at);
    if (isEligible(before)) s.markLate(authorId, oldDay);
    // Its points belong to the day it now happened on: taken back from the old day first.
    if (oldDay !== s.day(at) && before.memberId === authorId) await s.withdraw(after, oldDay);
  }
  if (isEligible(after)) s.markLate(authorId, s.day(at), at, existing.key);
  else s.ledger.skip("already-reversed", authorId);
  s.touch(after);
}

/** A reaction removed: its award is taken back (or, arriving first, it is kept to meet its add). */
export async function reactionRemoved(s: Settlement, e: ReactionChanged, at: string | undefined): Promise<boolean> {
  if (e.actor.isBot) return refuse(s, "bot", e.actor.id);
  if (at === undefined) return refuse(s, "bad-timestamp", e.actor.id);
  const existing = await findReaction(s.db, e.key);
  if (!existing) {
    // The removal overtook its add: kept, so the add, when it comes, is judged with its end known.
    const message = await messageAuthor(s.db, e.messageKey);
    const memberId = e.messageAuthor?.id || message?.member_id || "";
    await insertReaction(s.db, {
      key: e.key,
      community_id: s.community.id,
      message_key: e.messageKey,
      actor_id: e.actor.id,
      member_id: memberId,
      added_at: null,
      ended_at: earliest(message?.deleted_at ?? null, at),
      gross: null,
      net: 0,
      ledger_rows: 0,
    });
    if (memberId === "") await placeholder(s, e.messageKey, channelKey(e.place), at);
    return false;
  }
  const endedAt = earliest(existing.ended_at, at);
  if (endedAt === existing.ended_at) return refuse(s, "already-reversed", existing.member_id || undefined);
  await updateReaction(s.db, e.key, { member_id: existing.member_id, added_at: existing.added_at, ended_at: endedAt });
  const before = fromReaction(existing);
  const after = fromReaction({ ...existing, ended_at: endedAt });
  endedEarlier(s, before, after);
  return false;
}

/** A recorded event now ends earlier: reversed when it commits, and refolded if that changes whether it stood at all. */
export function endedEarlier(s: Settlement, before: RecordedEvent, after: RecordedEvent): void {
  if (after.endedAt === before.endedAt || after.memberId === "" || after.at === null) return;
  if (isEligible(before) !== isEligible(after)) s.markLate(after.memberId, s.day(after.at));
  s.touch(after);
}

/** Notes why (part of) the event earned nothing; false: the event was not a duplicate. */
export function refuse(s: Settlement, reason: SkipReason, memberId?: string): false {
  s.ledger.skip(reason, memberId);
  return false;
}
