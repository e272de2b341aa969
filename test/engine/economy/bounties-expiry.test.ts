import { afterEach, describe, expect, it, vi } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { restartTestEngine } from "../../helpers/engine-restart.js";
import { accounts, ada, balanceOf, bob, bounty, bountyRows, configure, earn, GUILD, RecordingOutbox, settle, text, thread, xpTotals } from "./bounties-harness.js";

const Q = thread(700);

/**
 * Expiry: each bounty's durable timer refunds it after `economy.bountyDays` on the injected clock,
 * does nothing when the bounty was awarded first, and fires on start when it came due while the
 * bot was down — once, whatever restarts follow.
 */
describe.each(dialects)("bounty expiry (%s)", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  afterEach(() => t?.close());

  async function start(): Promise<string> {
    t = await testEngine({ dialect, start: "2026-11-30T10:00:00Z" });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await configure(t, { "economy.bountyDays": "3" });
    await earn(t, ada, 40);
    await settle(t);
    outbox.sent.splice(0);
    return (await t.engine.communities.resolve({ platform: "discord", workspaceId: GUILD })).id;
  }

  const said = () => outbox.sent.map((s) => `${s.op} ${s.to} ${s.text}`);

  it("GIVEN an unawarded bounty THEN at bountyDays it is refunded, marked expired and the poster is told, once", async () => {
    const c = await start();
    const xp = await xpTotals(t, c);
    await bounty(t, "post", { amount: 25 }, { by: ada, thread: Q });
    const [row] = await bountyRows(t);
    expect(row!.expires_at).toBe("2026-12-03T10:00:00.000Z");
    t.clock.set("2026-12-03T09:59:59Z");
    await settle(t);
    expect(said()).toEqual([]);
    expect(await balanceOf(t, ada)).toBe(15);

    t.clock.set("2026-12-03T10:00:00Z");
    await settle(t);
    expect(said()).toEqual([`dm ${ada.id} ⌛ Your 25-point bounty on https://discord.com/channels/${GUILD}/${Q}/${Q} expired without an award, so the 25 points are back in your balance (now 40 points).`]);
    expect(await balanceOf(t, ada)).toBe(40);
    expect((await accounts(t, c))[`@escrow:${row!.id}`]).toBe(0);
    expect(await bountyRows(t)).toMatchObject([{ status: "expired", settled_by: "@expiry", settled_at: "2026-12-03T10:00:00.000Z" }]);
    expect(await xpTotals(t, c)).toEqual(xp);

    t.clock.advance(86_400_000);
    await settle(t);
    expect(said()).toHaveLength(1);
    expect(await balanceOf(t, ada)).toBe(40);
    // Too late to award; a new bounty may be put on the question now.
    expect(text(await bounty(t, "award", { member: { id: bob.id } }, { by: ada, thread: Q }))).toBe("That bounty expired and its 25 points went back to @ada.");
    expect(text(await bounty(t, "post", { amount: 5 }, { by: ada, thread: Q }))).toContain("put a bounty of 5 points");
  });

  it("GIVEN a bounty awarded before it expires THEN its timer fires and does nothing", async () => {
    const c = await start();
    await bounty(t, "post", { amount: 25 }, { by: ada, thread: Q });
    t.clock.set("2026-12-01T10:00:00Z");
    await bounty(t, "award", { member: { id: bob.id, displayName: "bob" } }, { by: ada, thread: Q });
    await settle(t);
    outbox.sent.splice(0);
    t.clock.set("2026-12-03T10:00:00Z");
    await settle(t);
    expect(said()).toEqual([]);
    expect(await balanceOf(t, ada)).toBe(15);
    expect(await balanceOf(t, bob)).toBe(25);
    expect(await bountyRows(t)).toMatchObject([{ status: "awarded" }]);
    const timers = await t.db.kysely.selectFrom("job_timers").select("state").where("timer", "=", "bounty-expiry").execute();
    expect(timers).toEqual([{ state: "fired" }]);
    const refunds = await t.db.kysely.selectFrom("wallet_entries").select("kind").where("community_id", "=", c).where("kind", "=", "bounty-refund").execute();
    expect(refunds).toEqual([]);
  });

  it("GIVEN the bot down when a bounty came due THEN the restarted engine refunds it on start, once, also across another restart", async () => {
    await start();
    await bounty(t, "post", { amount: 30 }, { by: ada, thread: Q });
    t.clock.set("2026-12-02T12:00:00Z");
    // Down for two days: back on 4 December, a day after the bounty came due.
    t = await restartTestEngine(t, { advanceMs: 2 * 86_400_000 });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    expect(await balanceOf(t, ada)).toBe(10);
    t.engine.start(); // the scheduler looks at once on start: catch-up
    await vi.waitFor(async () => expect((await bountyRows(t))[0]!.status).toBe("expired"), { timeout: 5_000, interval: 20 });
    await vi.waitFor(() => expect(outbox.of("dm")).toHaveLength(1), { timeout: 5_000, interval: 20 });
    expect(await balanceOf(t, ada)).toBe(40);
    expect((await bountyRows(t))[0]!.settled_at).toBe("2026-12-04T12:00:00.000Z");

    t = await restartTestEngine(t, { advanceMs: 60_000 });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await settle(t);
    expect(outbox.sent).toEqual([]);
    expect(await balanceOf(t, ada)).toBe(40);
  });
});
