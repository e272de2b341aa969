/**
 * HTTP mode against bodies and timestamps Slack would never send, through the real adapter (Bolt
 * inside): each gets its 4xx, nothing is written, and the very next good request is still served.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nowSeconds, postSignedRaw, postUrlVerification } from "../../fakes/slack/index.js";
import { ALICE, GENERAL, startWorld, TEAM, type World } from "./harness.js";

let w: World;
beforeEach(async () => {
  w = await startWorld("http");
});
afterEach(async () => {
  await w.close();
});

const JSON_TYPE = "application/json";
const FORM = "application/x-www-form-urlencoded";
const signed = () => ({ signingSecret: w.fake.config.signingSecret });

/** A good message after the bad request: still served, still earning. */
async function stillServes(): Promise<void> {
  const res = await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "still here" }));
  expect(res.status).toBe(200);
  expect(await w.points(ALICE)).toBe(5);
}

describe("Slack over HTTP: a signed body that is not what Slack sends gets 400, and the app keeps serving", () => {
  it.each([
    ["JSON null", "null", JSON_TYPE],
    ["a form whose payload is null", "payload=null", FORM],
    ["a JSON number", "42", JSON_TYPE],
    ["a JSON string", '"event_callback"', JSON_TYPE],
    ["a JSON array", "[]", JSON_TYPE],
    ["an array of envelopes", JSON.stringify([{ type: "event_callback", event: { type: "message" } }]), JSON_TYPE],
    ["broken JSON", '{"type": "event_callback",', JSON_TYPE],
    ["a form whose payload is broken JSON", "payload=%7B", FORM],
    ["a form whose payload is an array", `payload=${encodeURIComponent("[1,2]")}`, FORM],
    ["an event callback whose event is null", JSON.stringify({ type: "event_callback", team_id: TEAM, event: null }), JSON_TYPE],
    ["an event callback whose event is a string", JSON.stringify({ type: "event_callback", team_id: TEAM, event: "message" }), JSON_TYPE],
    ["an event whose user is null", JSON.stringify({ type: "event_callback", team_id: TEAM, event: { type: "message", channel: GENERAL, user: null, ts: "1.2" } }), JSON_TYPE],
    ["a reaction whose item is null", JSON.stringify({ type: "event_callback", team_id: TEAM, event: { type: "reaction_added", user: ALICE, item: null } }), JSON_TYPE],
    ["a button press whose user is null", `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", user: null, actions: [] }))}`, FORM],
    ["a button press whose channel is null", `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", user: { id: ALICE }, channel: null, actions: [] }))}`, FORM],
    ["a view submission without a view", `payload=${encodeURIComponent(JSON.stringify({ type: "view_submission", user: { id: ALICE } }))}`, FORM],
  ])("GIVEN %s THEN 400", async (_, body, contentType) => {
    const res = await postSignedRaw(w.url, body, contentType, signed());

    expect(res.status).toBe(400);
    expect(await w.ledger()).toEqual([]);
    await stillServes();
  });

  it("GIVEN a signed body over a megabyte THEN 413 and the app keeps serving", async () => {
    const res = await postSignedRaw(w.url, JSON.stringify({ type: "event_callback", padding: "x".repeat(1_100_000) }), JSON_TYPE, signed());

    expect(res.status).toBe(413);
    await stillServes();
  });

  it("GIVEN Slack's URL verification and SSL check THEN they are answered as Slack expects", async () => {
    const verification = await postUrlVerification(w.url, "challenge-123", signed());
    expect(verification.status).toBe(200);
    expect(verification.json).toEqual({ challenge: "challenge-123" });

    const ssl = await postSignedRaw(w.url, "ssl_check=1&token=x", FORM, { ...signed(), unsigned: true });
    expect(ssl.status).toBe(200);
  });
});

describe("Slack over HTTP: a request stamped more than 5 minutes away from now, either way, gets 401 and writes nothing", () => {
  it.each([
    ["ten minutes in the future", 10 * 60],
    ["a year in the future", 365 * 24 * 3600],
    ["six minutes in the past", -6 * 60],
    ["a year in the past", -365 * 24 * 3600],
  ])("GIVEN a correctly signed event stamped %s THEN 401", async (_, offset) => {
    const res = await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "from another time" }), { post: { timestamp: nowSeconds() + offset } });

    expect(res.status).toBe(401);
    expect(await w.ledger()).toEqual([]);
    await stillServes();
  });

  it("GIVEN a correctly signed event stamped four minutes in the future THEN it is accepted (clocks drift a little)", async () => {
    const res = await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "slightly ahead" }), { post: { timestamp: nowSeconds() + 4 * 60 } });

    expect(res.status).toBe(200);
    expect(await w.points(ALICE)).toBe(5);
  });

  it.each([
    ["no signature at all", { unsigned: true }],
    ["a timestamp that is not a number", { timestamp: Number.NaN }],
  ])("GIVEN %s THEN 401", async (_, post) => {
    const res = await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "unsigned" }), { post });

    expect(res.status).toBe(401);
    expect(await w.ledger()).toEqual([]);
  });
});
