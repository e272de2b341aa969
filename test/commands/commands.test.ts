import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { plainText } from "../../src/core/reply.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { command, member, message, ref } from "../helpers/events.js";
import { snapshot } from "../helpers/invariants.js";
import { dialects } from "../helpers/db.js";

const ada = member("ada");
const bob = member("bob");
const owner = member("olga", { isPlatformAdmin: true });

let t: TestEngine;
beforeEach(async () => {
  t = await testEngine();
  // Ada 15 points, Bob 5.
  await t.engine.ingest(message({ id: "m1", by: ada, at: "2026-11-26T10:00:00Z" }));
  await t.engine.ingest(message({ id: "m2", by: ada, at: "2026-11-26T10:05:00Z" }));
  await t.engine.ingest(message({ id: "m3", by: ada, at: "2026-11-26T10:10:00Z" }));
  await t.engine.ingest(message({ id: "m4", by: bob, at: "2026-11-26T10:00:00Z" }));
});
afterEach(() => t.close());

describe("/points", () => {
  it("GIVEN no member THEN it shows the asker's points, level, rank and progress, only to them", async () => {
    const reply = await t.engine.command(command({ name: "points", by: bob }));
    expect(plainText(reply.text)).toBe("@bob has 5 points: level 0, rank #2. This week: 5 points (#2). 45 more to level 1.");
    expect(reply.ephemeral).toBe(true);
    expect(reply.fields?.map((f) => f.name)).toEqual(["Points", "Level", "Rank", "Progress to level 1", "This week"]);
  });

  it("GIVEN a member with no points THEN the text says not ranked yet and none this week", async () => {
    const reply = await t.engine.command(command({ name: "points", by: member("carol") }));
    expect(plainText(reply.text)).toBe("@carol has 0 points: level 0, not ranked yet. This week: none yet. 50 more to level 1.");
    expect(reply.fields?.find((f) => f.name === "Rank")?.value).toBe("not ranked yet");
  });

  it("GIVEN points from last week THEN this week's figure counts only this week", async () => {
    const dan = member("dan");
    await t.engine.ingest(message({ id: "old", by: dan, at: "2026-11-20T10:00:00Z" }));
    await t.engine.ingest(message({ id: "new", by: dan, at: "2026-11-26T10:00:00Z" }));
    const reply = await t.engine.command(command({ name: "points", by: dan }));
    expect(plainText(reply.text)).toBe("@dan has 10 points: level 0, rank #2. This week: 5 points (#2). 40 more to level 1.");
  });

  it("GIVEN a member THEN it shows theirs, for everyone", async () => {
    const reply = await t.engine.command(command({ name: "points", by: bob, options: { member: ref("ada") } }));
    expect(plainText(reply.text)).toContain("@ada has 15 points");
    expect(reply.ephemeral).toBe(false);
  });

  it.each([
    ["a typed id", "slack:T1:UFAKE0001"],
    ["a reference with a right-to-left override in its id", { id: "discord:g1:\u202e1234" }],
    ["a role passed as a member", { id: "discord:g1:&42" }],
  ])("GIVEN %s as the member of /thanks THEN it is refused and nothing is written", async (_what, value) => {
    const before = await snapshot(t.db.kysely);
    const reply = await t.engine.command(command({ name: "thanks", by: bob, options: { member: value } }));
    expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
    expect(plainText(reply.text)).toContain("is not accepted — expected a member (mention them, e.g. @name)");
    expect(await snapshot(t.db.kysely)).toEqual(before);
  });

  it("GIVEN a member option that is not a member THEN the error names the option and what it accepts", async () => {
    const reply = await t.engine.command(command({ name: "points", by: bob, options: { member: "nobody" } }));
    expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
    expect(plainText(reply.text)).toContain("`member`: `nobody` is not accepted — expected a member");
  });
});

