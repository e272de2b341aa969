import type { Transaction } from "kysely";
import { DateTime } from "luxon";
import type { Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import type { ItemRow } from "../moderation/moderation.repo.js";
import type { SubjectInput } from "../moderation/review-queue.js";
import { SUBJECT_PREFIX } from "../moderation/subject-items.js";
import { type TipRow, tipsBetween } from "./tips.repo.js";

/** How far back tips between a pair are counted, both ways. */
export const COLLUSION_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** What puts a finding in the moderators' queue, in the caller's transaction (ModerationService.flagSubject). */
export type FlagSubject = (trx: Transaction<Database>, community: Community, subject: SubjectInput) => Promise<ItemRow | undefined>;

/**
 * Pure: whether a pair's recent tips look like points passed back and forth. At least `threshold`
 * tips (0: never) counted both ways, and at least one each way — a fan tipping one author often is
 * not collusion, and the pair cap already bounds that.
 */
export function looksLikeCollusion(history: readonly Pick<TipRow, "giver_person">[], a: string, b: string, threshold: number): boolean {
  if (threshold <= 0 || history.length < threshold) return false;
  return history.some((t) => t.giver_person === a) && history.some((t) => t.giver_person === b);
}

/** One queue item per pair per giving week: the pair in a fixed order, so a→b and b→a name the same item. */
export function collusionKey(a: string, b: string, week: string): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return `${SUBJECT_PREFIX}tips:${low}|${high}:${week}`;
}

/**
 * After a tip is written (same transaction): if the pair now looks like collusion, the pair goes to
 * the review queue as one item with the history — who tipped whom how much, when — unless it is
 * already there this week. Returns the new item, if any.
 */
export async function checkCollusion(trx: Transaction<Database>, community: Community, tip: TipRow, place: Place, flag: FlagSubject): Promise<ItemRow | undefined> {
  const threshold = community.settings.economy.collusionTips;
  if (threshold <= 0 || !community.settings.moderation.enabled) return undefined;
  const a = tip.giver_person;
  const b = tip.receiver_person;
  const since = new Date(new Date(tip.at).getTime() - COLLUSION_WINDOW_MS).toISOString();
  const history = await tipsBetween(trx, community.id, a, b, since);
  if (!looksLikeCollusion(history, a, b, threshold)) return undefined;
  return flag(trx, community, {
    subjectKey: collusionKey(a, b, tip.week),
    memberId: a,
    concerns: [a, b],
    place,
    reasons: ["tip-collusion"],
    lines: historyLines(history, a, b, community.settings.timezone),
    at: tip.at,
  });
}

/** The summary, then one line per tip in the community's timezone. Plain text: the card shows it literally. */
export function historyLines(history: readonly TipRow[], x: string, y: string, timezone: string): string[] {
  // The pair in the order it began: who tipped first is named first.
  const [a, b] = history[0]?.giver_person === y ? [y, x] : [x, y];
  const nameOf = (person: string) => [...history].reverse().find((t) => t.giver_person === person)?.giver_name ?? [...history].reverse().find((t) => t.receiver_person === person)?.receiver_name ?? person;
  const leg = (from: string, to: string) => {
    const tips = history.filter((t) => t.giver_person === from && t.receiver_person === to);
    const points = tips.reduce((sum, t) => sum + t.amount, 0);
    return `${nameOf(from)} → ${nameOf(to)} ${tips.length} tip${tips.length === 1 ? "" : "s"}, ${points} points`;
  };
  const summary = `${nameOf(a)} and ${nameOf(b)} tipped each other ${history.length} times in 7 days (${leg(a, b)}; ${leg(b, a)}; times in ${timezone})`;
  const lines = history.map((t) => {
    const when = DateTime.fromISO(t.at, { zone: "utc" }).setZone(timezone).toFormat("ccc d LLL HH:mm");
    return `${when} ${t.giver_name} → ${t.receiver_name} ${t.amount}${t.reason ? ` (“${t.reason}”)` : ""}`;
  });
  return [summary, ...lines];
}
