import type { Settings } from "../communities/settings.js";

/**
 * The anti-farming rules as pure functions of a member's running state and the event's own time.
 *
 * The state only moves forward in event time: `lastMessageAwardAt` and `activityDay` never go back.
 * An event older than what the state has already counted (a late retry) can therefore be checked
 * only conservatively, and earns nothing rather than risk breaking a cooldown or cap. Because the
 * counters only grow, an event that earned nothing the first time earns nothing on a replay either.
 */
export interface RuleState {
  lastMessageAwardAt: string | null;
  /** Community-local day (yyyy-MM-dd) the counters below belong to. */
  activityDay: string | null;
  activityPoints: number;
  thanksGiven: number;
}

export type Refusal = "cooldown" | "daily-cap" | "late" | "thanks-budget";

export type Grant = { amount: number; refusal?: undefined } | { amount: 0; refusal: Refusal };

type PointRules = Settings["points"];

/** The counters as of `day`, or "late" if the state has already moved past it. */
export function countersOn(state: RuleState, day: string): { activityPoints: number; thanksGiven: number } | "late" {
  if (state.activityDay === null || state.activityDay < day) return { activityPoints: 0, thanksGiven: 0 };
  if (state.activityDay === day) return { activityPoints: state.activityPoints, thanksGiven: state.thanksGiven };
  return "late";
}

/** How much of `base` activity points a member may still earn on `day`. */
export function activityGrant(rules: PointRules, state: RuleState, day: string, base: number): Grant {
  const counters = countersOn(state, day);
  if (counters === "late") return { amount: 0, refusal: "late" };
  const room = rules.dailyCap - counters.activityPoints;
  if (room <= 0) return { amount: 0, refusal: "daily-cap" };
  return { amount: Math.min(base, room) };
}

/** Points for a message at `at` (ISO), honouring the cooldown and the daily cap. */
export function messageGrant(rules: PointRules, state: RuleState, at: string, day: string, isReply: boolean): Grant {
  const base = isReply ? rules.reply : rules.post;
  if (state.lastMessageAwardAt !== null) {
    const since = Date.parse(at) - Date.parse(state.lastMessageAwardAt);
    if (since < rules.messageCooldownSeconds * 1000) return { amount: 0, refusal: since < 0 ? "late" : "cooldown" };
  }
  return activityGrant(rules, state, day, base);
}

/** Whether a member may still give a thanks that counts on `day`. */
export function thanksAllowed(rules: PointRules, giver: RuleState, day: string): true | Refusal {
  const counters = countersOn(giver, day);
  if (counters === "late") return "late";
  return counters.thanksGiven < rules.thanksPerDay ? true : "thanks-budget";
}

/** The state after earning `amount` activity points on `day` (reversals never call this: the cap counts gross). */
export function afterActivity(state: RuleState, day: string, amount: number): RuleState {
  const counters = countersOn(state, day);
  const base = counters === "late" ? { activityPoints: state.activityPoints, thanksGiven: state.thanksGiven } : counters;
  return { ...state, activityDay: counters === "late" ? state.activityDay : day, activityPoints: base.activityPoints + amount, thanksGiven: base.thanksGiven };
}

export function afterThanksGiven(state: RuleState, day: string): RuleState {
  const counters = countersOn(state, day);
  if (counters === "late") return state;
  return { ...state, activityDay: day, activityPoints: counters.activityPoints, thanksGiven: counters.thanksGiven + 1 };
}

const THANKS = /(?:^|[^\p{L}\p{N}_+])(thanks|thank\s+you|thx|ty|\+rep)(?![\p{L}\p{N}_])/iu;

/** Whether a message says thanks ("thanks", "thank you", "thx", "ty", "+rep"); mentions say to whom. */
export function saysThanks(text: string): boolean {
  return THANKS.test(text);
}
