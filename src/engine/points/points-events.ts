import type { Selectable } from "kysely";
import type { MessageTable, ReactionTable, ThanksTable } from "../../db/schema.js";
import type { Earning, EarningKind } from "./rules.js";

/** Which table a recorded points event lives in. */
export type EventTable = "messages" | "reactions" | "thanks";

/**
 * A recorded points event — a message, a reaction or a thanks — as the service holds it while
 * deciding: one shape for the three tables, so a member's day folds over all of them at once.
 */
export interface RecordedEvent {
  table: EventTable;
  key: string;
  kind: EarningKind;
  /** Who earns: the author, the reacted message's author, the thanked member; '' while unknown. */
  memberId: string;
  /** Who reacted or gave the thanks (null for a message). */
  actorId: string | null;
  /** When it happened; null for a reaction of which only the removal has arrived. */
  at: string | null;
  /** When it was taken back (deleted, removed); null while it stands. */
  endedAt: string | null;
  /** The message (or command) it came from. */
  sourceKey: string;
  /** Messages: judged by the rules at all (not a tombstone, no-points channel or impossible time). */
  scored: boolean;
  /** Thanks: within the giver's daily budget. */
  counted: boolean;
  gross: number | null;
  net: number;
  ledgerRows: number;
}

/** Whether the rules judge it at all; only then does it take a place in its member's day. */
export function isEligible(e: RecordedEvent): boolean {
  if (e.memberId === "" || e.at === null) return false;
  switch (e.table) {
    case "messages":
      return e.scored;
    case "reactions":
      // Removed (or its message deleted) before it was added: in canonical order it never stood.
      return e.memberId !== e.actorId && (e.endedAt === null || e.endedAt >= e.at);
    case "thanks":
      return e.counted;
  }
}

export function asEarning(e: RecordedEvent): Earning {
  return { key: e.key, at: e.at as string, kind: e.kind };
}

export type MessageRow = Selectable<MessageTable>;
export type ReactionRow = Selectable<ReactionTable>;
export type ThanksRow = Selectable<ThanksTable>;

export function fromMessage(r: MessageRow): RecordedEvent {
  return {
    table: "messages",
    key: r.message_key,
    kind: r.thread_parent_key === null ? "post" : "reply",
    memberId: r.member_id,
    actorId: null,
    at: r.created_at,
    endedAt: r.deleted_at,
    sourceKey: r.message_key,
    scored: r.scored === 1,
    counted: true,
    gross: r.gross,
    net: r.net,
    ledgerRows: r.ledger_rows,
  };
}

export function fromReaction(r: ReactionRow): RecordedEvent {
  return {
    table: "reactions",
    key: r.key,
    kind: "reaction",
    memberId: r.member_id,
    actorId: r.actor_id,
    at: r.added_at,
    endedAt: r.ended_at,
    sourceKey: r.message_key,
    scored: true,
    counted: true,
    gross: r.gross,
    net: r.net,
    ledgerRows: r.ledger_rows,
  };
}

export function fromThanks(r: ThanksRow): RecordedEvent {
  return {
    table: "thanks",
    key: r.key,
    kind: "thanks",
    memberId: r.receiver_id,
    actorId: r.giver_id,
    at: r.at,
    endedAt: r.ended_at,
    sourceKey: r.source_key,
    scored: true,
    counted: r.counted === 1,
    gross: r.gross,
    net: r.net,
    ledgerRows: r.ledger_rows,
  };
}

/**
 * `e` (a fresh object from `fromMessage` and the like) as it stands before its first ledger row:
 * what a new event is until `Settlement.firstRows` writes it. Set in place rather than copying the
 * row first: this runs for every event.
 */
export function beforeFirstRow(e: RecordedEvent): RecordedEvent {
  e.net = 0;
  e.ledgerRows = 0;
  return e;
}

/** The earlier of two end times (an end only ever moves earlier: the first removal or delete counts). */
export function earliest(a: string | null, b: string): string {
  return a === null || b < a ? b : a;
}
