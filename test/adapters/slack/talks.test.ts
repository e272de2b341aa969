/**
 * Talks end to end on Slack (HTTP mode): the real Bolt app against the fake Slack. A member
 * proposes (the card reaches the organizers' channel), an admin schedules with the slash command
 * (natural-language start), the announcement is posted in the talks channel, an RSVP button
 * updates its counts with chat.update, the 15-minute reminder is posted, and a member checks in
 * with the code from "starting now".
 */
import { afterEach, describe, expect, it } from "vitest";
import { ADA, ALICE, BOB, NEWS, readable, startWorld, TEAM, type World } from "./harness.js";

const TALKS = "C0TALKS001";
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

describe("talks on Slack", () => {
  it("GIVEN a proposal and a scheduled talk THEN the card, the announcement, an RSVP's chat.update, the reminder and a check-in all work", async () => {
    w = await startWorld("http", { fake: { channels: [{ id: "C0GENERAL1", name: "general" }, { id: NEWS, name: "news" }, { id: TALKS, name: "talks" }] } });
    const community = await w.te.engine.communities.resolve({ platform: "slack", workspaceId: TEAM });
    await w.te.engine.communities.updateSettings(community, { ...community.settings, channels: { ...community.settings.channels, talks: `slack:${TEAM}:${TALKS}` }, talks: { ...community.settings.talks, organizersChannel: `slack:${TEAM}:${NEWS}` } });

    const proposed = await w.command("talk", 'propose "Bolt tips" how we ack in time', ALICE);
    expect(answerText(proposed)).toContain("went to the organizers");
    await delivered();
    const card = posted(NEWS).at(-1)!;
    expect(readable(card.params.text)).toContain("Talk proposal from <@U0ALICE001>");
    expect(JSON.stringify(card.params.blocks)).toContain("talk:proposal-schedule:P");

    const refused = await w.command("talk", `schedule "Bolt tips" <@${ALICE}> "in 2 hours" 30`, BOB);
    expect(answerText(refused)).toContain("Only organizers can use /talk schedule.");
    const scheduled = await w.command("talk", `schedule "Bolt tips" <@${ALICE}> "in 2 hours" 30`, ADA);
    expect(answerText(scheduled)).toContain("Scheduled Bolt tips");
    const start = new Date(w.te.clock.now().getTime() + 2 * 3_600_000);
    const id = /\(talk ([A-Z0-9]+)\)/.exec(answerText(scheduled))![1]!;
    await delivered();
    const announcement = posted(TALKS).at(-1)!;
    expect(readable(announcement.params.text)).toContain("Going 0 · Maybe 0 · Can't go 0");
    const ts = String((announcement.response as { ts?: string }).ts);

    const pressed = await w.interaction(w.fake.payloads.blockActions({ actionId: `talk:rsvp:${id}:going`, user: BOB, channel: TALKS, messageTs: ts }));
    expect(pressed.status).toBe(200);
    const privately = await w.fake.waitForResponse((r) => readable((r.body as { text?: string }).text ?? "").includes("You're going"));
    expect(privately.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    await delivered();
    const update = w.fake.calls("chat.update").at(-1)!;
    expect(update.params).toMatchObject({ channel: TALKS, ts });
    expect(readable(update.params.text)).toContain("Going 1 · Maybe 0 · Can't go 0");

    w.te.clock.set(new Date(start.getTime() - 15 * 60_000));
    await w.te.engine.scheduler.tick();
    await delivered();
    expect(readable(posted(TALKS).at(-1)!.params.text)).toContain("Reminder: Bolt tips");

    w.te.clock.set(start);
    await w.te.engine.scheduler.tick();
    await delivered();
    const code = /\/talk checkin ([A-Z0-9]+)/.exec(readable(posted(TALKS).at(-1)!.params.text))![1]!;
    const checkin = await w.command("talk", `checkin ${code}`, BOB);
    expect(answerText(checkin)).toContain("Checked in to Bolt tips (+10 points)");
    expect(await w.points(BOB)).toBe(10);
  });
});
