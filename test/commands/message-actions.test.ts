import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { messageActions } from "../../commands/index.js";
import type { MessageActionInvoked } from "../../src/core/events.js";
import { plainText } from "../../src/core/reply.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { member, place } from "../helpers/events.js";

const ada = member("ada");
const bob = member("bob");

function thankAuthor(o: { by: typeof ada; author: typeof ada; message: string; id: string }): MessageActionInvoked {
  return {
    kind: "message.action",
    key: `discord:interaction:${o.id}`,
    at: new Date("2026-11-26T12:00:00Z"),
    place: place(),
    actor: o.by,
    action: "thank-author",
    target: { messageKey: `discord:msg:${o.message}`, author: { id: o.author.id, displayName: o.author.displayName }, text: "a helpful answer", place: place() },
  };
}

describe("message actions", () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await testEngine();
  });
  afterEach(() => t.close());

  it("GIVEN the declarations THEN “Thank the author” is one of them, with an id Slack can use as callback_id", () => {
    expect(messageActions.map((a) => [a.id, a.name])).toEqual([
      ["thank-author", "Thank the author"],
      ["report-message", "Report to moderators"],
      ["tip-author", "Tip the author"],
      ["mark-solution", "Mark as solution"],
    ]);
  });

  it("GIVEN “Thank the author” on bob's message THEN bob is thanked and earns the thanks points", async () => {
    const reply = await t.engine.messageAction(thankAuthor({ by: ada, author: bob, message: "m1", id: "i1" }));
    expect(plainText(reply.text)).toBe("@ada thanked @bob (+10 points)");
    expect(reply.ephemeral).toBeUndefined();
  });

  it("GIVEN it used twice on the same message THEN it counts once", async () => {
    await t.engine.messageAction(thankAuthor({ by: ada, author: bob, message: "m1", id: "i1" }));
    const again = await t.engine.messageAction(thankAuthor({ by: ada, author: bob, message: "m1", id: "i2" }));
    expect(again).toMatchObject({ ephemeral: true, text: "That thanks was already counted." });
    const rows = await t.db.kysely.selectFrom("ledger").select(["member_id", "amount"]).execute();
    expect(rows).toEqual([{ member_id: bob.id, amount: 10 }]);
  });

  it("GIVEN it used on one's own message THEN a private refusal and nothing written", async () => {
    const reply = await t.engine.messageAction(thankAuthor({ by: ada, author: ada, message: "m1", id: "i1" }));
    expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
    expect(await t.db.kysely.selectFrom("ledger").selectAll().execute()).toEqual([]);
  });

  it("GIVEN an action id nobody declared THEN a private answer, not a crash", async () => {
    const reply = await t.engine.messageAction({ ...thankAuthor({ by: ada, author: bob, message: "m1", id: "i1" }), action: "__proto__" });
    expect(reply).toMatchObject({ ephemeral: true, text: "That message action no longer does anything." });
  });
});
