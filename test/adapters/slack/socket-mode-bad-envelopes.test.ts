/**
 * Socket Mode against frames and envelopes Slack would never send, through the real adapter
 * (Bolt and @slack/socket-mode inside): each costs that envelope only — acknowledged so Slack does
 * not resend it, logged, nothing written — and the next good event is still processed.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { capturingLog } from "../../helpers/log-lines.js";
import { ALICE, GENERAL, startWorld, TEAM, type World } from "./harness.js";

let w: World;
let lines: string[];
beforeEach(async () => {
  const captured = capturingLog();
  lines = captured.lines;
  w = await startWorld("socket", { log: captured.log });
});
afterEach(async () => {
  await w.close();
});

async function stillServes(): Promise<void> {
  await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "still here" }));
  expect(await w.points(ALICE)).toBe(5);
}

describe("Socket Mode: an envelope whose payload is not what Slack sends is acknowledged and dropped, and the app keeps serving", () => {
  it.each([
    ["an events_api envelope whose payload is null", "events_api", null],
    ["an events_api envelope whose payload is a string", "events_api", "event_callback"],
    ["an events_api envelope whose event is null", "events_api", { type: "event_callback", team_id: TEAM, event: null }],
    ["an event whose user is null", "events_api", { type: "event_callback", team_id: TEAM, event: { type: "message", channel: GENERAL, user: null, ts: "1.2" } }],
    ["a slash_commands envelope whose payload is null", "slash_commands", null],
    ["an interactive envelope whose user is null", "interactive", { type: "block_actions", user: null, actions: [] }],
  ] as const)("GIVEN %s THEN it is acknowledged, nothing is written, and the next event still counts", async (_, type, payload) => {
    const ack = await w.fake.sendEnvelope(type, payload);

    expect(ack.envelopeId).toBeTruthy();
    expect(await w.ledger()).toEqual([]);
    await stillServes();
    expect(lines.some((l) => l.includes("slack: Socket Mode envelope dropped"))).toBe(true);
  });

  it("GIVEN an event of type 'error' (EventEmitter's special name) THEN it is acknowledged like any event nobody listens to, and the next event still counts", async () => {
    const ack = await w.fake.sendEnvelope("events_api", { type: "event_callback", team_id: TEAM, event: { type: "error" } });

    expect(ack.envelopeId).toBeTruthy();
    await stillServes();
  });

  it.each([
    ["null", "null"],
    ["a number", "42"],
    ["an array", "[]"],
    ["an envelope without an id", JSON.stringify({ type: "events_api", payload: null })],
    ["broken JSON", "{"],
  ])("GIVEN a frame that is %s THEN it is ignored and the next event still counts", async (_, frame) => {
    w.fake.sendRawFrame(frame);

    await stillServes();
  });
});
