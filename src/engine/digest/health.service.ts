import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { sliceEdges } from "./digest.repo.js";
import type { DigestWeek } from "./digest-week.js";
import { countActive, scanWeek, type WeekScan } from "./week-scan.repo.js";
import { yieldToEventLoop } from "./yield.js";

type Db = Kysely<Database>;

const DAY_MS = 86_400_000;

/**
 * Community health for one ISO week, from what the engine stores (definitions in docs/digest.md):
 * active members are those with points in the week; new ones were first seen in it; returning
 * ones had points the week before too (retention = returning / last week's active).
 */
export interface WeekHealth {
  week: string;
  active: number;
  previousActive: number;
  newMembers: number;
  returning: number;
  /** returning / previousActive, 0–1; undefined when nobody was active the week before. */
  retention: number | undefined;
  messages: number;
  replies: number;
  questions: number;
  /** Questions that got a reply from someone other than the asker (so far). */
  answered: number;
  /** Median time from a question to its first reply, among answered ones (ms). */
  medianFirstReplyMs: number | undefined;
  /** Questions at least 24 h old with no reply within 24 h. */
  unanswered24h: number;
}

/** Reads one week's health; `scan` may be passed when the digest already read the week's totals. */
export async function weekHealth(db: Db, communityId: string, week: DigestWeek, now: Date, scan?: WeekScan): Promise<WeekHealth> {
  const totals = scan ?? (await scanWeek(db, communityId, week, 0));
  const previousActive = await countActive(db, communityId, week.previousPeriod);
  const counts = await db
    .selectFrom("health_weeks")
    .select(["messages", "replies"])
    .where("community_id", "=", communityId)
    .where("week", "=", week.week)
    .executeTakeFirst();
  const questions = await questionFigures(db, communityId, week, now);
  return {
    week: week.week,
    active: totals.active,
    previousActive,
    newMembers: totals.newMembers,
    returning: totals.returning,
    retention: previousActive > 0 ? totals.returning / previousActive : undefined,
    messages: Number(counts?.messages ?? 0),
    replies: Number(counts?.replies ?? 0),
    ...questions,
  };
}

/** The question figures, read six hours at a time over the (community, asked_at) index. */
async function questionFigures(db: Db, communityId: string, week: DigestWeek, now: Date): Promise<Pick<WeekHealth, "questions" | "answered" | "medianFirstReplyMs" | "unanswered24h">> {
  const delays: number[] = [];
  let questions = 0;
  let unanswered24h = 0;
  const edges = sliceEdges(week);
  for (let i = 0; i + 1 < edges.length; i++) {
    const rows = await db
      .selectFrom("health_questions")
      .select(["asked_at", "first_reply_at"])
      .where("community_id", "=", communityId)
      .where("asked_at", ">=", edges[i]!)
      .where("asked_at", "<", edges[i + 1]!)
      .execute();
    for (const r of rows) {
      questions++;
      const asked = Date.parse(r.asked_at);
      const delay = r.first_reply_at === null ? undefined : Date.parse(r.first_reply_at) - asked;
      if (delay !== undefined) delays.push(delay);
      if (now.getTime() - asked >= DAY_MS && (delay === undefined || delay > DAY_MS)) unanswered24h++;
    }
    await yieldToEventLoop();
  }
  return { questions, answered: delays.length, medianFirstReplyMs: median(delays), unanswered24h };
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "42 min", "3.5 h", "2 d". */
export function duration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} d`;
}

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** The digest's one line: "Health: 78 active (+6 vs last week), 12 new, 61 % returning, 9 of 11 questions answered (median first reply 42 min), 1 unanswered after 24 h". */
export function healthLine(h: WeekHealth): string {
  const change = h.active - h.previousActive;
  const parts = [
    `${h.active} active (${change >= 0 ? "+" : "−"}${Math.abs(change)} vs the week before)`,
    `${h.newMembers} new`,
    h.retention === undefined ? undefined : `${percent(h.retention)} of last week's returned`,
    `${h.messages} messages, ${h.replies} thread replies`,
    h.questions === 0
      ? "no questions asked"
      : `${h.answered} of ${h.questions} questions answered${h.medianFirstReplyMs === undefined ? "" : ` (median first reply ${duration(h.medianFirstReplyMs)})`}`,
    `${h.unanswered24h} unanswered after 24 h`,
  ];
  return parts.filter((p) => p !== undefined).join(", ");
}
