import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { smallestTip } from "../../../src/engine/economy/tip-rules.js";
import { splitTip } from "../../../src/engine/economy/tip-split.js";
import { type TestEngine, testEngine } from "../../helpers/engine.js";
import { balanceOf, communityId, earn, member, poolOf, tip, withEconomy } from "./tips-helpers.js";

describe("the smallest tip", () => {
  it("GIVEN any author share THEN the smallest tip is the first that gives the receiver a point", () => {
    expect(smallestTip(90)).toBe(2);
    expect(smallestTip(100)).toBe(1);
    expect(smallestTip(50)).toBe(2);
    expect(smallestTip(33)).toBe(4);
    expect(smallestTip(1)).toBe(100);
    expect(smallestTip(0)).toBe(1);
    for (const share of [1, 7, 33, 50, 90, 99, 100]) {
      expect(splitTip(smallestTip(share), share).author).toBeGreaterThanOrEqual(1);
      expect(splitTip(smallestTip(share) - 1, share).author).toBe(0);
    }
  });
});

describe("a tip too small to reach the receiver", () => {
  let te: TestEngine;
  afterEach(() => te?.close());

  it("GIVEN the default 90 % share WHEN ada tips 1 THEN it is refused privately, saying the smallest tip, and nothing moves", async () => {
    te = await testEngine({ defaults: withEconomy({}) });
    const ada = member("ada");
    const bob = member("bob");
    await earn(te, ada, 4);
    const c = await communityId(te);
    const before = await balanceOf(te, ada, c);

    const reply = await tip(te, ada, bob, 1);

    expect(reply.tone).toBe("error");
    expect(reply.ephemeral).toBe(true);
    expect(plainText(reply.text)).toContain("tip at least 2");
    expect(await balanceOf(te, ada, c)).toBe(before);
    expect(await poolOf(te, c)).toBe(0);
    expect(await te.db.kysely.selectFrom("tips").selectAll().execute()).toHaveLength(0);
  });
});
