import { afterEach, describe, expect, it, vi } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { restartTestEngine } from "../../helpers/engine-restart.js";
import { ada, bob, cat, configure, points, press, RecordingOutbox, review, rows, settle, text } from "./harness.js";

const PR = "https://github.com/acme/widgets/pull/42";
const HOUR = 3_600_000;

/**
 * A claim not marked done within `reviews.claimHours` is released by its durable timer on the
 * injected clock: the card says so and is open again, the claimer is told. A timer for a claim
 * that was finished, released or claimed again does nothing; one that came due while the bot was
 * down fires on start, once, whatever restarts follow.
 */
describe.each(dialects)("code-review claim lapse (%s)", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  afterEach(() => t?.close());

  async function start(): Promise<void> {
    t = await testEngine({ dialect, start: "2026-11-30T10:00:00Z" });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await configure(t, (s) => {
      s.reviews.claimHours = 2;
    });
    await review(t, ada, "request", { link: PR });
    await settle(t);
    outbox.sent.splice(0);
  }

  const said = () => {
    const out = outbox.sent.map((s) => `${s.op} ${s.to} ${s.text.split("\n").join(" | ")} [${s.buttons.join(" ")}]`);
    outbox.sent.splice(0);
    return out;
  };
  const lapseTimers = () => t.db.kysely.selectFrom("job_timers").select(["key", "state"]).where("timer", "=", "review-claim-lapse").orderBy("key").execute();

  it("GIVEN a claim not done within claimHours THEN at that instant it is released: the card says it lapsed and offers Claim, the claimer is told, once", async () => {
    await start();
    await press(t, bob, "review:claim:1");
    await settle(t);
    said();
    expect((await rows(t))[0]!.claim_until).toBe("2026-11-30T12:00:00.000Z");

    t.clock.set("2026-11-30T11:59:59Z");
    await settle(t);
    expect(said()).toEqual([]);
    expect((await rows(t))[0]!.status).toBe("claimed");

    t.clock.set("2026-11-30T12:00:00Z");
    await settle(t);
    expect(said()).toEqual([
      `edit reviews 🔍 Code review #1 requested by @ada | GitHub pull request: ${PR} | ⌛ @bob's claim lapsed (not marked done in time): it's open again. | 🟢 Open — press Claim to review it (not your own). [review:claim:1]`,
      `dm ${bob.id} ⌛ Your claim on code review #1 (GitHub pull request: ${PR}) lapsed: it wasn't marked done within 2 hours, so it's open for others again. Still on it? Claim it again with /review claim 1. []`,
    ]);
    expect(await rows(t)).toMatchObject([{ status: "open", claimer_id: null, released_id: bob.id, released_how: "lapsed" }]);

    t.clock.advance(24 * HOUR);
    await settle(t);
    expect(said()).toEqual([]);
    // Open again: cat claims it, and marking it done pays cat, not bob.
    expect(text(await press(t, cat, "review:claim:1"))).toContain("You're reviewing code review #1");
    expect(text(await review(t, ada, "done", { number: 1 }))).toBe("Marked code review #1 done: @cat earns 20 points and has been told. Thank you!");
    expect(await points(t, bob)).toBe(0);
    expect(await points(t, cat)).toBe(20);
  });

  it("GIVEN a claim marked done in time THEN its timer fires and does nothing", async () => {
    await start();
    await review(t, bob, "claim", { number: 1 });
    t.clock.advance(HOUR);
    await review(t, ada, "done", { number: 1 });
    await settle(t);
    said();
    t.clock.advance(2 * HOUR);
    await settle(t);
    expect(said()).toEqual([]);
    expect(await rows(t)).toMatchObject([{ status: "done", claimer_id: bob.id }]);
    expect(await lapseTimers()).toEqual([{ key: "review:1:claim:1", state: "fired" }]);
    expect(await points(t, bob)).toBe(20);
  });

  it("GIVEN a claim released and claimed again THEN the first claim's timer does nothing and the second claim lapses on its own time", async () => {
    await start();
    await review(t, bob, "claim", { number: 1 });
    t.clock.advance(HOUR);
    await review(t, bob, "release", { number: 1 });
    t.clock.advance(30 * 60_000);
    await review(t, cat, "claim", { number: 1 });
    await settle(t);
    said();

    // 12:00: bob's claim would have lapsed; cat's (from 11:30) runs until 13:30.
    t.clock.set("2026-11-30T12:00:00Z");
    await settle(t);
    expect(said()).toEqual([]);
    expect(await rows(t)).toMatchObject([{ status: "claimed", claimer_id: cat.id, claims: 2 }]);

    t.clock.set("2026-11-30T13:30:00Z");
    await settle(t);
    const out = said();
    expect(out).toHaveLength(2);
    expect(out[0]).toContain("⌛ @cat's claim lapsed");
    expect(out[1]).toMatch(new RegExp(`^dm ${cat.id} ⌛ Your claim on code review #1`));
    expect(await lapseTimers()).toEqual([
      { key: "review:1:claim:1", state: "fired" },
      { key: "review:1:claim:2", state: "fired" },
    ]);
  });

  it("GIVEN the bot down when a claim came due THEN the restarted engine releases it on start, once, also across another restart", async () => {
    await start();
    await review(t, bob, "claim", { number: 1 });
    t.clock.set("2026-11-30T11:00:00Z");
    // Down for a day: back the next morning, long after the claim came due.
    t = await restartTestEngine(t, { advanceMs: 24 * HOUR });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    expect((await rows(t))[0]!.status).toBe("claimed");
    t.engine.start(); // the scheduler looks at once on start: catch-up
    await vi.waitFor(async () => expect((await rows(t))[0]!.status).toBe("open"), { timeout: 5_000, interval: 20 });
    await vi.waitFor(() => expect(outbox.of("dm")).toHaveLength(1), { timeout: 5_000, interval: 20 });
    // The claim's edit was still undelivered when the bot went down: both go out, in order, so the
    // card ends saying the claim lapsed.
    await vi.waitFor(() => expect(outbox.of("edit")).toHaveLength(2), { timeout: 5_000, interval: 20 });
    expect(outbox.of("edit").map((e) => e.text.split("\n").at(-1))).toEqual([expect.stringContaining("Only @ada can mark it done."), "🟢 Open — press Claim to review it (not your own)."]);
    expect(outbox.of("edit")[1]!.text).toContain("⌛ @bob's claim lapsed");
    expect(outbox.of("dm")[0]!.to).toBe(bob.id);
    expect(await rows(t)).toMatchObject([{ status: "open", released_how: "lapsed", updated_at: "2026-12-01T11:00:00.000Z" }]);

    t = await restartTestEngine(t, { advanceMs: 60_000 });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await settle(t);
    expect(outbox.sent).toEqual([]);
    expect(await lapseTimers()).toEqual([{ key: "review:1:claim:1", state: "fired" }]);
  });
});
