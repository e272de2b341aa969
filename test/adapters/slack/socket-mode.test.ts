import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ALICE, BOB, GENERAL, readable, startWorld, type World } from "./harness.js";

let w: World;
beforeEach(async () => {
  w = await startWorld("socket");
});
afterEach(async () => {
  await w.close();
});

describe("Slack over Socket Mode: envelopes are acknowledged after commit", () => {
  it("GIVEN a slow database WHEN a message envelope arrives THEN the ack leaves only once its ledger row exists", async () => {
    const ingest = w.te.engine.ingest.bind(w.te.engine);
    // Slow enough that an ack sent before the write (Bolt's own receiver does that) could not miss it.
    vi.spyOn(w.te.engine, "ingest").mockImplementation(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return ingest(event);
    });
    const reader = new BetterSqlite3(w.te.url, { readonly: true });
    const rowsAtAck: number[] = [];
    // Runs synchronously inside the fake's WebSocket handler, the instant the ack arrives.
    w.fake.onAck(() => rowsAtAck.push((reader.prepare("select count(*) as n from ledger").get() as { n: number }).n));

    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "hello from the socket" }));
    reader.close();

    expect(rowsAtAck).toEqual([1]);
  });

  it("GIVEN a message envelope THEN the author earns post points", async () => {
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "hello" }));

    expect(await w.points(ALICE)).toBe(5);
  });

  it("GIVEN an envelope re-delivered with retry_attempt 1 THEN it is awarded once and both are acknowledged", async () => {
    const reaction = w.fake.payloads.reactionAdded({ user: ALICE, reaction: "tada", itemUser: BOB, channel: GENERAL, ts: "1700000000.000100" });

    await w.event(reaction, { eventId: "Ev0SOCKET01" });
    await w.event(reaction, { eventId: "Ev0SOCKET01", retry: 1 });

    expect(await w.ledger()).toHaveLength(1);
    expect(await w.points(BOB)).toBe(1);
    expect(w.fake.acks()).toHaveLength(2);
  });

  it("GIVEN the engine fails on the first delivery THEN no ack is sent, and the retry is processed", async () => {
    vi.spyOn(w.te.engine, "ingest").mockRejectedValueOnce(new Error("disk I/O error"));
    const message = w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "persist me" });

    await expect(w.fake.sendEvent(message, { eventId: "Ev0SOCKFAIL", timeoutMs: 400 })).rejects.toThrow(/Timed out/);
    await w.event(message, { eventId: "Ev0SOCKFAIL", retry: 1 });

    expect(await w.points(ALICE)).toBe(5);
  });

  it("GIVEN a slash command envelope THEN the ack carries the Block Kit answer", async () => {
    await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "earning" }));

    const { body } = await w.command("points", "", ALICE);

    expect(body?.response_type).toBe("ephemeral");
    expect(readable(body?.text)).toBe(`<@${ALICE}> has 5 points: level 0, rank #1. This week: 5 points (#1). 45 more to level 1.`);
    expect(body?.blocks).toContainEqual({ type: "section", fields: expect.arrayContaining([{ type: "mrkdwn", text: "*Points*\n5" }]) });
  });

  it("GIVEN an engine slower than Slack's 3 s window WHEN a command runs THEN it is acknowledged in time and answered through response_url", async () => {
    const command = w.te.engine.command.bind(w.te.engine);
    vi.spyOn(w.te.engine, "command").mockImplementation(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 1800));
      return command(event);
    });

    const started = Date.now();
    const { body, responseUrl } = await w.command("leaderboard", "all", ALICE);

    expect(Date.now() - started).toBeLessThan(2500);
    expect(body).toBeUndefined();
    const late = await w.fake.waitForResponse((r) => r.url === responseUrl, 3000);
    expect(late.body).toMatchObject({ response_type: "in_channel", text: expect.stringContaining("No points yet for all time") });
  });
});