describe("/leaderboard", () => {
  it("GIVEN points this week THEN it ranks members with buttons to switch the board", async () => {
    const reply = await t.engine.command(command({ name: "leaderboard", by: bob }));
    expect(reply.ranking?.rows.map((r) => [r.rank, plainText(r.name), r.value])).toEqual([
      [1, "@ada", 15],
      [2, "@bob", 5],
    ]);
    expect(reply.title).toBe("Leaderboard — week 48 of 2026");
    expect(reply.buttons?.map((b) => b.id)).toEqual(["leaderboard:show:week:10", "leaderboard:show:month:10", "leaderboard:show:all:10"]);
  });

  it("GIVEN a limit out of range THEN it says what is accepted and writes nothing", async () => {
    const before = await snapshot(t.db.kysely);
    const reply = await t.engine.command(command({ name: "leaderboard", by: bob, options: { period: "all", limit: 99 } }));
    expect(plainText(reply.text)).toContain("`limit`: `99` is not accepted — expected a whole number from 1 to 25");
    expect(reply.text).toContain("Usage: /leaderboard [week|month|all] [limit]");
    expect(await snapshot(t.db.kysely)).toEqual(before);
  });

  it("GIVEN an unknown period THEN the error lists the choices", async () => {
    const reply = await t.engine.command(command({ name: "leaderboard", by: bob, options: { period: "year" } }));
    expect(reply.text).toContain("expected one of: week, month, all");
  });

  it("GIVEN the month button THEN the reply is the monthly board", async () => {
    const reply = await t.engine.press({ kind: "button", key: "b1", at: new Date(), place: command({ name: "x", by: bob }).place, actor: bob, buttonId: "leaderboard:show:month:5" });
    expect(reply.title).toBe("Leaderboard — November 2026");
    expect(reply.buttons?.find((b) => b.disabled)?.id).toBe("leaderboard:show:month:5");
  });

  it("GIVEN ties THEN tied members share a rank", async () => {
    await t.engine.ingest(message({ id: "m5", by: bob, at: "2026-11-26T10:20:00Z" }));
    await t.engine.ingest(message({ id: "m6", by: bob, at: "2026-11-26T10:30:00Z" }));
    const reply = await t.engine.command(command({ name: "leaderboard", by: bob, options: { period: "all" } }));
    expect(reply.ranking?.rows.map((r) => r.rank)).toEqual([1, 1]);
  });
});

describe.each(dialects)("leaderboard levels on %s", (dialect) => {
  let l: TestEngine;
  beforeEach(async () => {
    l = await testEngine({ dialect });
    // Carol: 50 points in October (level 1), then 5 this week.
    for (let i = 0; i < 10; i++) await l.engine.ingest(message({ id: `old${i}`, by: member("carol"), at: new Date(Date.parse("2026-10-20T10:00:00Z") + i * 120_000) }));
    await l.engine.ingest(message({ id: "new", by: member("carol"), at: "2026-11-26T10:00:00Z" }));
  });
  afterEach(() => l.close());

  it.each(["week", "month", "all"])("GIVEN a level-1 member with 5 points this period THEN the %s board shows level 1, from lifetime points", async (period) => {
    const reply = await l.engine.command(command({ name: "leaderboard", by: bob, options: { period } }));
    expect(reply.ranking?.rows.map((r) => [plainText(r.name), r.value, r.note])).toEqual([["@carol", period === "all" ? 55 : 5, "level 1"]]);
  });
});

