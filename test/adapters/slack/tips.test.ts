/**
 * Tips on Slack, end to end through Bolt against the fake Slack (HTTP and Socket Mode): `/tip` as
 * text, the "Tip the author" shortcut opening a modal whose submission tips, and the receiver's DM
 * sent by the outbox (conversations.open, then chat.postMessage).
 */
import { afterEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { buildManifest } from "../../../src/adapters/slack/manifest.js";
import { settingsSchema } from "../../../src/engine/communities/settings.js";
import { ALICE, BOB, GENERAL, type Mode, readable, startWorld, type World } from "./harness.js";

let w: World;
afterEach(async () => {
  await w.close();
});

const TIP_AUTHOR = buildManifest(commands, messageActions).features!.shortcuts!.find((s) => s.name === "Tip the author")!.callback_id;
// Every post earns (no cooldown), so a few posts give a balance to tip from.
const defaults = { points: settingsSchema.parse({ points: { messageCooldownSeconds: 0 } }).points };

async function earn(user: string, posts: number): Promise<void> {
  for (let i = 0; i < posts; i++) await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user, text: `A detailed answer, part ${i}` }));
}

/** What the outbox DMed to `user`, as readable text. */
async function dmsTo(user: string): Promise<string[]> {
  await w.deliver();
  const opened = w.fake.calls("conversations.open").filter((c) => c.params.users === user && c.response.ok);
  const channels = new Set(opened.map((c) => (c.response.channel as { id: string }).id));
  return w.fake.calls("chat.postMessage").filter((c) => channels.has(String(c.params.channel))).map((c) => readable(c.params.text));
}

describe.each<Mode>(["http", "socket"])("tips on Slack (%s)", (mode) => {
  it("GIVEN alice with points WHEN she runs /tip @bob 10 for the fix THEN a private answer with her figures, and bob gets a DM with his", async () => {
    w = await startWorld(mode, { defaults });
    await earn(ALICE, 4);

    const { body } = await w.command("tip", `<@${BOB}|bob> 10 for the *fix* <!channel>`, ALICE);

    expect(body?.response_type).toBe("ephemeral");
    // What alice typed stays text: Slack's <!channel> arrives escaped, never as a broadcast.
    expect(String(body?.text)).toContain("&lt;!channel&gt;");
    expect(readable(body?.text)).toContain(`You tipped <@${BOB}> 10 points (“for the *fix* <!channel>”): they get 9, the community pool 1. Your balance: 10 points · tips left this week: 40 of 50`);
    const dms = await dmsTo(BOB);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain(`<@${BOB}>, <@${ALICE}> tipped you 10 points`);
    expect(dms[0]).toContain("you get 9 (the community pool keeps 1). Your balance: 9 points.");
  });

  it("GIVEN bob's message WHEN alice uses “Tip the author” THEN a modal opens, and its submission tips bob", async () => {
    w = await startWorld(mode, { defaults });
    await earn(ALICE, 2);

    const payload = w.fake.payloads.messageAction({ callbackId: TIP_AUTHOR, user: ALICE, channel: GENERAL, messageTs: "1700000000.000100", messageUser: BOB, messageText: "pin the node version" });
    await w.interaction(payload);
    const opened = await w.fake.waitForCall("views.open");
    expect(opened.response.ok).toBe(true);
    const view = opened.params.view as { callback_id: string; private_metadata: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toMatch(new RegExp(`^tip:author:slack:[A-Z0-9]+:${BOB} slack:[A-Z0-9]+:${GENERAL}:1700000000\\.000100$`));
    expect(view.blocks.map((b) => b.block_id)).toEqual(["amount", "reason"]);

    const submitted = await w.interaction(
      w.fake.payloads.viewSubmission({ callbackId: view.callback_id, values: { amount: { value: "4" }, reason: { value: "" } }, user: ALICE, privateMetadata: view.private_metadata }),
    );

    expect(submitted.body).toBeUndefined(); // a bare ack closes the modal
    const answer = await w.fake.waitForResponse((r) => r.url === payload.response_url);
    expect(answer.body).toMatchObject({ response_type: "ephemeral" });
    expect(readable((answer.body as { text: string }).text)).toContain(`You tipped <@${BOB}> 4 points: they get 3, the community pool 1. Your balance: 6 points`);
    expect((await dmsTo(BOB))[0]).toContain(`<@${ALICE}> tipped you 4 points: you get 3`);
  });

  it("GIVEN alice short of points WHEN she submits the dialog THEN the modal stays open with the balance under the amount, and nothing moves", async () => {
    w = await startWorld(mode, { defaults });
    await earn(ALICE, 1);
    const payload = w.fake.payloads.messageAction({ callbackId: TIP_AUTHOR, user: ALICE, channel: GENERAL, messageTs: "1700000000.000200", messageUser: BOB });
    await w.interaction(payload);
    const view = (await w.fake.waitForCall("views.open")).params.view as { callback_id: string; private_metadata: string };

    const submitted = await w.interaction(w.fake.payloads.viewSubmission({ callbackId: view.callback_id, values: { amount: { value: "50" } }, user: ALICE, privateMetadata: view.private_metadata }));

    expect(submitted.body).toMatchObject({ response_action: "errors", errors: { amount: "You have 5 points to spend, not enough for a tip of 50. Tip at most 5, or earn more by taking part." } });
    expect(await w.te.db.kysely.selectFrom("tips").selectAll().execute()).toHaveLength(0);
  });
});
