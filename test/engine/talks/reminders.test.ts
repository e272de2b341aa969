import { afterEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { connect } from "../../../src/db/connect.js";
import { capabilities } from "../../../src/engine/capabilities.js";
import { Engine } from "../../../src/engine/engine.js";
import { dialects } from "../../helpers/db.js";
import { silentLog, testEngine, type TestEngine } from "../../helpers/engine.js";
import { restartTestEngine } from "../../helpers/engine-restart.js";
import { command, member, ref } from "../../helpers/events.js";
import { configure, RecordingOutbox, scheduleTalk, settle } from "./harness.js";

/**
 * Reminders are one-off durable timers: they fire at the right UTC instant for the community's
 * wall clock across daylight-saving changes, once across a restart and across two engines on one
 * database, and never for a cancelled talk.
 */
describe.each(dialects)("talk reminders on %s", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await t.close();
  });

  async function start(at: string, tz: string) {
    t = await testEngine({ dialect, start: at });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await configure(t, { timezone: tz, "channels.talks": "<#700>" });
  }

  /** Moves the clock to `at` (and one second before it, which must say nothing new), returning what was said at `at`. */
  async function saidAt(at: string): Promise<string[]> {
    t.clock.set(new Date(Date.parse(at) - 1000));
    await settle(t);
    const before = outbox.sent.length;
    t.clock.set(at);
    await settle(t);
    return outbox.sent.slice(before).map((s) => `${s.op} ${s.text.split("\n")[0]!}`);
  }

  const fired = async () => (await t.db.kysely.selectFrom("job_timers").select(["key", "fire_at", "state"]).where("state", "=", "pending").orderBy("fire_at").execute()).map((r) => [r.key.split(":")[2], r.fire_at]);

  it("GIVEN a talk in Berlin the week clocks go forward THEN the 24 h reminder is 24 real hours before (17:00Z on Saturday, 16:00Z on Sunday)", async () => {
    await start("2026-03-20T12:00:00Z", "Europe/Berlin");
    await scheduleTalk(t, { title: "After the change", speaker: ref("ada"), start: "2026-03-29 18:00", duration: 30 }); // CEST: 16:00Z
    expect((await fired()).slice(0, 3)).toEqual([
      ["1440m", "2026-03-28T16:00:00.000Z"],
      ["15m", "2026-03-29T15:45:00.000Z"],
      ["start", "2026-03-29T16:00:00.000Z"],
    ]);
    expect(await saidAt("2026-03-28T16:00:00Z")).toEqual([expect.stringMatching(/^post ⏰ Reminder: After the change by @ada starts .*\(2026-03-29T16:00:00.000Z\)/)]);
    expect(await saidAt("2026-03-29T15:45:00Z")).toEqual([expect.stringMatching(/^post ⏰ Reminder: After the change/)]);
    expect(await saidAt("2026-03-29T16:00:00Z")).toEqual([expect.stringMatching(/^post ▶️ Starting now: After the change/)]);
  });

  it("GIVEN a weekly series at 18:00 Berlin crossing the change THEN each occurrence and its reminders follow local time", async () => {
    await start("2026-03-10T12:00:00Z", "Europe/Berlin");
    await scheduleTalk(t, { title: "Weekly", speaker: ref("ada"), start: "2026-03-19 18:00", duration: 30, repeat: "weekly", occurrences: 3 });
    const talks = await t.db.kysely.selectFrom("talks").select(["starts_at", "occurrence"]).orderBy("starts_at").execute();
    expect(talks).toEqual([
      { starts_at: "2026-03-19T17:00:00.000Z", occurrence: "2026-03-19T18:00" },
      { starts_at: "2026-03-26T17:00:00.000Z", occurrence: "2026-03-26T18:00" },
      { starts_at: "2026-04-02T16:00:00.000Z", occurrence: "2026-04-02T18:00" },
    ]);
    await settle(t);
    expect(await saidAt("2026-03-25T17:00:00Z")).toEqual([expect.stringMatching(/^post ⏰ Reminder: Weekly .*\(2026-03-26T17:00:00.000Z\)/)]);
    // The third is announced a week ahead of its start, then reminded 24 real hours before.
    expect(await saidAt("2026-03-26T16:00:00Z")).toEqual(["post 🎤 Tech talk: Weekly"]);
    expect(await saidAt("2026-04-01T16:00:00Z")).toEqual([expect.stringMatching(/^post ⏰ Reminder: Weekly .*\(2026-04-02T16:00:00.000Z\)/)]);
    expect(await saidAt("2026-04-02T15:45:00Z")).toHaveLength(1);
  });

  it("GIVEN a talk in New York after clocks go back THEN its reminders are at 17:00Z (EST), not 16:00Z", async () => {
    await start("2026-10-25T12:00:00Z", "America/New_York");
    await scheduleTalk(t, { title: "Fall back", speaker: ref("ada"), start: "2026-10-22 12:00", duration: 30, repeat: "weekly", occurrences: 3 }).catch(() => undefined); // in the past: refused
    await scheduleTalk(t, { title: "Fall back", speaker: ref("ada"), start: "2026-10-29 12:00", duration: 30, repeat: "biweekly", occurrences: 2 });
    const starts = (await t.db.kysely.selectFrom("talks").select("starts_at").orderBy("starts_at").execute()).map((r) => r.starts_at);
    expect(starts).toEqual(["2026-10-29T16:00:00.000Z", "2026-11-12T17:00:00.000Z"]);
    await settle(t);
    expect(await saidAt("2026-10-28T16:00:00Z")).toHaveLength(1);
    expect(await saidAt("2026-11-11T17:00:00Z")).toEqual([expect.stringMatching(/^post ⏰ Reminder: Fall back .*\(2026-11-12T17:00:00.000Z\)/)]);
    expect(await saidAt("2026-11-12T16:45:00Z")).toHaveLength(1);
  });

  it("GIVEN a restart between scheduling and the reminder THEN the reminder is sent exactly once", async () => {
    await start("2026-11-26T12:00:00Z", "Europe/Berlin");
    const id = await scheduleTalk(t, { title: "Restart", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 30 });
    await t.engine.command(command({ name: "talk", subcommand: "info", by: member("bob"), options: { id } }));
    await settle(t);
    t = await restartTestEngine(t, { advanceMs: 0 });
    t.engine.registerOutbox(outbox);
    t.clock.set("2026-12-02T17:00:05Z");
    await settle(t);
    t = await restartTestEngine(t, { advanceMs: 60_000 });
    t.engine.registerOutbox(outbox);
    await settle(t);
    await settle(t);
    expect(outbox.of("post").map((p) => p.text.split(":")[0])).toEqual(["🎤 Tech talk", "⏰ Reminder"]);
  });

  it("GIVEN two engines on one database THEN each reminder is sent once", async () => {
    await start("2026-11-26T12:00:00Z", "Europe/Berlin");
    await scheduleTalk(t, { title: "Twice?", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 30 });
    const second = dialect === "postgres" ? connect(t.url, { schema: t.schema! }) : undefined;
    if (second) cleanups.push(() => second.close());
    const other = new Engine({ db: second?.kysely ?? t.db.kysely, clock: t.clock, log: silentLog, commands, messageActions, capabilities });
    cleanups.push(() => other.drain());
    other.registerOutbox(outbox);
    for (const at of ["2026-12-02T17:00:00Z", "2026-12-03T16:45:00Z", "2026-12-03T17:00:00Z"]) {
      t.clock.set(at);
      await Promise.all([t.engine.scheduler.tick(), other.scheduler.tick()]);
      await Promise.all([t.engine.delivery.deliverDue(), other.delivery.deliverDue()]);
      await Promise.all([t.engine.delivery.deliverDue(), other.delivery.deliverDue()]);
    }
    expect(outbox.of("post").map((p) => p.text.split(":")[0])).toEqual(["🎤 Tech talk", "⏰ Reminder", "⏰ Reminder", "▶️ Starting now"]);
  });

  it("GIVEN a talk moved after its timers were armed THEN only the new times fire", async () => {
    await start("2026-11-26T12:00:00Z", "Europe/Berlin");
    const id = await scheduleTalk(t, { title: "Moved", speaker: ref("ada"), start: "2026-12-03 18:00", duration: 30 });
    const edit = await t.engine.command(command({ name: "talk", subcommand: "edit", by: member("root", { isPlatformAdmin: true }), options: { id, start: "2026-12-04 19:00" } }));
    expect(edit.text).toContain("Updated 1 talk");
    await settle(t);
    expect(await saidAt("2026-12-02T17:00:00Z")).toEqual([]);
    expect(await saidAt("2026-12-03T18:00:00Z")).toEqual([expect.stringMatching(/^post ⏰ Reminder: Moved .*\(2026-12-04T18:00:00.000Z\)/)]);
  });
});
