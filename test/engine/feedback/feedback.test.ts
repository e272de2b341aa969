import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { member } from "../../helpers/events.js";
import { RecordingOutbox } from "../talks/harness.js";
import { channel, feedbackCommand, outboxRows, press, rows, settings, submit, text } from "./feedback-harness.js";

/**
 * `/feedback` through the engine: a member's feedback becomes a numbered card for organizers (in
 * `channels.feedback`, else the talks organizers' channel, else the mod queue; with none, nothing
 * is written); Answer opens a dialog whose submission DMs the member and edits the card; Close
 * tells the member and edits the card; replays and double presses do the work once; members see
 * their own with /feedback mine, organizers all with /feedback list; 5 a day per member.
 */
describe.each(dialects)("member feedback on %s", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  const root = member("root", { isPlatformAdmin: true });
  const org = member("org", { roleIds: ["orgs"] });
  const ada = member("ada");
  const bob = member("bob");

  beforeEach(async () => {
    t = await testEngine({ dialect });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
  });
  afterEach(() => t.close());

  async function deliver(): Promise<void> {
    await t.engine.drain();
    await t.engine.delivery.deliverDue();
    await t.engine.delivery.deliverDue();
  }

  async function withChannel(): Promise<void> {
    await settings(t, (s) => {
      s.channels.feedback = channel("feedback");
      s.roles.organizers = [channel("&orgs")];
    });
  }

  /** Sends feedback as `by` and delivers the card; answers with the card's button ids. */
  async function sendFeedback(by = ada, words = "The Tuesday sessions clash with work"): Promise<{ answer: string; close: string }> {
    const r = await feedbackCommand(t, by, "send", { text: words });
    expect(r.tone).toBe("success");
    await deliver();
    const card = outbox.of("post").at(-1)!;
    const [answer, close] = card.buttons;
    return { answer: answer!, close: close! };
  }

  it("GIVEN no feedback channel, organizers' channel or mod queue THEN /feedback send is refused privately and nothing is written", async () => {
    const r = await feedbackCommand(t, ada, "send", { text: "More talks on Rust, please" });
    expect(r).toMatchObject({ ephemeral: true, tone: "error" });
    expect(text(r)).toBe(
      "Nothing was sent: the organizers haven't set a channel for feedback yet. An admin can set one with `/config set channels.feedback #channel` (or `talks.organizersChannel`, or `channels.modQueue`).",
    );
    expect(await rows(t)).toHaveLength(0);
    expect(await outboxRows(t)).toHaveLength(0);
  });

  it("GIVEN channels.feedback THEN the feedback is a numbered card there with Answer and Close, the member is told organizers see who sent it, and a replay sends once", async () => {
    await withChannel();
    const r = await feedbackCommand(t, ada, "send", { text: "More talks on Rust, please" }, "send-1");
    expect(r).toMatchObject({ ephemeral: true, tone: "success" });
    expect(text(r)).toBe("Thanks — your feedback #1 went to the organizers. They see that it's from you. Their answer comes by direct message; /feedback mine shows where it stands.");
    expect(text(await feedbackCommand(t, ada, "send", { text: "More talks on Rust, please" }, "send-1"))).toBe(text(r));
    await feedbackCommand(t, bob, "send", { text: "Love the digest" });
    await deliver();

    const posts = outbox.of("post");
    expect(posts).toHaveLength(2);
    expect(posts[0]).toMatchObject({ to: "feedback" });
    expect(posts[0]!.text).toBe("📝 Feedback #1 from @ada (2026-11-26T12:00:00.000Z):\nMore talks on Rust, please\nOrganizers: answer it (the member gets your answer by direct message) or close it.");
    expect(posts[0]!.buttons).toEqual([expect.stringMatching(/^feedback:answer:F[A-Z0-9]{10}$/), expect.stringMatching(/^feedback:close:F[A-Z0-9]{10}$/)]);
    expect(posts[1]!.text).toContain("Feedback #2 from @bob");
    expect((await rows(t)).map((f) => [f.number, f.member_id, f.state])).toEqual([
      [1, ada.id, "open"],
      [2, bob.id, "open"],
    ]);
  });

  it("GIVEN no channels.feedback THEN the card goes to talks.organizersChannel, else to channels.modQueue", async () => {
    await settings(t, (s) => {
      s.channels.modQueue = channel("modq");
      s.talks.organizersChannel = channel("organizers");
    });
    await sendFeedback();
    expect(outbox.of("post").at(-1)!.to).toBe("organizers");
    await settings(t, (s) => {
      s.talks.organizersChannel = null;
    });
    await sendFeedback(bob);
    expect(outbox.of("post").at(-1)!.to).toBe("modq");
  });

  it("GIVEN text with markup and mentions THEN the card shows it literally, as member text", async () => {
    await withChannel();
    await feedbackCommand(t, ada, "send", { text: "@everyone <@123> **bold** ⟦m:discord:g1:x|x⟧" });
    const row = (await rows(t))[0]!;
    const card = await t.db.kysely.selectFrom("outbox").select("reply").where("dedupe_key", "=", row.card_key).executeTakeFirstOrThrow();
    const reply = JSON.parse(card.reply!) as { text: string };
    // One literal token holds all of it: no renderer reads a mention or markup out of it.
    expect(reply.text).toContain("⟦l:@everyone <@123> **bold** %5Bm:discord:g1:x|x%5D⟧");
  });

  it("GIVEN an open card THEN Answer opens a dialog, its submission DMs the member the answer and edits the card with who answered and when; a second submission is refused and a replay sends no second DM", async () => {
    await withChannel();
    const { answer } = await sendFeedback();
    const dialog = await press(t, org, answer);
    expect(dialog).toMatchObject({ ephemeral: true, form: { id: answer, title: "Answer feedback #1", fields: [{ id: "answer", style: "paragraph", required: true, maxLength: 1500 }] } });

    t.clock.advance(60_000);
    const done = await submit(t, org, dialog.form!.id, { answer: "We'll try Thursdays from January. *Thanks*!" }, "answer-1");
    expect(done).toMatchObject({ ephemeral: true, tone: "success" });
    expect(text(done)).toBe("Answered feedback #1: @ada gets your answer by direct message, and the card shows it.");
    expect(text(await submit(t, org, dialog.form!.id, { answer: "We'll try Thursdays from January. *Thanks*!" }, "answer-1"))).toBe(text(done));
    const again = await submit(t, root, dialog.form!.id, { answer: "Something else" });
    expect(again).toMatchObject({ tone: "error", ephemeral: true });
    expect(text(again)).toBe("Feedback #1 was already answered by @org; the member has the answer.");
    expect(text(await press(t, root, answer))).toBe("Feedback #1 was already answered by @org; the member has the answer.");
    await deliver();

    expect(outbox.of("dm")).toEqual([
      expect.objectContaining({ to: ada.id, text: "💬 @org answered your feedback #1 (“The Tuesday sessions clash with work”):\nWe'll try Thursdays from January. *Thanks*!" }),
    ]);
    const edits = outbox.of("edit");
    expect(edits).toHaveLength(1);
    expect(edits[0]!.text).toContain("✅ Answered by @org 2026-11-26T12:01:00.000Z: We'll try Thursdays from January. *Thanks*!");
    expect(edits[0]!.buttons).toEqual([]);
    expect((await rows(t))[0]).toMatchObject({ state: "answered", decided_by: org.id, answer: "We'll try Thursdays from January. *Thanks*!" });
  });

  it("GIVEN an empty or too long answer THEN the dialog's submission is refused and nothing is written", async () => {
    await withChannel();
    const { answer } = await sendFeedback();
    expect(text(await submit(t, org, answer, { answer: "   " }))).toBe("The answer is empty: write 1–1500 characters.");
    expect(text(await submit(t, org, answer, { answer: "x".repeat(1501) }))).toBe("The answer is 1501 characters long: at most 1500 are accepted.");
    await deliver();
    expect((await rows(t))[0]!.state).toBe("open");
    expect(outbox.of("dm")).toHaveLength(0);
    expect(outbox.of("edit")).toHaveLength(0);
  });

  it("GIVEN members who are not organizers THEN Answer, Close, the dialog, /feedback list, answer and close are refused privately and nothing changes", async () => {
    await withChannel();
    const { answer, close } = await sendFeedback();
    for (const r of [await press(t, bob, answer), await press(t, ada, close), await submit(t, bob, answer, { answer: "hi" })]) {
      expect(r).toMatchObject({ tone: "error", ephemeral: true });
      expect(text(r)).toBe("Only organizers can use /feedback.");
    }
    expect(text(await feedbackCommand(t, bob, "list"))).toBe("Only organizers can use /feedback list.");
    expect(text(await feedbackCommand(t, ada, "answer", { number: 1, text: "me" }))).toBe("Only organizers can use /feedback answer.");
    expect(text(await feedbackCommand(t, ada, "close", { number: 1 }))).toBe("Only organizers can use /feedback close.");
    await deliver();
    expect((await rows(t))[0]!.state).toBe("open");
    expect(outbox.of("dm")).toHaveLength(0);
  });

  it("GIVEN an open card THEN Close closes it, tells the member and edits the card; a double press closes once; /feedback close takes a reason", async () => {
    await withChannel();
    const { close } = await sendFeedback();
    const r = await press(t, org, close, "close-1");
    expect(text(r)).toBe("Closed feedback #1: @ada is told, and the card shows it.");
    expect(text(await press(t, org, close, "close-1"))).toBe(text(r));
    expect(text(await press(t, root, close))).toBe("Feedback #1 was already closed by @org.");
    await sendFeedback(bob, "Spam spam");
    const reasoned = await feedbackCommand(t, root, "close", { number: 2, reason: "Not about the community" });
    expect(text(reasoned)).toBe("Closed feedback #2: @bob is told, and the card shows it.");
    expect(text(await feedbackCommand(t, root, "close", { number: 9 }))).toBe("There is no feedback #9. /feedback list shows them.");
    await deliver();

    expect(outbox.of("dm").map((d) => [d.to, d.text])).toEqual([
      [ada.id, "Your feedback #1 (“The Tuesday sessions clash with work”) was closed by the organizers without a written answer. Thanks for sending it."],
      [bob.id, "Your feedback #2 (“Spam spam”) was closed by the organizers, saying: Not about the community. Thanks for sending it."],
    ]);
    expect(outbox.of("edit").map((e) => e.text.split("\n").at(-1))).toEqual(["Closed by @org 2026-11-26T12:00:00.000Z.", "Closed by @root 2026-11-26T12:00:00.000Z: Not about the community"]);
    expect((await rows(t)).map((f) => [f.state, f.reason])).toEqual([
      ["closed", null],
      ["closed", "Not about the community"],
    ]);
  });

  it("GIVEN feedback answered, closed and open THEN /feedback list shows the open ones first, then the latest decided, with numbers; /feedback answer works by number", async () => {
    await withChannel();
    expect(text(await feedbackCommand(t, org, "list"))).toBe("No feedback yet.");
    await sendFeedback(ada, "one");
    await sendFeedback(bob, "two");
    await sendFeedback(ada, "three");
    t.clock.advance(3_600_000);
    expect(text(await feedbackCommand(t, org, "answer", { number: 1, text: "Done!" }))).toBe("Answered feedback #1: @ada gets your answer by direct message, and the card shows it.");
    t.clock.advance(60_000);
    await feedbackCommand(t, org, "close", { number: 3 });
    const list = await feedbackCommand(t, org, "list");
    expect(list).toMatchObject({ ephemeral: true, title: "Feedback" });
    expect(text(list).split("\n")).toEqual([
      "Open (1):",
      "• #2 · open · @bob · 2026-11-26T12:00:00.000Z — “two”",
      "Latest answered or closed:",
      "• #3 · closed · @ada · 2026-11-26T12:00:00.000Z — “three” (closed by @org 2026-11-26T13:01:00.000Z)",
      "• #1 · answered · @ada · 2026-11-26T12:00:00.000Z — “one” (answered by @org 2026-11-26T13:00:00.000Z)",
    ]);
  });

  it("GIVEN a member's feedback in every state THEN /feedback mine shows only theirs, privately, with the state and the answer", async () => {
    await withChannel();
    expect(text(await feedbackCommand(t, ada, "mine"))).toBe("You haven't sent any feedback yet. `/feedback send <text>` sends some to the organizers.");
    await sendFeedback(ada, "one");
    await sendFeedback(bob, "bob's");
    await sendFeedback(ada, "three");
    await sendFeedback(ada, "four");
    await feedbackCommand(t, org, "answer", { number: 1, text: "Yes, from January." });
    await feedbackCommand(t, org, "close", { number: 3, reason: "Duplicate of #1" });
    const mine = await feedbackCommand(t, ada, "mine");
    expect(mine).toMatchObject({ ephemeral: true, title: "Your feedback" });
    expect(text(mine).split("\n")).toEqual([
      "#4 · open · sent 2026-11-26T12:00:00.000Z — “four”",
      "#3 · closed · sent 2026-11-26T12:00:00.000Z — “three”",
      "   Closed 2026-11-26T12:00:00.000Z: Duplicate of #1",
      "#1 · answered · sent 2026-11-26T12:00:00.000Z — “one”",
      "   Answer (2026-11-26T12:00:00.000Z): Yes, from January.",
    ]);
  });

  it("GIVEN 5 pieces of feedback from one member in 24 hours THEN the 6th is refused and writes nothing, others may still send, and a day after the first one more is accepted", async () => {
    await withChannel();
    for (let i = 1; i <= 5; i++) {
      expect((await feedbackCommand(t, ada, "send", { text: `idea ${i}` })).tone).toBe("success");
      t.clock.advance(3_600_000);
    }
    const sixth = await feedbackCommand(t, ada, "send", { text: "idea 6" });
    expect(sixth).toMatchObject({ tone: "error", ephemeral: true });
    // The first was sent at 12:00; it leaves the window at 12:00 the next day.
    expect(text(sixth)).toBe("Nothing was sent: you've sent 5 pieces of feedback in the last 24 hours, the most accepted. You can send more 2026-11-27T12:00:00.000Z.");
    expect((await feedbackCommand(t, bob, "send", { text: "bob's idea" })).tone).toBe("success");
    expect(await rows(t)).toHaveLength(6);
    t.clock.set(new Date("2026-11-27T12:00:00.001Z"));
    expect((await feedbackCommand(t, ada, "send", { text: "idea 6" })).tone).toBe("success");
    expect((await feedbackCommand(t, ada, "send", { text: "idea 7" })).tone).toBe("error");
    expect((await rows(t)).map((f) => f.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
