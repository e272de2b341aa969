/**
 * Honor roles on Discord (`digest.honorRoles`): the week's contributor gets the role when the
 * digest posts, and the next week's digest moves it — taken from last week's holder, given to the
 * new one — so it is held until the next digest. Real discord.js against the fake Discord.
 */
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { ALICE, ANNOUNCEMENTS, BOB, GUILD, type Harness, REWARD_ROLE, startHarness } from "../../adapters/discord/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** A message id (a snowflake) made at `at`: Discord's message time is the one its id encodes. */
const snowflakeAt = (at: DateTime) => ((BigInt(at.toMillis()) - 1_420_070_400_000n) << 22n).toString();

const roleRequests = (method: "PUT" | "DELETE") => h.fake.requestsTo(method, "").filter((r) => r.path.includes("/roles/"));

describe("honor roles on Discord", () => {
  it("GIVEN digest.honorRoles contributor:@role THEN the week's contributor gets it, and next week it moves to the new one", async () => {
    h = await startHarness();
    await h.updateSettings((s) => {
      s.channels.announcements = `discord:${GUILD}:${ANNOUNCEMENTS}`;
      s.digest.honors = ["contributor"];
      s.digest.honorRoles = [{ honor: "contributor", role: `discord:${GUILD}:&${REWARD_ROLE}` }];
    });

    // Week 1: alice posts, bob does not.
    await h.say(ALICE, "hello, here is how I solved the build");
    await h.te.engine.drain();
    const monday = DateTime.fromJSDate(h.te.clock.now(), { zone: "UTC" }).startOf("week").plus({ weeks: 1, hours: 9, seconds: 30 });
    h.te.clock.set(monday.toJSDate());
    expect((await h.te.engine.scheduler.tick()).runs.filter((r) => r.job === "weekly-digest").map((r) => r.outcome)).toEqual(["done"]);
    const granted = await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === `/guilds/${GUILD}/members/${ALICE}/roles/${REWARD_ROLE}`);
    expect(granted).toBeDefined();
    expect(roleRequests("DELETE")).toEqual([]);

    // Week 2: bob is the contributor; the role leaves alice for bob.
    h.te.clock.set(monday.plus({ hours: 2 }).toJSDate());
    await h.say(BOB, "another long answer with the fix for the flaky test", { id: snowflakeAt(monday.plus({ hours: 1 })) });
    await h.te.engine.drain();
    h.te.clock.set(monday.plus({ weeks: 1 }).toJSDate());
    expect((await h.te.engine.scheduler.tick()).runs.filter((r) => r.job === "weekly-digest").map((r) => r.outcome)).toEqual(["done"]);
    await h.fake.waitForRequest((r) => r.method === "PUT" && r.path === `/guilds/${GUILD}/members/${BOB}/roles/${REWARD_ROLE}`);
    const taken = await h.fake.waitForRequest((r) => r.method === "DELETE" && r.path === `/guilds/${GUILD}/members/${ALICE}/roles/${REWARD_ROLE}`);
    expect(taken).toBeDefined();

    // A third tick in the same week changes no role again.
    const before = roleRequests("PUT").length + roleRequests("DELETE").length;
    await h.te.engine.scheduler.tick();
    expect(roleRequests("PUT").length + roleRequests("DELETE").length).toBe(before);
  });

  it("GIVEN /config set digest.honorRoles THEN honor:role pairs are accepted, and a wrong honor is refused naming the honors", async () => {
    const { applySetting } = await import("../../../src/engine/communities/settings-keys.js");
    const { defaultSettings } = await import("../../../src/engine/communities/settings.js");
    const where = { platform: "discord" as const, workspaceId: GUILD };
    const set = applySetting(defaultSettings(), "digest.honorRoles", `contributor:<@&${REWARD_ROLE}>`, where);
    expect(set.ok && set.settings.digest.honorRoles).toEqual([{ honor: "contributor", role: `discord:${GUILD}:&${REWARD_ROLE}` }]);
    const cleared = applySetting(defaultSettings(), "digest.honorRoles", "none", where);
    expect(cleared.ok && cleared.settings.digest.honorRoles).toEqual([]);
    const wrong = applySetting(defaultSettings(), "digest.honorRoles", `winner:<@&${REWARD_ROLE}>`, where);
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.error).toContain("contributor, helpful, newcomer, attendee");
  });
});
