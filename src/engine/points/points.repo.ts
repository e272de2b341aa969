import type { Kysely } from "kysely";
import { allRows, andThen, firstRow, type Maybe, noResult, prepared, rowsChanged } from "../../db/prepared.js";
import type { Database, LedgerTable, MemberTable } from "../../db/schema.js";
import { periodsOfDay } from "../calendar.js";

/**
 * Ledger, totals and members (the recorded events are in points-events.repo.ts). Every function
 * takes the transaction it runs in: the points service calls them inside one group-committed
 * transaction per batch of events.
 *
 * These run for every event, so they are `prepared` (compiled once, see db/prepared.ts).
 */
type Db = Kysely<Database>;

export type LedgerRow = LedgerTable;
/**
 * A member as the rules read it. `points` is this member account's own all-time points; `person_id`
 * (null: their own person) says whose totals its ledger rows add to — read with the row the rules
 * load anyway, so an unlinked member costs no extra query (docs/linked-identities.md). The rules
 * never read `web_hidden` (the web capability's) and `saveMember` never writes it.
 */
export type MemberRow = Omit<MemberTable, "activity_points" | "thanks_given" | "points" | "person_id" | "web_hidden"> & { activity_points: number; thanks_given: number; points: number; person_id: string | null };
/**
 * A member row to save; a caller that tracks no watermark (a test, an import) may leave it out: none
 * then. `person_id` is never written here: only linking and unlinking (person-totals.ts) change it.
 */
export type MemberWrite = Omit<MemberRow, "watermark_at" | "watermark_key" | "person_id"> & Partial<Pick<MemberRow, "watermark_at" | "watermark_key" | "person_id">>;


const loadMemberQuery = prepared((db: Db, a: { community: string; member: string }) =>
  db.selectFrom("members").selectAll().where("community_id", "=", a.community).where("member_id", "=", a.member),
);

export function loadMember(db: Db, communityId: string, memberId: string): Maybe<MemberRow | undefined> {
  return andThen(loadMemberQuery(db, { community: communityId, member: memberId }), firstRow);
}

const saveMemberQuery = prepared((db: Db, a: MemberRow) =>
  db
    .insertInto("members")
    .values({
      community_id: a.community_id,
      member_id: a.member_id,
      display_name: a.display_name,
      is_bot: a.is_bot,
      first_seen_at: a.first_seen_at,
      last_message_award_at: a.last_message_award_at,
      activity_day: a.activity_day,
      activity_points: a.activity_points,
      thanks_given: a.thanks_given,
      points: a.points,
      watermark_at: a.watermark_at,
      watermark_key: a.watermark_key,
    })
    .onConflict((oc) =>
      oc.columns(["community_id", "member_id"]).doUpdateSet((eb) => ({
        display_name: eb.ref("excluded.display_name"),
        is_bot: eb.ref("excluded.is_bot"),
        last_message_award_at: eb.ref("excluded.last_message_award_at"),
        activity_day: eb.ref("excluded.activity_day"),
        activity_points: eb.ref("excluded.activity_points"),
        thanks_given: eb.ref("excluded.thanks_given"),
        points: eb.ref("excluded.points"),
        watermark_at: eb.ref("excluded.watermark_at"),
        watermark_key: eb.ref("excluded.watermark_key"),
      })),
    ),
);

export function saveMember(db: Db, row: MemberWrite): Maybe<void> {
  // A full row (every event's) goes as it is; only a caller without a watermark gets a copy.
  const full = row.watermark_at !== undefined && row.watermark_key !== undefined ? (row as MemberRow) : { watermark_at: null, watermark_key: null, person_id: null, ...row };
  return andThen(saveMemberQuery(db, full), noResult);
}

const insertLedgerQuery = prepared((db: Db, a: LedgerRow) =>
  db
    .insertInto("ledger")
    .values({
      key: a.key,
      community_id: a.community_id,
      member_id: a.member_id,
      amount: a.amount,
      reason: a.reason,
      source_key: a.source_key,
      at: a.at,
      day: a.day,
      reverses: a.reverses,
    })
    .onConflict((oc) => oc.column("key").doNothing()),
);

/** Appends a ledger row unless one with the same key exists; true if appended. */
export function insertLedger(db: Db, row: LedgerRow): Maybe<boolean> {
  return andThen(insertLedgerQuery(db, row), rowsChanged);
}

const addToTotalsQuery = prepared((db: Db, a: { community: string; member: string; week: string; month: string; amount: number }) =>
  db
    .insertInto("totals")
    .values([
      { community_id: a.community, period: "all", member_id: a.member, points: a.amount },
      { community_id: a.community, period: a.week, member_id: a.member, points: a.amount },
      { community_id: a.community, period: a.month, member_id: a.member, points: a.amount },
    ])
    .onConflict((oc) => oc.columns(["community_id", "period", "member_id"]).doUpdateSet((eb) => ({ points: eb("totals.points", "+", eb.ref("excluded.points")) })))
    // The points after the change: the histogram needs where each row moved from and to.
    .returning(["period", "points"]),
);

/**
 * Adds `amount` to the all-time, weekly and monthly totals of `memberId` (a person's canonical
 * member id: totals are kept per person) for `day`, in one statement,
 * and returns each row's period and points after it (the points before are those minus `amount`;
 * a row that did not exist was at 0).
 */
export function addToTotals(db: Db, communityId: string, memberId: string, day: string, amount: number): Maybe<{ period: string; points: number }[]> {
  const [, week, month] = periodsOfDay(day);
  return andThen(addToTotalsQuery(db, { community: communityId, member: memberId, week, month, amount }), allRows);
}
