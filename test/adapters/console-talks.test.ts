import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { commands, messageActions } from "../../commands/index.js";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.js";
import { ManualClock, OffsetClock } from "../../src/core/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { openTestDb } from "../helpers/db.js";
import { silentLog } from "../helpers/engine.js";

/**
 * Talks in the console, line by line (ids and codes are random, so each is read off the transcript
 * before the next line uses it): propose, schedule, RSVP with a button, a reminder after /wait,
 * and a check-in with the code from "starting now".
 */
describe("talks in the console", () => {
  it("GIVEN a console community THEN a member proposes, the admin schedules, a member RSVPs, is reminded and checks in", async () => {
    // As in `npm start`: the engine and the console share one clock that /wait moves.
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

    await say("/config set channels.talks #talks", "Set `channels.talks`");
    await say("/as bob", "you are now @bob");
    // No organizers' channel yet: refused, and nothing is posted where bob asked.
    const refused = await say('/talk propose "Console tricks" pipes and all', "Nothing was sent");
    expect(refused).toContain("talks.organizersChannel");
    expect(refused).not.toContain("Talk proposal from");
    await say("/as ada", "you are now @ada");
    await say("/config set talks.organizersChannel #organizers", "Set `talks.organizersChannel`");
    await say("/as bob", "you are now @bob");
    const proposed = await say('/talk propose "Console tricks" pipes and all', "went to the organizers");
    expect(proposed).toContain("bot in #organizers: 💡 Talk proposal from @bob: Console tricks");
    await say("/as ada", "you are now @ada");
    const scheduled = await say('/talk schedule "Console tricks" @bob "in 2 hours" 30', /\(talk [A-Z0-9]+\)/);
    const id = /\(talk ([A-Z0-9]+)\)/.exec(scheduled)![1]!;
    expect(scheduled).toContain("bot in #talks: 🎤 Tech talk: Console tricks");
    await say("/as cy", "you are now @cy");
    await say(`/talk info ${id}`, "buttons: [1] Going");
    const rsvp = await say("/press 1", "You're going");
    expect(rsvp).toContain("bot edited its post in #talks:");
    expect(rsvp).toContain("Going 1 · Maybe 0 · Can't go 0");
    const reminded = await say("/wait 106m", "Reminder: Console tricks");
    expect(reminded).toContain("bot in #talks: ⏰ Reminder: Console tricks by @bob");
    const started = await say("/wait 15m", "Starting now");
    const code = /\/talk checkin ([A-Z0-9]+)/.exec(started)![1]!;
    await say(`/talk checkin ${code}`, "Checked in to Console tricks (+10 points)");
    input.end();
    await running;
    await engine.drain();
    await db.cleanup();
  });
});