describe("/thanks", () => {
  it("GIVEN a member and a reason THEN they earn 10 and everyone sees the thanks", async () => {
    const reply = await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref("ada"), reason: "great talk" } }));
    expect(plainText(reply.text)).toBe("@bob thanked @ada: “great talk” (+10 points)");
    expect(reply.ephemeral).toBeUndefined();
  });

  it("GIVEN the same interaction delivered twice THEN it counts once", async () => {
    await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref("ada") }, id: "same" }));
    const again = await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref("ada") }, id: "same" }));
    expect(again.text).toBe("That thanks was already counted.");
  });

  it("GIVEN self-thanks THEN it is refused privately and nothing is written", async () => {
    const before = await snapshot(t.db.kysely);
    const reply = await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref("bob") } }));
    expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
    expect(await snapshot(t.db.kysely)).toEqual(before);
  });

  it("GIVEN a missing member THEN the error says the option is required", async () => {
    const reply = await t.engine.command(command({ name: "thanks", by: bob }));
    expect(reply.text).toContain("Missing `member`: expected a member");
  });

  it("GIVEN points.thanksReceived 0 THEN the thanks is posted and says it earns nothing here, not that a cap was reached", async () => {
    await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key: "points.thanksReceived", value: "0" } }));
    const reply = await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref("ada"), reason: "the review" } }));
    expect(plainText(reply.text)).toBe("@bob thanked @ada: “the review” (thanks earn no points in this community)");
    expect(reply.tone).toBe("success");
  });

  it("GIVEN the receiver at today's cap THEN the thanks says so", async () => {
    await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key: "points.dailyCap", value: "15" } }));
    const reply = await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref("ada") } }));
    expect(plainText(reply.text)).toBe("@bob thanked @ada (they've reached today's points cap)");
  });

  it("GIVEN a reason that imitates a mention token THEN it is placed in the reply as member text, shown literally", async () => {
    const forged = "great ⟦m:discord:g1:olga|olga⟧ <@&42> @everyone";
    const reply = await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref("ada"), reason: forged } }));
    expect(reply.text).not.toContain("⟦m:discord:g1:olga");
    expect(plainText(reply.text)).toBe(`@bob thanked @ada: “${forged}” (+10 points)`);
  });

  it("GIVEN a sixth thanks today THEN it is refused with the daily budget", async () => {
    for (let i = 0; i < 5; i++) await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref(`p${i}`) } }));
    const reply = await t.engine.command(command({ name: "thanks", by: bob, options: { member: ref("ada") } }));
    expect(reply.text).toContain("You've given your 5 thanks for today");
  });
});

describe("/config", () => {
  it("GIVEN a member THEN /config is refused and nothing changes", async () => {
    const reply = await t.engine.command(command({ name: "config", subcommand: "set", by: bob, options: { key: "points.post", value: "50" } }));
    expect(reply.text).toBe("Only admins can use /config set.");
  });

  it("GIVEN an admin THEN /config set changes the rule and the next post earns the new amount", async () => {
    const reply = await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key: "points.post", value: "8" } }));
    expect(reply.tone).toBe("success");
    const outcome = await t.ingest(message({ id: "m9", by: bob, at: "2026-11-26T11:00:00Z" }));
    expect(outcome.awards[0]?.amount).toBe(8);
  });

  it("GIVEN an unknown key THEN the error lists the accepted keys", async () => {
    const reply = await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key: "points.posts", value: "8" } }));
    expect(plainText(reply.text)).toContain("`key`: `points.posts` is not accepted — expected one of: timezone, channels.announcements");
    expect(reply.text).toContain("roles.admins");
  });

  it.each([
    ["points.post", "ten", "`ten` is not a valid value for `points.post`: expected a whole number from 0 to 1000."],
    ["points.post", "5000", "expected a whole number from 0 to 1000."],
    ["points.post", "99999999999999999999", "`99999999999999999999` is not a valid value for `points.post`: expected a whole number from 0 to 1000."],
    ["points.messageCooldownSeconds", "90000", "expected a whole number from 0 to 86400."],
    ["levels.roleRewards", "1001:<@&5>", "(levels go from 1 to 1000)"],
    ["timezone", "Mars/Olympus", "an IANA timezone"],
    ["channels.announcements", "general", "a channel (#channel)"],
    ["roles.moderators", "everyone", "roles or members"],
  ])("GIVEN %s = %j THEN it is refused with what is accepted", async (key, value, accepted) => {
    const before = await snapshot(t.db.kysely);
    const reply = await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key, value } }));
    expect(reply.tone).toBe("error");
    expect(plainText(reply.text)).toContain(accepted);
    expect(reply.text).toContain("\nUsage: /config set <key> [value]");
    expect(await snapshot(t.db.kysely)).toEqual(before);
  });

  it("GIVEN an admin role THEN members with it are admins, and the setting shows role and member", async () => {
    const set = await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key: "roles.admins", value: "<@&42> <@77>" } }));
    expect(set.tone).toBe("success");
    const show = await t.engine.command(command({ name: "config", subcommand: "show", by: member("carol", { roleIds: ["42"] }) }));
    expect(plainText(show.text)).toContain("roles.admins = @42, @77");
    expect(show.text).toContain("⟦r:discord:g1:&42|42⟧");
    const denied = await t.engine.command(command({ name: "config", subcommand: "show", by: member("dan", { roleIds: ["43"] }) }));
    expect(denied.text).toBe("Only admins can use /config show.");
  });

  it("GIVEN role rewards THEN they are stored by level and shown as roles", async () => {
    const set = await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key: "levels.roleRewards", value: "10:<@&200>, 5:<@&100>" } }));
    expect(plainText(set.text)).toContain("Set `levels.roleRewards` to 5: @100, 10: @200.");
    const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    expect(t.engine.levels.rewardsFor(community, 7)).toEqual(["discord:g1:&100"]);
    const bad = await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key: "levels.roleRewards", value: "five:<@&100>" } }));
    expect(bad.text).toContain("level:role pairs");
  });

  it("GIVEN /config with no verb THEN it shows the verbs", async () => {
    const reply = await t.engine.command(command({ name: "config", by: owner }));
    expect(reply.text).toContain("/config show\n/config set <key> [value]");
  });
});

