import { afterEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { connect } from "../../../src/db/connect.js";
import { capabilities } from "../../../src/engine/capabilities.js";
import { Engine } from "../../../src/engine/engine.js";
import { dialects } from "../../helpers/db.js";
import { silentLog, testEngine, type TestEngine } from "../../helpers/engine.js";
import { restartTestEngine } from "../../helpers/engine-restart.js";
import { addSponsor, configure, RecordingOutbox, settle, sponsorCommand, text } from "./harness.js";

/**
 * A sponsor's own shout-out schedule: a chain of durable timers in the community's timezone, each
 * slot posted once to the announcements channel through the outbox with one impression — across a
 * restart, after downtime, and never again once the sponsor is removed or rescheduled.
 */
describe.each(dialects)("a sponsor's own schedule on %s", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await t.close();
  });

  async function start() {
    t = await testEngine({ dialect, start: "2026-11-30T08:00:00Z" }); // Monday
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await configure(t, { timezone: "Europe/Berlin", "channels.announcements": "<#900>" });
    await addSponsor(t, "Acme", "gold", { blurb: "Tools for *builders*" });
  }

  /** Moves the clock to `at`, runs what is due and delivers it; returns what was posted meanwhile. */
  async function at(when: string): Promise<string[]> {
    const before = outbox.sent.length;
    t.clock.set(when);
    await settle(t);
    return outbox.sent.slice(before).map((s) => `${s.op} #${s.to} ${s.text}`);
  }

  const impressions = () => t.db.kysely.selectFrom("sponsor_impressions").select(["slot_key", "source", "at"]).orderBy("at").execute();
  const pending = async () => (await t.db.kysely.selectFrom("job_timers").select(["key", "fire_at"]).where("state", "=", "pending").execute()).map((r) => r.fire_at);

  it("GIVEN Wednesdays 10:00 Berlin THEN each Wednesday posts once at 09:00Z, also across a restart, and logs one impression per slot", async () => {
    await start();
    const set = await sponsorCommand(t, "schedule", { name: "Acme", schedule: "0 10 * * 3" });
    expect(text(set)).toBe("Acme gets its own shout-outs in the announcements channel on `0 10 * * 3` (Europe/Berlin). The next one is 2026-12-02T09:00:00.000Z (2026-12-02T09:00:00.000Z).");
    expect(await at("2026-12-02T08:59:59Z")).toEqual([]);
    expect(await at("2026-12-02T09:00:00Z")).toEqual(["post #900 🥇 Thanks to our gold sponsor Acme — Tools for *builders* https://acme.example"]);
    expect(await at("2026-12-02T09:30:00Z")).toEqual([]);

    // A restart: a new engine on the same database finds nothing left to post for that slot.
    t = await restartTestEngine(t, { advanceMs: 60_000 });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    expect(await at("2026-12-02T10:00:00Z")).toEqual([]);
    expect(await pending()).toEqual(["2026-12-09T09:00:00.000Z"]);
    expect(await at("2026-12-09T09:00:00Z")).toHaveLength(1);
    expect(await impressions()).toEqual([
      { slot_key: expect.stringMatching(/^sponsor:S\w+:2026-12-02T10:00\[Europe\/Berlin\]$/), source: "schedule", at: "2026-12-02T09:00:00.000Z" },
      { slot_key: expect.stringMatching(/^sponsor:S\w+:2026-12-09T10:00\[Europe\/Berlin\]$/), source: "schedule", at: "2026-12-09T09:00:00.000Z" },
    ]);
    // The report counts them apart from the digest's.
    expect(text(await sponsorCommand(t, "report"))).toContain("2 impressions (0 digest, 2 own schedule)");
  });

  it("GIVEN two engines on one database THEN each slot is posted once", async () => {
    await start();
    await sponsorCommand(t, "schedule", { name: "Acme", schedule: "0 10 * * 3" });
    const second = dialect === "postgres" ? connect(t.url, { schema: t.schema! }) : undefined;
    if (second) cleanups.push(() => second.close());
    const other = new Engine({ db: second?.kysely ?? t.db.kysely, clock: t.clock, log: silentLog, commands, messageActions, capabilities });
    cleanups.push(() => other.drain());
    other.registerOutbox(outbox);
    for (const when of ["2026-12-02T09:00:00Z", "2026-12-02T09:00:01Z", "2026-12-09T09:00:00Z"]) {
      t.clock.set(when);
      await Promise.all([t.engine.scheduler.tick(), other.scheduler.tick()]);
      await Promise.all([t.engine.delivery.deliverDue(), other.delivery.deliverDue()]);
      await Promise.all([t.engine.delivery.deliverDue(), other.delivery.deliverDue()]);
    }
    expect(outbox.of("post")).toHaveLength(2);
    expect(await impressions()).toHaveLength(2);
  });

  it("GIVEN downtime past the slot's grace THEN that slot is skipped, nothing is posted late, and the next slot still comes", async () => {
    await start();
    await sponsorCommand(t, "schedule", { name: "Acme", schedule: "0 10 * * 3" });
    t.clock.set("2026-12-01T12:00:00Z");
    t = await restartTestEngine(t, { advanceMs: 36 * 3_600_000 }); // back on Thursday 00:00Z: 15 h late
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    expect(await at(t.clock.now().toISOString())).toEqual([]);
    expect(await impressions()).toEqual([]);
    expect(await pending()).toEqual(["2026-12-09T09:00:00.000Z"]);
    expect(await at("2026-12-09T09:00:00Z")).toHaveLength(1);
  });

  it("GIVEN a sponsor removed, or given a new schedule THEN the old slots say nothing", async () => {
    await start();
    await sponsorCommand(t, "schedule", { name: "Acme", schedule: "0 10 * * 3" });
    await sponsorCommand(t, "schedule", { name: "Acme", schedule: "30 18 * * 5" }); // Fridays 18:30 Berlin
    expect(await pending()).toEqual(["2026-12-04T17:30:00.000Z"]);
    expect(await at("2026-12-02T09:00:00Z")).toEqual([]);
    expect(await at("2026-12-04T17:30:00Z")).toHaveLength(1);
    await sponsorCommand(t, "remove", { name: "Acme" });
    expect(await pending()).toEqual([]);
    expect(await at("2026-12-11T17:30:00Z")).toEqual([]);
    expect(await impressions()).toHaveLength(1);
  });

  it("GIVEN a schedule cleared with none THEN nothing more is posted", async () => {
    await start();
    await sponsorCommand(t, "schedule", { name: "Acme", schedule: "0 10 * * 3" });
    expect(text(await sponsorCommand(t, "schedule", { name: "Acme", schedule: "none" }))).toBe("Acme has no schedule of its own now (the digest's rotation still shows it).");
    expect(await pending()).toEqual([]);
    expect(await at("2026-12-02T09:00:00Z")).toEqual([]);
  });
});
