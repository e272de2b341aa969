import { afterEach, describe, expect, it } from "vitest";
import { POSTGRES_URL } from "../helpers/db.js";
import { member, message, ref } from "../helpers/events.js";
import { configure, RecordingOutbox, scheduleTalk } from "../engine/talks/harness.js";
import { type TwoEngines, twoEngines } from "./two-engines.js";

/**
 * Two processes on one Postgres database both run the scheduler and the outbox delivery loop, each
 * with its own connection to the platform (a recording fake per engine). Moving both clocks past a
 * weekly digest and a talk's reminders and ticking both at once posts each scheduled message once
 * in all — one job run, one outbox row, one delivery, whichever process got to it — and every
 * level-up announcement the activity caused is delivered once too.
 *
 * Postgres only; skipped when TEST_POSTGRES_URL is unset, like every Postgres test here.
 */
const ada = member("ada");
const bob = member("bob");

describe.skipIf(!POSTGRES_URL)("two processes on one Postgres database: jobs and the outbox", () => {
  let pair: TwoEngines | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it("GIVEN both engines ticking past a weekly digest and a talk's reminders THEN each is posted once, by one of them", async () => {
    pair = await twoEngines({ start: "2026-11-26T12:00:00Z" });
    const { first, second } = pair;
    const outboxes = [new RecordingOutbox(), new RecordingOutbox()] as const;
    first.engine.registerOutbox(outboxes[0]);
    second.engine.registerOutbox(outboxes[1]);
    await configure(first, { "channels.announcements": "<#500>", "channels.talks": "<#700>" });
    await scheduleTalk(first, { title: "Once", speaker: ref("ada"), start: "2026-12-01 18:00", duration: 30 });

    // Activity through both, enough for level-ups (50 points: level 1) announced in #500.
    const posts = Array.from({ length: 24 }, (_, i) => message({ id: `p${i}`, by: i % 2 ? ada : bob, at: new Date(Date.parse("2026-11-26T12:00:00Z") - (24 - i) * 120_000) }));
    await Promise.all(posts.map((p, i) => (i % 3 ? first : second).engine.ingest(p)));

    const steps = ["2026-11-30T09:00:05Z", "2026-11-30T18:00:00Z", "2026-12-01T17:45:00Z", "2026-12-01T18:00:00Z"];
    for (const at of steps) {
      pair.setClocks(at);
      await Promise.all([first.engine.scheduler.tick(), second.engine.scheduler.tick()]);
      await Promise.all([first.engine.drain(), second.engine.drain()]);
      for (let round = 0; round < 2; round++) await Promise.all([first.engine.delivery.deliverDue(), second.engine.delivery.deliverDue()]);
    }

    const posted = [...outboxes[0].of("post"), ...outboxes[1].of("post")].map((p) => p.text.split("\n")[0]!);
    const count = (prefix: string) => posted.filter((t) => t.startsWith(prefix)).length;
    expect(count("🎤 Tech talk")).toBe(1);
    expect(count("⏰ Reminder")).toBe(2);
    expect(count("▶️ Starting now")).toBe(1);
    const digests = await first.db.kysely.selectFrom("outbox").select(["dedupe_key", "state", "attempts"]).where("dedupe_key", "like", "digest:%").execute();
    expect(digests).toEqual([{ dedupe_key: expect.stringMatching(/^digest:.+:2026-W48@discord:g1:500$/), state: "sent", attempts: 1 }]);
    const runs = await first.db.kysely.selectFrom("job_runs").select(["job", "period", "state", "attempts"]).execute();
    expect(runs).toEqual([{ job: "weekly-digest", period: "2026-11-30T09:00[UTC]", state: "done", attempts: 1 }]);
    const fired = await first.db.kysely.selectFrom("job_timers").select(["state", "attempts"]).where("state", "!=", "pending").execute();
    expect(fired.length).toBeGreaterThanOrEqual(3);
    expect(fired.every((f) => f.state === "fired" && f.attempts === 1)).toBe(true);

    // Every outbox row, level-ups included, was delivered once: as many posts as rows, each sent at the first attempt.
    const rows = await first.db.kysely.selectFrom("outbox").select(["dedupe_key", "operation", "state", "attempts"]).execute();
    expect(rows.filter((r) => r.dedupe_key.startsWith("levelup:")).length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.state === "sent" && r.attempts === 1)).toBe(true);
    expect(posted).toHaveLength(rows.filter((r) => r.operation === "post").length);
  });
});
