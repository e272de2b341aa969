import { afterEach, describe, expect, it } from "vitest";
import { communitiesFromDb, Scheduler } from "../../../src/jobs/index.js";
import { DigestService } from "../../../src/engine/digest/digest.service.js";
import { weeklyDigestJob } from "../../../src/engine/digest/weekly-digest.job.js";
import { plainText } from "../../../src/core/reply.js";
import { dialects } from "../../helpers/db.js";
import { silentLog, testEngine, type TestEngine } from "../../helpers/engine.js";
import { restartTestEngine } from "../../helpers/engine-restart.js";
import { command } from "../../helpers/events.js";
import { admin, configure, scheduleTalk } from "../talks/harness.js";
import { ref } from "../../helpers/events.js";
import { DIGEST_SLOT, digestRows, fixedCommunity } from "./harness.js";
import { decodePicture, looksDrawn } from "../../helpers/png.js";

const EXPECTED = `Weekly digest — week 48 of 2026 (23 Nov – 29 Nov)

Top 10:
1. @ada — 27 points (level 0)
2. @bob — 10 points (level 0)
3. @carol — 5 points (level 0)

Biggest movers:
↑1 @ada (#2 → #1)

Newcomers:
@carol (5 points)

The week:
42 points · 7 messages · 3 active members

Honors:
🏆 Contributor of the week: @ada (27 points)
🤝 Most helpful: @ada (thanked 1 time)
🌱 Best newcomer: @carol (5 points)

Talks:
No talks scheduled this week.
0 talks held last week.

Health:
3 active (+1 vs the week before), 1 new, 100 % of last week's returned, 7 messages, 1 thread replies, 1 of 1 questions answered (median first reply 30 min), 0 unanswered after 24 h`;

