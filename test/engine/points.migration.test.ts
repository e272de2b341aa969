import { type Kysely, type Migration, Migrator } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { ManualClock } from "../../src/core/clock.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import * as foundation from "../../src/db/migrations/20261126_1530_foundation.js";
import * as levelsAndNotices from "../../src/db/migrations/20261126_1700_levels_and_notices.js";
import * as linkCodes from "../../src/db/migrations/20261126_1800_link_codes.js";
import type { Database } from "../../src/db/schema.js";
import { defaultSettings } from "../../src/engine/communities/settings.js";
import { pointsReport } from "../../src/engine/points/points.capability.js";
import { Engine } from "../../src/engine/engine.js";
import { dialects, openTestDb, type TestDb } from "../helpers/db.js";
import { silentLog } from "../helpers/engine.js";
import { member, message } from "../helpers/events.js";
import { assertTotalsMatchLedger } from "../helpers/invariants.js";

/**
 * A database written before points events were recorded: the migration rebuilds the events from
 * the ledger, so a late event after the upgrade corrects with fresh keys and the ledger still
 * equals the totals.
 */
const before: Record<string, Migration> = {
  "20261126_1530_foundation": foundation,
  "20261126_1700_levels_and_notices": levelsAndNotices,
  "20261126_1800_link_codes": linkCodes,
};
const ada = "discord:g1:ada";
const bob = "discord:g1:bob";
const at = (time: string) => `2026-11-26T${time}.000Z`;

async function writeOldData(db: Kysely<Database>): Promise<void> {
  await db.insertInto("communities").values({ id: "c1", name: "g1", settings: JSON.stringify(defaultSettings()), created_at: at("00:00:00") }).execute();
  await db.insertInto("community_workspaces").values({ platform: "discord", workspace_id: "g1", community_id: "c1" }).execute();
  const msg = (key: string, memberId: string, created: string, deleted: string | null = null) =>
    ({ message_key: key, community_id: "c1", member_id: memberId, channel_key: "discord:g1:general", thread_parent_key: null, created_at: created, deleted_at: deleted }) as never;
  await db
    .insertInto("messages")
    .values([msg("discord:msg:m1", ada, at("12:00:00")), msg("discord:msg:m2", ada, at("12:00:30")), msg("discord:msg:m3", ada, at("12:05:00"), at("12:06:00")), msg("discord:msg:m9", "", at("12:07:00"), at("12:07:00"))])
    .execute();
  const row = (key: string, memberId: string, amount: number, reason: string, source: string, when: string, reverses: string | null = null) => ({
    key,
    community_id: "c1",
    member_id: memberId,
    amount,
    reason,
    source_key: source,
    at: when,
    day: "2026-11-26",
    reverses,
  });
  const r1 = "discord:react:m1:bob:👍";
  const r2 = "discord:react:m1:cy:🎉";
  await db
    .insertInto("ledger")
    .values([
      row("discord:msg:m1", ada, 5, "post", "discord:msg:m1", at("12:00:00")),
      row("discord:msg:m3", ada, 5, "post", "discord:msg:m3", at("12:05:00")),
      row("discord:msg:m3:undo", ada, -5, "undo:post", "discord:msg:m3", at("12:06:00"), "discord:msg:m3"),
      row(r1, ada, 1, "reaction", "discord:msg:m1", at("12:01:00")),
      row(r2, ada, 1, "reaction", "discord:msg:m1", at("12:02:00")),
      row(`${r2}:undo`, ada, -1, "undo:reaction", "discord:msg:m1", at("12:03:00"), r2),
      row("discord:react:old:bob:👍", "", 0, "reaction", "discord:msg:old", at("12:04:00")),
      row("discord:msg:m1:thanks:discord:g1:bob", bob, 10, "thanks", "discord:msg:m1", at("12:00:00")),
    ])
    .execute();
  for (const [memberId, points] of [
    [ada, 6],
    [bob, 10],
  ] as const) {
    await db.insertInto("totals").values(["all", "week:2026-W48", "month:2026-11"].map((period) => ({ community_id: "c1", period, member_id: memberId, points }))).execute();
  }
  await db
    .insertInto("members")
    .values([
      { community_id: "c1", member_id: ada, display_name: "ada", is_bot: 0, first_seen_at: at("12:00:00"), last_message_award_at: at("12:05:00"), activity_day: "2026-11-26", activity_points: 12, thanks_given: 1, points: 6 },
      { community_id: "c1", member_id: bob, display_name: "bob", is_bot: 0, first_seen_at: at("12:00:00"), last_message_award_at: null, activity_day: "2026-11-26", activity_points: 10, thanks_given: 0, points: 10 },
    ] as never)
    .execute();
}

describe.each(dialects)("the points-events migration on %s", (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb(dialect, { migrate: false });
  });
  afterEach(() => t.cleanup());

  it("GIVEN a ledger written before events were recorded THEN the events are rebuilt from it, and a late event corrects with new keys", async () => {
    const db = t.db.kysely;
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    await writeOldData(db);
    await migrateToLatest(db);

    const messages = await db.selectFrom("messages").select(["message_key", "scored", "gross", "net", "ledger_rows"]).orderBy("message_key").execute();
    expect(messages).toEqual([
      { message_key: "discord:msg:m1", scored: 1, gross: 5, net: 5, ledger_rows: 1 },
      // Refused before (no ledger row): stays refused should its day be recomputed.
      { message_key: "discord:msg:m2", scored: 0, gross: null, net: 0, ledger_rows: 0 },
      { message_key: "discord:msg:m3", scored: 1, gross: 5, net: 0, ledger_rows: 2 },
      { message_key: "discord:msg:m9", scored: 0, gross: null, net: 0, ledger_rows: 0 },
    ]);
    const reactions = await db.selectFrom("reactions").select(["key", "member_id", "ended_at", "gross", "net", "ledger_rows"]).orderBy("added_at").execute();
    expect(reactions).toEqual([
      { key: "discord:react:m1:bob:👍", member_id: ada, ended_at: null, gross: 1, net: 1, ledger_rows: 1 },
      { key: "discord:react:m1:cy:🎉", member_id: ada, ended_at: at("12:03:00"), gross: 1, net: 0, ledger_rows: 2 },
      { key: "discord:react:old:bob:👍", member_id: "", ended_at: null, gross: null, net: 0, ledger_rows: 1 },
    ]);
    expect(await db.selectFrom("thanks").select(["giver_id", "receiver_id", "counted", "gross", "net"]).execute()).toEqual([{ giver_id: ada, receiver_id: bob, counted: 1, gross: 10, net: 10 }]);
    expect((await db.selectFrom("members").select("watermark_at").where("member_id", "=", ada).executeTakeFirstOrThrow()).watermark_at).toBe(at("12:05:00"));

    // A post 30 s before m1 arrives late: it earns, and m1 falls into its cooldown.
    const engine = new Engine({ db, clock: new ManualClock("2026-11-28T00:00:00Z"), log: silentLog, commands });
    const late = pointsReport(await engine.ingest(message({ id: "m0", by: member("ada"), at: at("11:59:30") })));
    expect(late.awards.map((a) => [a.reason, a.amount]).sort()).toEqual([
      ["fix:post", -5],
      ["post", 5],
    ]);
    expect((await db.selectFrom("members").select("points").where("member_id", "=", ada).executeTakeFirstOrThrow()).points).toBe(6);
    await engine.drain();
    await assertTotalsMatchLedger(db);
  });
});
