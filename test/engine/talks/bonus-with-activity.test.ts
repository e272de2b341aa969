import { afterEach, describe, expect, it } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { assertTotalsMatchLedger } from "../../helpers/invariants.js";
import { member, message, ref } from "../../helpers/events.js";
import { configure, RecordingOutbox, scheduleTalk } from "./harness.js";

const ada = member("ada");
const ADA = "discord:g1:ada";

/**
 * The speaker's +50 is written when the talk's `end` timer fires. The points rules save a member's
 * points as a value taken from the member cache, so the bonus must be written in the write queue's
 * transaction, never beside a batch that saves the same member. (On Postgres, with the timer in a
 * transaction of its own, this lost the +50: 15 stored against 65 in the ledger.)
 */
describe.each(dialects)("talk points beside chat activity on %s", (dialect) => {
  let t: TestEngine;
  afterEach(async () => {
    await assertTotalsMatchLedger(t.db.kysely);
    await t.close();
  });

  async function adaPoints(): Promise<{ stored: number; ledger: number }> {
    const row = await t.db.kysely.selectFrom("members").select("points").where("member_id", "=", ADA).executeTakeFirstOrThrow();
    const sum = await t.db.kysely.selectFrom("ledger").select((eb) => eb.fn.sum<number>("amount").as("sum")).where("member_id", "=", ADA).executeTakeFirstOrThrow();
    return { stored: Number(row.points), ledger: Number(sum.sum) };
  }

  async function talkEndingNow(): Promise<string> {
    t = await testEngine({ dialect, start: "2026-12-03T16:00:00Z" });
    t.engine.registerOutbox(new RecordingOutbox());
    await configure(t, { timezone: "Europe/Berlin", "channels.talks": "<#700>" });
    const id = await scheduleTalk(t, { title: "Race", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 45 });
    // Ada is known and cached: she posted before the talk.
    await t.ingest(message({ id: "before", by: ada, at: "2026-12-03T16:00:00Z" }));
    t.clock.set("2026-12-03T17:45:00Z");
    return id;
  }

  it("GIVEN the speaker's message and the end timer in the same turn THEN both land in one write-queue transaction and members.points is the ledger's sum", async () => {
    const id = await talkEndingNow();
    const tick = t.engine.scheduler.tick();
    const posted = t.ingest(message({ id: "during", by: ada, at: "2026-12-03T17:45:00Z" }));
    await Promise.all([tick, posted]);
    await t.engine.writes.idle();
    const ledger = await t.db.kysely.selectFrom("ledger").select("key").where("member_id", "=", ADA).orderBy("key").execute();
    expect(ledger.map((r) => r.key)).toContain(`talk:${id}:speaker:${ADA}`);
    expect(ledger.length).toBe(3);
    const timer = await t.db.kysely.selectFrom("job_timers").select("state").where("key", "like", `talk:${id}:end:%`).executeTakeFirstOrThrow();
    expect(timer.state).toBe("fired");
    const points = await adaPoints();
    expect(points.stored).toBe(points.ledger);
    // A later message, served from the member cache, keeps the +50.
    await t.ingest(message({ id: "after", by: ada, at: "2026-12-03T17:50:00Z" }));
    const after = await adaPoints();
    expect(after.stored).toBe(after.ledger);
    expect(after.stored).toBeGreaterThanOrEqual(50);
  });
});
