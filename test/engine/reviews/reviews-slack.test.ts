/**
 * Code-review requests end to end on Slack: the real Bolt app against the fake Slack, in HTTP and
 * Socket Mode. `/review request <url>` (Slack hands the URL over as `<https://…>`) posts the card
 * in the reviews channel with a Claim button; the requester's own press is refused privately;
 * another member's press claims it and the card is updated with chat.update; `/review done 1` pays
 * the reviewer, updates the card again and DMs the reviewer.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ALICE, BOB, GENERAL, type Mode, NEWS, readable, startWorld, TEAM, type World } from "../../adapters/slack/harness.js";

const REVIEWS = "C0REVIEWS1";
const PR = "https://github.com/acme/widgets/pull/42";

let w: World;
afterEach(() => w?.close());

async function delivered(): Promise<void> {
  await w.te.engine.drain();
  await w.deliver();
  await w.deliver();
}

const posted = (channel: string) => w.fake.calls("chat.postMessage").filter((c) => c.params.channel === channel);
const answer = (ack: { body: Record<string, unknown> | undefined }) => readable(ack.body?.text ?? "");

async function dmsTo(user: string): Promise<string[]> {
  const opened = w.fake.calls("conversations.open").filter((c) => c.params.users === user && c.response.ok);
  const channels = new Set(opened.map((c) => (c.response.channel as { id: string }).id));
  return w.fake.calls("chat.postMessage").filter((c) => channels.has(String(c.params.channel))).map((c) => readable(c.params.text));
}

describe.each<Mode>(["http", "socket"])("code-review requests on Slack (%s)", (mode) => {
  it("GIVEN channels.reviews THEN a request's card is posted with Claim, a press claims it (chat.update), and /review done pays the reviewer, who is told", async () => {
    w = await startWorld(mode, { fake: { channels: [{ id: GENERAL, name: "general" }, { id: NEWS, name: "news" }, { id: REVIEWS, name: "reviews" }] } });
    const community = await w.te.engine.communities.resolve({ platform: "slack", workspaceId: TEAM });
    await w.te.engine.communities.updateSettings(community, { ...community.settings, channels: { ...community.settings.channels, reviews: `slack:${TEAM}:${REVIEWS}` } });

    const asked = await w.command("review", `request <${PR}> "retries & timeouts"`, ALICE);
    expect(asked.body?.response_type).toBe("ephemeral");
    expect(answer(asked)).toContain(`Posted your request as code review #1 in <#${REVIEWS}>.`);
    await delivered();
    const card = posted(REVIEWS).at(-1)!;
    expect(readable(card.params.text)).toContain(`🔍 Code review #1 requested by <@${ALICE}>`);
    expect(readable(card.params.text)).toContain(`GitHub pull request: ${PR}`);
    expect(readable(card.params.text)).toContain("“retries & timeouts”");
    expect(JSON.stringify(card.params.blocks)).toContain("review:claim:1");
    const ts = String((card.response as { ts?: string }).ts);

    const own = await w.interaction(w.fake.payloads.blockActions({ actionId: "review:claim:1", user: ALICE, channel: REVIEWS, messageTs: ts }));
    expect(own.status).toBe(200);
    const refused = await w.fake.waitForResponse((r) => readable((r.body as { text?: string }).text ?? "").includes("That's your own request"));
    expect(refused.body).toMatchObject({ response_type: "ephemeral", replace_original: false });

    const pressed = await w.interaction(w.fake.payloads.blockActions({ actionId: "review:claim:1", user: BOB, channel: REVIEWS, messageTs: ts }));
    expect(pressed.status).toBe(200);
    const privately = await w.fake.waitForResponse((r) => readable((r.body as { text?: string }).text ?? "").includes("You're reviewing code review #1"));
    expect(privately.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    await delivered();
    const update = w.fake.calls("chat.update").at(-1)!;
    expect(update.params).toMatchObject({ channel: REVIEWS, ts });
    expect(readable(update.params.text)).toContain(`👀 <@${BOB}> is reviewing — reply in this thread.`);
    expect(JSON.stringify(update.params.blocks)).toContain("review:done:1");

    const done = await w.command("review", "done 1", ALICE);
    expect(answer(done)).toContain(`Marked code review #1 done: <@${BOB}> earns 20 points and has been told.`);
    await delivered();
    const updates = w.fake.calls("chat.update").filter((c) => c.params.ts === ts);
    expect(updates).toHaveLength(2);
    expect(readable(updates[1]!.params.text)).toContain(`✅ Done — reviewed by <@${BOB}> (+20 points)`);
    expect(await w.points(BOB)).toBe(20);
    expect(await dmsTo(BOB)).toEqual([`✅ <@${ALICE}> marked code review #1 done — thank you for reviewing! You earned 20 points.`]);
    expect(posted(REVIEWS)).toHaveLength(1);
  });
});
