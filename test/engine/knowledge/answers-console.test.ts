/**
 * Accepted answers in the console: a piped script, the transcript compared. ada asks, bob answers
 * in the thread, ada reacts ✅ to bob's reply: bob earns the solution's points and the thread says so;
 * then cat finds it with /ask.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { ConsoleAdapter } from "../../../src/adapters/console/console-adapter.js";
import { OffsetClock } from "../../../src/core/clock.js";
import { testEngine } from "../../helpers/engine.js";

const SCRIPT = `How do I read a file line by line in Node?
/as bob
/reply 1 Use readline with fs.createReadStream
/as cat
/react 2 ✅
/as ada
/react 2 ✅
/points @bob
/as cat
/ask read a file line by line
`;

describe("accepted answers in the console", () => {
  it("GIVEN a question, a reply and the asker's ✅ THEN the answerer earns the solution's points, the thread is told, the knowledge base has it and /ask finds it", async () => {
    const t = await testEngine({ dialect: "sqlite-memory" });
    const input = new PassThrough();
    const output = new PassThrough();
    let out = "";
    output.on("data", (chunk) => (out += String(chunk)));
    const adapter = new ConsoleAdapter({ engine: t.engine, commands, clock: new OffsetClock(t.clock), input, output, interactive: false, timezone: async () => "UTC" });
    input.end(SCRIPT);
    await adapter.run();
    const kb = await t.db.kysely.selectFrom("kb_entries").select(["title", "question_text", "answer_text", "asker_id", "answer_author_id"]).execute();
    const solved = await t.db.kysely.selectFrom("solved_questions").select(["state", "marked_by"]).execute();
    await t.close();
    expect(out).toMatchInlineSnapshot(`
      "#1 ada: How do I read a file line by line in Node?
        +5 ada (post) · 5 points
        (you are now @bob)
      #2 bob ↳ #1: Use readline with fs.createReadStream
        +2 bob (reply) · 2 points
        (you are now @cat)
        cat reacted ✅ on #2
        +1 bob (reaction) · 3 points
        (you are now @ada, admin)
        ada reacted ✅ on #2
        +1 bob (reaction) · 4 points
      bot in #general ↳ #1: ✅ @ada marked @bob's reply as the solution. @bob earns 15 points — thank you!
      bot: @bob has 19 points: level 0, rank #1. This week: 19 points (#1). 31 more to level 1.
        (you are now @cat)
      bot (only you): The best match for “read a file line by line”:
                      1. How do I read a file line by line in Node?
                         Use readline with fs.createReadStream
      "
    `);
    expect(kb).toEqual([{ title: "How do I read a file line by line in Node?", question_text: "How do I read a file line by line in Node?", answer_text: "Use readline with fs.createReadStream", asker_id: "console:local:ada", answer_author_id: "console:local:bob" }]);
    expect(solved).toEqual([{ state: "accepted", marked_by: "console:local:ada" }]);
  });
});