describe.each(dialects)("weekly digest (%s)", (dialect) => {
  let t: TestEngine;
  afterEach(async () => t?.close());

  async function community(): Promise<void> {
    t = await testEngine({ dialect, start: "2026-11-17T12:00:00Z" });
    await fixedCommunity(t);
    await configure(t, { "channels.announcements": "<#500>" });
  }

  it("GIVEN a fixed week THEN the digest's content is exactly that week's top, movers, newcomers, totals, honors, talks and health", async () => {
    await community();
    t.clock.set(DIGEST_SLOT);
    const report = await t.engine.scheduler.tick();
    expect(report.runs.filter((r) => r.job === "weekly-digest").map((r) => r.outcome)).toEqual(["done"]);
    const rows = await digestRows(t);
    expect(rows.map((r) => r.dedupe_key)).toEqual([expect.stringMatching(/^digest:[^:]+:2026-W48@discord:g1:500$/)]);
    expect(rows[0]!.text).toBe(EXPECTED);
  });

  it("GIVEN talks held last week with attendance, and one scheduled this week THEN the digest lists it, counts those held and honors the most frequent attendee", async () => {
    await community();
    await configure(t, { "channels.talks": "<#600>" });
    const row = (id: string, starts: string, ends: string, status: "scheduled" | "cancelled") => ({
      id, community_id: "", series_id: null, occurrence: null, title: id, description: "", speaker_id: "discord:g1:bob", speaker_name: "bob",
      starts_at: starts, ends_at: ends, where_channel: null, where_link: null, capacity: null, status, announce_place: null, announce_key: null,
      checkin_code: id, created_by: "discord:g1:root", proposal_id: null, scheduled_event_id: null, scheduled_event_version: null, created_at: starts, updated_at: starts,
    });
    const communityId = (await t.db.kysely.selectFrom("communities").select("id").executeTakeFirstOrThrow()).id;
    for (const r of [row("T1", "2026-11-24T23:00:00.000Z", "2026-11-25T00:00:00.000Z", "scheduled"), row("T2", "2026-11-26T23:00:00.000Z", "2026-11-27T00:00:00.000Z", "scheduled"), row("T3", "2026-11-27T23:00:00.000Z", "2026-11-28T00:00:00.000Z", "cancelled")]) {
      await t.db.kysely.insertInto("talks").values({ ...r, community_id: communityId }).execute();
    }
    for (const [talk, who] of [["T1", "carol"], ["T2", "carol"], ["T1", "bob"]] as const) {
      await t.db.kysely.insertInto("talk_attendance").values({ talk_id: talk, member_id: `discord:g1:${who}`, display_name: who, via: "checkin", at: "2026-11-25T23:10:00.000Z" }).execute();
    }
    t.clock.set("2026-11-30T13:00:00Z");
    await scheduleTalk(t, { title: "Profiling *node*", speaker: ref("ada"), start: "2026-12-02 18:00", duration: 45 });
    t.clock.set(DIGEST_SLOT);
    await t.engine.scheduler.tick();
    const text = (await digestRows(t))[0]!.text;
    expect(text).toContain("🎤 Most talks attended: @carol (2 talks)");
    expect(text).toContain("Talks:\n");
    expect(text).toMatch(/Profiling \*node\* — @ada\n2 talks held last week\./);
  });

  it("GIVEN a sponsor THEN the digest shouts them out and logs one impression for the week; the preview logs none", async () => {
    await community();
    const added = await t.engine.command(command({ name: "sponsor", subcommand: "add", by: admin, options: { name: "Acme", url: "https://acme.test", tier: "gold", blurb: "Tools for builders" } }));
    expect(added.tone).not.toBe("error");
    t.clock.set(DIGEST_SLOT);
    const impressions = async () => (await t.db.kysely.selectFrom("sponsor_impressions").selectAll().execute()).length;
    const preview = await t.engine.command(command({ name: "digest", subcommand: "preview", by: admin, at: DIGEST_SLOT }));
    expect(plainText(preview.text)).toContain("Thanks to our sponsor:\nAcme — Tools for builders https://acme.test");
    expect(await impressions()).toBe(0);
    await t.engine.scheduler.tick();
    expect((await digestRows(t))[0]!.text).toContain("Thanks to our sponsor:\nAcme — Tools for builders https://acme.test");
    expect(await impressions()).toBe(1);
    t = await restartTestEngine(t, { advanceMs: 60_000 });
    await t.engine.scheduler.tick();
    expect(await impressions()).toBe(1);
  });

  it("GIVEN the digest ran THEN each honor is recorded once for the week, and a second slot in the same week (the day changed) posts and records nothing", async () => {
    await community();
    t.clock.set(DIGEST_SLOT);
    await t.engine.scheduler.tick();
    const honors = await t.db.kysely.selectFrom("digest_honors").select(["week", "honor", "member_id", "value"]).orderBy("honor").execute();
    expect(honors).toEqual([
      { week: "2026-W48", honor: "contributor", member_id: "discord:g1:ada", value: 27 },
      { week: "2026-W48", honor: "helpful", member_id: "discord:g1:ada", value: 1 },
      { week: "2026-W48", honor: "newcomer", member_id: "discord:g1:carol", value: 5 },
    ]);
    await configure(t, { "digest.day": "tuesday" });
    t.clock.set("2026-12-01T14:00:30Z");
    const again = await t.engine.scheduler.tick();
    expect(again.runs.filter((r) => r.job === "weekly-digest").map((r) => r.outcome)).toEqual(["done"]);
    expect(await digestRows(t)).toHaveLength(1);
    expect(await t.db.kysely.selectFrom("digest_honors").selectAll().execute()).toHaveLength(3);

    const badges = await t.engine.command(command({ name: "badges", by: admin, options: { member: { id: "discord:g1:ada", displayName: "ada" } } }));
    expect(plainText(badges.text)).toBe("@ada's honors:\n🏆 Contributor of the week — week 2026-W48 (27 points)\n🤝 Most helpful — week 2026-W48 (thanked 1 time)");
  });

  it("GIVEN a restart after the digest posted, and the clock jumping back and forth THEN the week is never posted twice", async () => {
    await community();
    t.clock.set(DIGEST_SLOT);
    await t.engine.scheduler.tick();
    t = await restartTestEngine(t, { advanceMs: 60_000 });
    await t.engine.scheduler.tick();
    t.clock.set("2026-11-30T13:00:00Z");
    await t.engine.scheduler.tick();
    t.clock.set("2026-11-30T15:00:00Z");
    await t.engine.scheduler.tick();
    expect(await digestRows(t)).toHaveLength(1);
    // Jumping back to before the slot finds the previous Monday's slot, long past its grace: skipped, never posted.
    const runs = await t.db.kysely.selectFrom("job_runs").select(["period", "state"]).where("job", "=", "weekly-digest").orderBy("period").execute();
    expect(runs).toEqual([
      { period: "2026-11-23T09:00[America/New_York]", state: "skipped" },
      { period: "2026-11-30T09:00[America/New_York]", state: "done" },
    ]);
  });

  it("GIVEN two schedulers on one database THEN only one of them posts the week", async () => {
    await community();
    t.clock.set(DIGEST_SLOT);
    const digest = new DigestService({ db: t.db.kysely, clock: t.clock, log: silentLog, outbox: t.engine.outbox, shoutOuts: () => undefined, pictures: () => undefined });
    const second = new Scheduler({ db: t.db.kysely, clock: t.clock, log: silentLog, jobs: [weeklyDigestJob(digest)], communities: communitiesFromDb(t.db.kysely, silentLog) });
    const [a, b] = await Promise.all([t.engine.scheduler.tick(), second.tick()]);
    const outcomes = [...a.runs, ...b.runs].filter((r) => r.job === "weekly-digest").map((r) => r.outcome).sort();
    expect(outcomes).toEqual(["done", "taken"]);
    expect(await digestRows(t)).toHaveLength(1);
  });

  it("GIVEN the bot was down on Monday morning THEN the digest is posted once on start within 24 h, and a later start skips it and the schedule goes on", async () => {
    await community();
    t.clock.set("2026-12-01T13:30:00Z"); // 23.5 h late
    const late = await t.engine.scheduler.tick();
    expect(late.runs.filter((r) => r.job === "weekly-digest").map((r) => r.outcome)).toEqual(["done"]);
    expect(await digestRows(t)).toHaveLength(1);

    t.clock.set("2026-12-08T14:30:00Z"); // week 49's slot, 24.5 h late
    const missed = await t.engine.scheduler.tick();
    expect(missed.runs.filter((r) => r.job === "weekly-digest").map((r) => r.outcome)).toEqual(["skipped"]);
    expect(await digestRows(t)).toHaveLength(1);

    t.clock.set("2026-12-14T14:00:10Z"); // week 50's slot, on time
    await t.engine.scheduler.tick();
    expect((await digestRows(t)).map((r) => r.dedupe_key.split(":")[2]!.slice(0, 8))).toEqual(["2026-W48", "2026-W50"]);
  });

  it("GIVEN no announcements channel THEN the job is off; with digest.enabled off too", async () => {
    t = await testEngine({ dialect, start: "2026-11-17T12:00:00Z" });
    await fixedCommunity(t);
    t.clock.set(DIGEST_SLOT);
    expect((await t.engine.scheduler.tick()).runs.filter((r) => r.job === "weekly-digest")).toEqual([]);
    await configure(t, { "channels.announcements": "<#500>", "digest.enabled": "off" });
    expect((await t.engine.scheduler.tick()).runs.filter((r) => r.job === "weekly-digest")).toEqual([]);
    expect(await digestRows(t)).toEqual([]);
  });

  it("GIVEN /digest preview THEN the organizer sees the digest privately and nothing is posted or recorded", async () => {
    await community();
    t.clock.set(DIGEST_SLOT);
    const counts = async () => ({
      outbox: (await t.db.kysely.selectFrom("outbox").selectAll().execute()).length,
      honors: (await t.db.kysely.selectFrom("digest_honors").selectAll().execute()).length,
      runs: (await t.db.kysely.selectFrom("job_runs").selectAll().execute()).length,
    });
    const before = await counts();
    const reply = await t.engine.command(command({ name: "digest", subcommand: "preview", by: admin, at: DIGEST_SLOT }));
    expect(reply.ephemeral).toBe(true);
    expect(plainText(reply.text)).toContain("Preview (not posted). Posted in #500 on Mondays at 09:00 (America/New_York).");
    expect(plainText(reply.text)).toContain(EXPECTED);
    expect(await counts()).toEqual(before);
  });

  it("GIVEN a member THEN /digest preview and /stats are refused privately; bad /stats input names the option", async () => {
    await community();
    const bob = { id: "discord:g1:bob", platform: "discord" as const, workspaceId: "g1", userId: "bob", displayName: "bob", isBot: false };
    const refused = await t.engine.command(command({ name: "digest", subcommand: "preview", by: bob }));
    expect(refused).toMatchObject({ ephemeral: true, tone: "error" });
    const stats = await t.engine.command(command({ name: "stats", by: bob }));
    expect(stats).toMatchObject({ ephemeral: true, tone: "error" });
    const bad = await t.engine.command(command({ name: "stats", by: admin, options: { weeks: 40 } }));
    expect(bad).toMatchObject({ ephemeral: true, tone: "error" });
    expect(plainText(bad.text)).toContain("weeks");
  });

  it("GIVEN /stats 2 THEN organizers see the last two weeks' health", async () => {
    await community();
    t.clock.set(DIGEST_SLOT);
    const reply = await t.engine.command(command({ name: "stats", by: admin, options: { weeks: 2 }, at: DIGEST_SLOT }));
    expect(reply.ephemeral).toBe(true);
    expect(plainText(reply.text)).toBe(
      [
        "Community health (active = earned points that week):",
        "2026-W47: 2 active (2 new, 0 returning, retention –) · 3 messages, 0 thread replies · 0/0 questions answered, median first reply – · 0 unanswered after 24 h",
        "2026-W48: 3 active (1 new, 2 returning, retention 100 %) · 7 messages, 1 thread replies · 1/1 questions answered, median first reply 30 min · 0 unanswered after 24 h",
      ].join("\n"),
    );
    // The last 12 weeks' active members as a chart, beside the text.
    expect(reply.attachments?.map((a) => a.contentType)).toEqual(["image/png"]);
    expect(looksDrawn(await decodePicture(reply.attachments![0]!.data))).toBe(true);
  });
});
