import type { Settings } from "../communities/settings.js";

/**
 * The anti-farming rules as pure functions. Points are defined as if every event had arrived in
 * canonical order — by timestamp, ties broken by natural key — so the same set of events earns the
 * same, whatever order they really arrived in and however often each was delivered.
 *
 * Two folds make the rules:
 * - a member's day ({@link judgeDay}): their messages (cooldown, then cap), the reactions and the
 *   counted thanks they receive (cap), in canonical order. The cooldown carries across midnight:
 *   the last message that earned on one day can block the first ones of the next.
 * - a giver's day ({@link judgeBudget}): the first `thanksPerDay` thanks they give count.
 *
 * The newest event for a member is one step of the fold from the member's recorded state
 * ({@link judgeNext}, the hot path); an older one makes the service refold the days it touches.
 * The cap counts gross: a reversal (delete, reaction removed) takes the points back but not the room.
 */
type PointRules = Settings["points"];

/** What the state holds after the member's newest counted event (the members row). */
export interface RuleState {
  lastMessageAwardAt: string | null;
  /** Community-local day (yyyy-MM-dd) the counters below belong to. */
  activityDay: string | null;
  /** Activity points granted on `activityDay`, gross of reversals. */
  activityPoints: number;
  /** Counted thanks given on `activityDay`. */
  thanksGiven: number;
}

export type Refusal = "cooldown" | "daily-cap" | "thanks-budget";

export type EarningKind = "post" | "reply" | "reaction" | "thanks";

/** One thing that can earn its member activity points, as the rules see it. */
export interface Earning {
  key: string;
  /** ISO time. */
  at: string;
  kind: EarningKind;
}

/** What the rules grant one earning: `gross` null when refused (it then takes no room and no cooldown). */
export type Judgement = { gross: number; refusal?: undefined } | { gross: null; refusal: Refusal };

/** Canonical order: time, then natural key. */
export function canonical(a: { at: string; key: string }, b: { at: string; key: string }): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** True when `at`/`key` comes after the watermark (so the recorded state can decide it). */
export function isAfter(at: string, key: string, watermarkAt: string | null, watermarkKey: string | null): boolean {
  return watermarkAt === null || canonical({ at, key }, { at: watermarkAt, key: watermarkKey ?? "" }) > 0;
}

export function baseAmount(rules: PointRules, kind: EarningKind): number {
  switch (kind) {
    case "post":
      return rules.post;
    case "reply":
      return rules.reply;
    case "reaction":
      return rules.reactionReceived;
    case "thanks":
      return rules.thanksReceived;
  }
}

/** The counters as of `day`: a new day starts them at zero. */
function countersOn(state: RuleState, day: string): RuleState {
  return state.activityDay === day ? state : { ...state, activityDay: day, activityPoints: 0, thanksGiven: 0 };
}

/** One step of a member's day: the judgement of `e` (on local `day`) and the state after it. */
export function judgeNext(rules: PointRules, state: RuleState, e: Earning, day: string): { judgement: Judgement; state: RuleState } {
  const before = countersOn(state, day);
  const isMessage = e.kind === "post" || e.kind === "reply";
  if (isMessage && before.lastMessageAwardAt !== null && Date.parse(e.at) - Date.parse(before.lastMessageAwardAt) < rules.messageCooldownSeconds * 1000) {
    return { judgement: { gross: null, refusal: "cooldown" }, state: before };
  }
  const room = rules.dailyCap - before.activityPoints;
  if (room <= 0) return { judgement: { gross: null, refusal: "daily-cap" }, state: before };
  const gross = Math.min(baseAmount(rules, e.kind), room);
  return {
    judgement: { gross },
    state: { ...before, activityPoints: before.activityPoints + gross, lastMessageAwardAt: isMessage ? e.at : before.lastMessageAwardAt },
  };
}

/** Whether the giver may still give a thanks that counts on `day`, and the state after it. */
export function judgeGift(rules: PointRules, state: RuleState, day: string): { counted: boolean; state: RuleState } {
  const before = countersOn(state, day);
  if (before.thanksGiven >= rules.thanksPerDay) return { counted: false, state: before };
  return { counted: true, state: { ...before, thanksGiven: before.thanksGiven + 1 } };
}

/** A member's whole day refolded: each earning's judgement, and the cooldown carried out of the day. */
export interface DayJudgement {
  judgements: Map<string, Judgement>;
  /** Time of the last message that earned, up to the end of the day (or the carry in, if none did). */
  carryOut: string | null;
  activityPoints: number;
}

/**
 * Refolds one member-day. `earnings` are the day's eligible earnings in any order; `carryIn` is
 * the last message award before the day began.
 */
export function judgeDay(rules: PointRules, day: string, carryIn: string | null, earnings: readonly Earning[]): DayJudgement {
  let state: RuleState = { lastMessageAwardAt: carryIn, activityDay: day, activityPoints: 0, thanksGiven: 0 };
  const judgements = new Map<string, Judgement>();
  for (const e of [...earnings].sort(canonical)) {
    const step = judgeNext(rules, state, e, day);
    judgements.set(e.key, step.judgement);
    state = step.state;
  }
  return { judgements, carryOut: state.lastMessageAwardAt, activityPoints: state.activityPoints };
}

/** Refolds one giver-day: the keys of the thanks that count (the first `thanksPerDay` in canonical order). */
export function judgeBudget(rules: PointRules, gifts: readonly { key: string; at: string }[]): Set<string> {
  return new Set([...gifts].sort(canonical).slice(0, rules.thanksPerDay).map((g) => g.key));
}

/** What an event's ledger rows should add up to: its gross, or nothing once it is reversed. */
export function desiredNet(gross: number | null, ended: boolean): number {
  return ended ? 0 : (gross ?? 0);
}

/** A ledger row the rules ask for; the writer adds community, member, day and times. */
export interface LedgerRowPlan {
  key: string;
  amount: number;
  reason: string;
  reverses: string | null;
}

/**
 * The row that brings an event's ledger rows from `net` to `desired`, if any. Keys are
 * deterministic, so a replay finds them taken: the event's own key for the first row,
 * `<key>:undo` when it is reversed, `<key>:fix:<n>` for a correction after a late event.
 */
export function correction(e: { key: string; kind: EarningKind; net: number; ledgerRows: number; ended: boolean }, desired: number): LedgerRowPlan | undefined {
  const amount = desired - e.net;
  if (amount === 0) return undefined;
  if (e.ledgerRows === 0) return { key: e.key, amount, reason: e.kind, reverses: null };
  if (e.ended && desired === 0) return { key: `${e.key}:undo`, amount, reason: `undo:${e.kind}`, reverses: e.key };
  return { key: `${e.key}:fix:${e.ledgerRows}`, amount, reason: `fix:${e.kind}`, reverses: e.key };
}

/** Whether the cooldown carried out of a day could still matter at `nextMessageAt`. */
export function carryReaches(rules: PointRules, carry: string | null, nextMessageAt: string): boolean {
  return carry !== null && Date.parse(nextMessageAt) - Date.parse(carry) < rules.messageCooldownSeconds * 1000;
}

const THANKS = /(?:^|[^\p{L}\p{N}_+])(thanks|thank\s+you|thx|ty|\+rep)(?![\p{L}\p{N}_])/iu;

/** Whether a message says thanks ("thanks", "thank you", "thx", "ty", "+rep"); mentions say to whom. */
export function saysThanks(text: string): boolean {
  return THANKS.test(text);
}
