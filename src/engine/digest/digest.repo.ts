import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { DigestWeek } from "./digest-week.js";
import { personsOf } from "../people/people.repo.js";
import { yieldToEventLoop } from "./yield.js";

type Db = Kysely<Database>;

/** The digest's smaller reads: thanks, attendance, talks, honors and the health tables. */

export interface Leader {
  memberId: string;
  displayName: string;
  value: number;
}

/**
 * The member who received the most counted thanks in the week (thanks taken back don't count).
 * Read six hours at a time over the (community, at) index and added up here, so no query groups
 * more than a few thousand thanks.
 */
export async function mostThanked(db: Db, communityId: string, week: DigestWeek): Promise<Leader | undefined> {
  const counts = new Map<string, number>();
  const days = sliceEdges(week);
  for (let i = 0; i + 1 < days.length; i++) {
    const rows = await db
      .selectFrom("thanks")
      .select(["receiver_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("community_id", "=", communityId)
      .where("at", ">=", days[i]!)
      .where("at", "<", days[i + 1]!)
      .where("counted", "=", 1)
      .where("ended_at", "is", null)
      .groupBy("receiver_id")
      .execute();
    for (const r of rows) counts.set(r.receiver_id, (counts.get(r.receiver_id) ?? 0) + Number(r.n));
    await yieldToEventLoop();
  }
  const best = bestOf(await byPerson(db, communityId, counts));
  if (!best) return undefined;
  return { memberId: best[0], displayName: (await displayName(db, communityId, best[0])) ?? best[0].split(":").pop()!, value: best[1] };
}

/** Counts by member folded into counts by person (a linked person's members count as one). */
async function byPerson(db: Db, communityId: string, counts: Map<string, number>): Promise<Map<string, number>> {
  const persons = await personsOf(db, communityId, [...counts.keys()]);
  const folded = new Map<string, number>();
  for (const [id, n] of counts) {
    const person = persons.get(id) ?? id;
    folded.set(person, (folded.get(person) ?? 0) + n);
  }
  return folded;
}

/** The largest count, ties to the smallest id. */
function bestOf(counts: Map<string, number>): [string, number] | undefined {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
}

/** The member (person) who attended the most talks that started in the week. */
export async function mostTalksAttended(db: Db, communityId: string, week: DigestWeek): Promise<Leader | undefined> {
  const rows = await db
    .selectFrom("talk_attendance as a")
    .innerJoin("talks as t", "t.id", "a.talk_id")
    .select(["a.member_id", (eb) => eb.fn.max("a.display_name").as("display_name"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("t.community_id", "=", communityId)
    .where("t.starts_at", ">=", week.start)
    .where("t.starts_at", "<", week.end)
    .groupBy("a.member_id")
    .execute();
  const best = bestOf(await byPerson(db, communityId, new Map(rows.map((r) => [r.member_id, Number(r.n)]))));
  if (!best) return undefined;
  const own = rows.find((r) => r.member_id === best[0]);
  return { memberId: best[0], displayName: (await displayName(db, communityId, best[0])) ?? String(own?.display_name ?? best[0].split(":").pop()), value: best[1] };
}

export interface TalkLine {
  id: string;
  title: string;
  speakerId: string;
  speakerName: string;
  startsAt: string;
}

/** Scheduled talks starting in `[from, to)`, soonest first. */
export async function talksBetween(db: Db, communityId: string, from: string, to: string, limit = 10): Promise<TalkLine[]> {
  const rows = await db
    .selectFrom("talks")
    .select(["id", "title", "speaker_id", "speaker_name", "starts_at"])
    .where("community_id", "=", communityId)
    .where("status", "=", "scheduled")
    .where("starts_at", ">=", from)
    .where("starts_at", "<", to)
    .orderBy("starts_at")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, speakerId: r.speaker_id, speakerName: r.speaker_name, startsAt: r.starts_at }));
}

/** Talks held in the week: scheduled (not cancelled), started in it and ended by `now`. */
export async function talksHeld(db: Db, communityId: string, week: DigestWeek, now: string): Promise<number> {
  const row = await db
    .selectFrom("talks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("community_id", "=", communityId)
    .where("status", "=", "scheduled")
    .where("starts_at", ">=", week.start)
    .where("starts_at", "<", week.end)
    .where("ends_at", "<=", now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function displayName(db: Db, communityId: string, memberId: string): Promise<string | undefined> {
  const row = await db.selectFrom("members").select("display_name").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
  return row?.display_name;
}

/** A week's points of some members (primary-key look-ups). */
export async function weekPointsOf(db: Db, communityId: string, period: string, memberIds: readonly string[]): Promise<Map<string, number>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("totals")
    .select(["member_id", "points"])
    .where("community_id", "=", communityId)
    .where("period", "=", period)
    .where("member_id", "in", memberIds)
    .execute();
  return new Map(rows.map((r) => [r.member_id, Number(r.points)]));
}

export type HonorRow = Database["digest_honors"];

/** Records an honor once per community, week and honor; false when it was already awarded. */
export async function recordHonor(db: Db, row: HonorRow): Promise<boolean> {
  const result = await db
    .insertInto("digest_honors")
    .values(row)
    .onConflict((oc) => oc.columns(["community_id", "week", "honor"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function honorsOfWeek(db: Db, communityId: string, week: string): Promise<HonorRow[]> {
  return db.selectFrom("digest_honors").selectAll().where("community_id", "=", communityId).where("week", "=", week).execute();
}

/** Each honor's latest holder before `week` (the digest that came before; a skipped week is skipped). */
export async function holdersBefore(db: Db, communityId: string, week: string): Promise<HonorRow[]> {
  const rows = await db.selectFrom("digest_honors").selectAll().where("community_id", "=", communityId).where("week", "<", week).orderBy("week", "desc").limit(200).execute();
  const latest = new Map<string, HonorRow>();
  for (const row of rows) if (!latest.has(row.honor)) latest.set(row.honor, row);
  return [...latest.values()];
}

/** A member's honors, newest week first. */
export async function honorsOfMember(db: Db, communityId: string, memberId: string, limit = 50): Promise<HonorRow[]> {
  return db
    .selectFrom("digest_honors")
    .selectAll()
    .where("community_id", "=", communityId)
    .where("member_id", "=", memberId)
    .orderBy("week", "desc")
    .orderBy("honor")
    .limit(limit)
    .execute();
}

/**
 * The week cut into `slices` equal spans (6 h by default), as `slices + 1` edges. They only bound
 * how much one query reads, so they need not fall on local midnights (a DST week is an hour
 * shorter or longer). At a million members a 6-hour span holds ~10 000 thanks.
 */
export function sliceEdges(week: Pick<DigestWeek, "start" | "end">, slices = 28): string[] {
  const start = Date.parse(week.start);
  const end = Date.parse(week.end);
  const step = (end - start) / slices;
  return Array.from({ length: slices + 1 }, (_, i) => new Date(i === slices ? end : start + Math.round(step * i)).toISOString());
}

