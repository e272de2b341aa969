import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member } from "../../helpers/events.js";

const ada = member("ada", { isPlatformAdmin: true });

describe("moderation settings through /config set", () => {
  let te: TestEngine;
  beforeEach(async () => {
    te = await testEngine({ dialect: "sqlite-memory" });
  });
  afterEach(() => te.close());

  const set = (key: string, value: string) => te.engine.command(command({ name: "config", subcommand: "set", by: ada, options: { key, value } }));
  const settings = async () => (await te.engine.communities.resolve({ platform: "discord", workspaceId: "g1" })).settings.moderation;

  it("GIVEN numbers, words and switches THEN they are stored; out-of-range and malformed values are refused with what is accepted", async () => {
    expect(plainText((await set("moderation.zThreshold", "-2.5")).text)).toContain("Set `moderation.zThreshold` to -2.5");
    expect(plainText((await set("moderation.fixedThreshold", "0.35")).text)).toContain("to 0.35");
    expect(plainText((await set("moderation.bannedWords", "SpamCoin, free   nitro, spamcoin")).text)).toContain("spamcoin, free nitro");
    expect(plainText((await set("moderation.enabled", "off")).text)).toContain("to off");
    expect(plainText((await set("moderation.warmup", "50")).text)).toContain("to 50");
    expect(await settings()).toMatchObject({ zThreshold: -2.5, fixedThreshold: 0.35, bannedWords: ["spamcoin", "free nitro"], enabled: false, warmup: 50 });

    const refused = await set("moderation.zThreshold", "3");
    expect(refused.ephemeral).toBe(true);
    expect(plainText(refused.text)).toContain("expected a number from -10 to 0");
    expect(plainText((await set("moderation.reportThreshold", "lots")).text)).toContain("expected a number from 0.5 to 100");
    expect(plainText((await set("moderation.bannedWords", "none")).text)).toContain("to none");
    expect((await settings()).bannedWords).toEqual([]);
  });
});
