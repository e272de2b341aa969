/**
 * Feedback end to end on Slack (HTTP mode): the real Bolt app against the fake Slack. A member's
 * /feedback send posts the card in the mod queue (no feedback or organizers' channel set), a
 * member's press of Answer is refused, an admin's press opens a modal (views.open), and its
 * submission DMs the member the answer (conversations.open, chat.postMessage) and updates the card
 * (chat.update). Asserted on what the fake received.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ADA, ALICE, BOB, NEWS, readable, startWorld, TEAM, type World } from "../../adapters/slack/harness.js";

let w: World;
afterEach(async () => {
  await w.close();
});

async function delivered(): Promise<void> {
  await w.te.engine.drain();
  await w.deliver();
  await w.deliver();
}

const posted = (channel: string) => w.fake.calls("chat.postMessage").filter((c) => c.params.channel === channel);
const answerText = (ack: { body: Record<string, unknown> | undefined }) => readable(ack.body?.text ?? "");

/** What the outbox DMed to `user`, as readable text. */
function dmsTo(user: string): string[] {
  const opened = w.fake.calls("conversations.open").filter((c) => c.params.users === user && c.response.ok);
  const channels = new Set(opened.map((c) => (c.response.channel as { id: string }).id));
  return w.fake.calls("chat.postMessage").filter((c) => channels.has(String(c.params.channel))).map((c) => readable(c.params.text));
}

describe("feedback on Slack", () => {
  it("GIVEN a member's feedback THEN the card reaches the mod queue, Answer opens a modal for organizers only, and its submission DMs the member and updates the card", async () => {
    w = await startWorld("http", { fake: { channels: [{ id: "C0GENERAL1", name: "general" }, { id: NEWS, name: "news" }] } });
    const community = await w.te.engine.communities.resolve({ platform: "slack", workspaceId: TEAM });
    await w.te.engine.communities.updateSettings(community, { ...community.settings, channels: { ...community.settings.channels, modQueue: `slack:${TEAM}:${NEWS}` } });

    const sent = await w.command("feedback", "send the <!channel> *standup* bot is too chatty", ALICE);
    expect(sent.body?.response_type).toBe("ephemeral");
    expect(answerText(sent)).toContain("your feedback #1 went to the organizers. They see that it's from you.");
    await delivered();
    const card = posted(NEWS).at(-1)!;
    expect(readable(card.params.text)).toContain(`Feedback #1 from <@${ALICE}>`);
    // What she typed stays text: <!channel> arrives escaped, never as a broadcast.
    expect(String(card.params.text)).toContain("&lt;!channel&gt;");
    const blocks = JSON.stringify(card.params.blocks);
    const answerId = /"(feedback:answer:F[A-Z0-9]+)"/.exec(blocks)![1]!;
    expect(blocks).toMatch(/feedback:close:F[A-Z0-9]+/);
    const ts = String((card.response as { ts?: string }).ts);

    const refused = await w.interaction(w.fake.payloads.blockActions({ actionId: answerId, user: BOB, channel: NEWS, messageTs: ts }));
    expect(refused.status).toBe(200);
    const privately = await w.fake.waitForResponse((r) => readable((r.body as { text?: string }).text ?? "").includes("Only organizers can use /feedback."));
    expect(privately.body).toMatchObject({ response_type: "ephemeral" });
    expect(w.fake.calls("views.open")).toHaveLength(0);

    await w.interaction(w.fake.payloads.blockActions({ actionId: answerId, user: ADA, channel: NEWS, messageTs: ts }));
    const opened = await w.fake.waitForCall("views.open");
    expect(opened.response.ok).toBe(true);
    const view = opened.params.view as { callback_id: string; private_metadata: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toBe(answerId);
    expect(view.blocks.map((b) => b.block_id)).toEqual(["answer"]);

    const submitted = await w.interaction(w.fake.payloads.viewSubmission({ callbackId: view.callback_id, values: { answer: { value: "Muted it in #general. Thanks!" } }, user: ADA, privateMetadata: view.private_metadata }));
    expect(submitted.status).toBe(200);
    await w.fake.waitForResponse((r) => readable((r.body as { text?: string }).text ?? "").includes("Answered feedback #1"));
    await delivered();

    const dms = dmsTo(ALICE);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain("answered your feedback #1");
    expect(dms[0]).toContain("Muted it in #general. Thanks!");
    const update = w.fake.calls("chat.update").at(-1)!;
    expect(update.params).toMatchObject({ channel: NEWS, ts });
    expect(readable(update.params.text)).toContain(`✅ Answered by <@${ADA}>`);
    expect(JSON.stringify(update.params.blocks ?? [])).not.toContain("feedback:answer:");
    expect((await w.te.db.kysely.selectFrom("feedback").select("state").execute()).map((r) => r.state)).toEqual(["answered"]);
  });
});