describe("/help", () => {
  it("GIVEN the default rules THEN it lists the member's commands and what earns points", async () => {
    const reply = await t.engine.command(command({ name: "help", by: bob }));
    expect(reply.text).toContain("/thanks <member> [reason] — Thank a member");
    expect(reply.text).not.toContain("/config");
    expect(reply.footer).toBe("Earn points by posting (+5), replying in threads (+2), receiving reactions (+1) and being thanked (+10), up to 200 a day.");
  });

  it("GIVEN an admin changed the rules THEN /help shows this community's values, leaving out what earns nothing", async () => {
    for (const [key, value] of [["points.post", "12"], ["points.thanksReceived", "0"], ["points.dailyCap", "80"]]) {
      await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key, value } }));
    }
    const reply = await t.engine.command(command({ name: "help", by: bob }));
    expect(reply.footer).toBe("Earn points by posting (+12), replying in threads (+2) and receiving reactions (+1), up to 80 a day.");
  });

  it("GIVEN every award set to 0 THEN /help says nothing earns points", async () => {
    for (const key of ["points.post", "points.reply", "points.reactionReceived", "points.thanksReceived"]) {
      await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key, value: "0" } }));
    }
    const reply = await t.engine.command(command({ name: "help", by: bob }));
    expect(reply.footer).toBe("Nothing earns points in this community at the moment.");
  });
});

describe("unknown commands", () => {
  it("GIVEN an unknown command THEN the reply lists the commands", async () => {
    const reply = await t.engine.command(command({ name: "nope", by: bob }));
    expect(reply.text).toContain("Unknown command `/nope`. Commands: /points, /leaderboard, /thanks, /report, /mod, /config, /help, /talk, /sponsor, /digest, /badges, /stats, /wallet, /tip, /bounty, /shop, /solved, /ask, /review, /link, /unlink, /feedback, /privacy, /forget-me.");
  });
});

describe("forms", () => {
  it("GIVEN /config set without a value THEN a dialog opens with the current value, and submitting it saves", async () => {
    const reply = await t.engine.command(command({ name: "config", subcommand: "set", by: owner, options: { key: "points.reply" } }));
    expect(reply.form).toMatchObject({ id: "config:set:points.reply", title: "Set points.reply", fields: [{ id: "value", value: "2", required: true }] });
    const saved = await t.engine.submit({ kind: "form", key: "f1", at: new Date(), place: command({ name: "x", by: owner }).place, actor: owner, formId: "config:set:points.reply", values: { value: "3" } });
    expect(saved.text).toContain("Set `points.reply` to 3.");
  });

  it("GIVEN a member submitting an admin form THEN it is refused", async () => {
    const reply = await t.engine.submit({ kind: "form", key: "f2", at: new Date(), place: command({ name: "x", by: bob }).place, actor: bob, formId: "config:set:points.reply", values: { value: "300" } });
    expect(reply.text).toBe("Only admins can use /config.");
  });
});
