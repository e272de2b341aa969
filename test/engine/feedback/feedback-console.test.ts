import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { ConsoleAdapter } from "../../../src/adapters/console/console-adapter.js";
import { ManualClock, OffsetClock } from "../../../src/core/clock.js";
import { Engine } from "../../../src/engine/engine.js";
import { openTestDb } from "../../helpers/db.js";
import { silentLog } from "../../helpers/engine.js";

/**
 * Feedback in the console, line by line: with no channel set it is refused; once set, a member's
 * feedback becomes a card in #feedback, a member's press of Answer is refused, the admin's opens
 * the dialog, and /submit sends the member the answer as a direct message and edits the card.
 */
describe("feedback in the console", () => {
  it("GIVEN a console community THEN bob's feedback reaches the organizers, ada answers through the card's dialog, and bob is told", async () => {
    const db = await openTestDb("sqlite-memory");
    const clock = new OffsetClock(new ManualClock("2026-11-26T12:00:00Z"));
    const engine = new Engine({ db: db.db.kysely, clock, log: silentLog, commands, messageActions });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk) => (printed += String(chunk)));
    const adapter = new ConsoleAdapter({ engine, commands, clock, input, output, interactive: false, timezone: async () => "UTC" });
    const running = adapter.run();
    const say = async (line: string, expectText: string | RegExp): Promise<string> => {
      const from = printed.length;
      input.write(`${line}\n`);
      await vi.waitFor(() => expect(printed.slice(from)).toMatch(expectText), { timeout: 3000, interval: 5 });
      return printed.slice(from);
    };

    await say("/as bob", "you are now @bob");
    const refused = await say("/feedback send The *quiz* night was great", "Nothing was sent");
    expect(refused).toContain("/config set channels.feedback #channel");
    expect(refused).not.toContain("Feedback #1 from");
    await say("/as ada", "you are now @ada");
    await say("/config set channels.feedback #feedback", "Set `channels.feedback`");
    await say("/as bob", "you are now @bob");
    const sent = await say("/feedback send The *quiz* night was great @ada", "buttons: [1] Answer  [2] Close");
    expect(sent).toContain("your feedback #1 went to the organizers. They see that it's from you.");
    expect(sent).toContain("bot in #feedback: 📝 Feedback #1 from @bob");
    expect(sent).toContain("The *quiz* night was great @ada");

    // A member's press is refused; it leaves the card's buttons pressable.
    await say("/as cy", "you are now @cy");
    await say("/press 1", "Only organizers can use /feedback.");
    await say("/as ada", "you are now @ada");
    await say("/press 1", "dialog “Answer feedback #1” asks for answer");
    const answered = await say("/submit Thanks! We'll do it again in March.", "bot edited its post in #feedback");
    expect(answered).toContain("Answered feedback #1: @bob gets your answer by direct message");
    expect(answered).toContain("bot → @bob (direct message):");
    expect(answered).toContain("Thanks! We'll do it again in March.");
    expect(answered).toContain("✅ Answered by @ada");

    await say("/as bob", "you are now @bob");
    const mine = await say("/feedback mine", "#1 · answered");
    expect(mine).toContain("bot (only you):");
    expect(mine).toContain("Answer (Thu 26 Nov 2026 12:00 UTC): Thanks! We'll do it again in March.");
    await say("/as ada", "you are now @ada");
    const list = await say("/feedback list", "Latest answered or closed:");
    expect(list).toContain("Open: none.");
    expect(list).toContain("#1 · answered · @bob");
    input.end();
    await running;
    await engine.drain();
    await db.cleanup();
  });
});
