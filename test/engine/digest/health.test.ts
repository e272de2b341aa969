import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { coveredWeek } from "../../../src/engine/digest/digest-week.js";
import { healthLine, median, weekHealth } from "../../../src/engine/digest/health.service.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, message } from "../../helpers/events.js";
import { admin, configure } from "../talks/harness.js";

const ada = member("ada");
const bob = member("bob");
const bot = member("helper", { isBot: true });

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function say(e: Parameters<TestEngine["ingest"]>[0]): Promise<void> {
  if (!t) throw new Error("no engine");
  t.clock.set(new Date(e.at.getTime() + 1000));
  await t.ingest(e);
}

function engine(): TestEngine {
  if (!t) throw new Error("no engine");
  return t;
}

describe("community health", () => {
  it("GIVEN questions answered, answered late, by the asker only, and not at all THEN the figures say so, and re-deliveries and bots count nothing", async () => {
    t = await testEngine({ start: "2026-11-23T08:00:00Z" });
    // Week 48 (UTC): four questions on Monday.
    await say(message({ id: "q1", by: ada, at: "2026-11-23T09:00:00Z", text: "Why is CI red?" }));
    await say(message({ id: "q2", by: ada, at: "2026-11-23T10:00:00Z", text: "the docs: https://x.test/?a=1" }));
    await say(message({ id: "q3", by: bob, at: "2026-11-23T11:00:00Z", text: "Which linter?" }));
    await say(message({ id: "q4", by: bob, at: "2026-11-23T12:00:00Z", text: "What about ts?" }));
    await say(message({ id: "n1", by: bob, at: "2026-11-23T12:30:00Z", text: "no question here, see https://x.test/?a=1" }));
    await say(message({ id: "r1", by: bob, at: "2026-11-23T09:10:00Z", text: "flaky test", thread: "q1" }));
    await say(message({ id: "r2", by: ada, at: "2026-11-23T13:00:00Z", text: "eslint", thread: "q3" })); // 2 h
    await say(message({ id: "r3", by: bob, at: "2026-11-23T12:05:00Z", text: "me again", thread: "q4" })); // the asker: not an answer
    await say(message({ id: "r4", by: ada, at: "2026-11-25T13:00:00Z", text: "late", thread: "q4" })); // 49 h: answered, but after 24 h
    // A re-delivery and a bot's message count nothing.
    await say(message({ id: "r1", by: bob, at: "2026-11-23T09:10:00Z", text: "flaky test", thread: "q1" }));
    await say(message({ id: "b1", by: bot, at: "2026-11-23T14:00:00Z", text: "Did you try turning it off?" }));

    const week = coveredWeek(new Date("2026-11-30T09:00:00Z"), "UTC");
    const h = await weekHealth(engine().db.kysely, (await engine().engine.communities.resolve({ platform: "discord", workspaceId: "g1" })).id, week, new Date("2026-11-30T09:00:00Z"));
    expect(h).toMatchObject({ week: "2026-W48", active: 2, newMembers: 2, returning: 0, previousActive: 0, messages: 9, replies: 4, questions: 3, answered: 3, unanswered24h: 1 });
    // q1 after 10 min, q3 after 2 h, q4 after 49 h (the asker's own reply on q4 does not count); q2 links a query string but asks nothing.
    expect(h.medianFirstReplyMs).toBe(2 * 3_600_000);
    expect(healthLine(h)).toBe("2 active (+2 vs the week before), 2 new, 9 messages, 4 thread replies, 3 of 3 questions answered (median first reply 2 h), 1 unanswered after 24 h");
  });

  it("GIVEN a question whose only reply came 49 h later THEN it is answered but also unanswered after 24 h", async () => {
    t = await testEngine({ start: "2026-11-23T08:00:00Z" });
    await say(message({ id: "q", by: ada, at: "2026-11-23T09:00:00Z", text: "Is this on?" }));
    await say(message({ id: "r", by: bob, at: "2026-11-25T10:00:00Z", text: "yes", thread: "q" }));
    const community = await engine().engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    const h = await weekHealth(engine().db.kysely, community.id, coveredWeek(new Date("2026-11-30T09:00:00Z"), "UTC"), new Date("2026-11-30T09:00:00Z"));
    expect(h).toMatchObject({ questions: 1, answered: 1, unanswered24h: 1, medianFirstReplyMs: 49 * 3_600_000 });
  });

  it("GIVEN a median over an even and an odd count THEN it is the middle value or the mean of the two", () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it("GIVEN the digest settings THEN /config set reads weekdays, times and honors, and refuses others privately", async () => {
    t = await testEngine();
    await configure(engine(), { "digest.day": "tue", "digest.time": "7:30", "digest.honors": "contributor, helpful" });
    const community = await engine().engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    expect(community.settings.digest).toMatchObject({ day: 2, time: "07:30", honors: ["contributor", "helpful"] });
    for (const [key, value, accepted] of [
      ["digest.day", "someday", "a weekday: monday … sunday"],
      ["digest.time", "25:00", "a time of day as HH:MM"],
      ["digest.honors", "best-dressed", "honors separated by spaces or commas, from contributor, helpful, newcomer, attendee"],
      ["digest.graceHours", "500", "a whole number from 0 to 168"],
    ] as const) {
      const reply = await engine().engine.command(command({ name: "config", subcommand: "set", by: admin, options: { key, value } }));
      expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
      expect(plainText(reply.text)).toContain(accepted);
    }
    const shown = await engine().engine.command(command({ name: "config", subcommand: "show", by: admin }));
    expect(plainText(shown.text)).toContain("digest.day = tuesday");
    expect(plainText(shown.text)).toContain("digest.honors = contributor, helpful");
  });
});
