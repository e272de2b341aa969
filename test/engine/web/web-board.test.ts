import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import type { Community } from "../../../src/engine/communities/community.repo.js";
import { dialects } from "../../helpers/db.js";
import type { TestEngine } from "../../helpers/engine.js";
import { command, member } from "../../helpers/events.js";
import { commandBy, discordOwner, link, slackMember, slackMessage, twoPlatformEngine } from "../people/world.js";
import { ada, admin, cat, configure, dan, HOSTILE, privacy, seededWorld, SLUG } from "../../http/community-world.js";

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

async function pageOf(t: TestEngine): Promise<Community> {
  const community = await t.engine.services.web.open(SLUG, "leaderboard");
  if (!community) throw new Error("the board is not open");
  return community;
}

// Read-only tests share one seeded community per dialect (seeding takes seconds on Postgres).
describe.each(dialects)("the web board's reads (%s)", (dialect) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await seededWorld({ dialect });
  });
  afterAll(async () => t?.close());
  const page = () => pageOf(t);

  it("GIVEN the seeded community THEN each tab lists the visible people by that period's points, the hidden one left out and the ranks closed up", async () => {
    const { web } = t.engine.services;
    const week = await web.board(await page(), "week");
    expect(week.label).toBe("week 48 of 2026");
    expect(week.rows.map((r) => [r.rank, r.name, r.points, r.level])).toEqual([
      [1, "ada", 30, 0],
      [2, HOSTILE, 10, 0],
      [3, "bob", 5, 1],
    ]);
    expect(names((await web.board(await page(), "month")).rows)).toEqual(["bob", HOSTILE, "ada"]);
    const all = await web.board(await page(), "all");
    expect(all.rows.map((r) => [r.rank, r.name, r.points, r.level])).toEqual([
      [1, "cat", 65, 1],
      [2, "bob", 60, 1],
      [3, HOSTILE, 40, 0],
      [4, "ada", 30, 0],
    ]);
    // Dan won two of week 47's honors but hid: only eve's is shown, on her row and in the list.
    expect(all.rows[2]!.honors).toEqual([{ honor: "helpful", emoji: "🤝", title: "Most helpful", count: 1 }]);
    expect(all.honors).toEqual({ week: "2026-W47", label: "week 47 of 2026", list: [{ honor: "helpful", emoji: "🤝", title: "Most helpful", name: HOSTILE, value: "thanked 1 time" }] });
  });

  it("GIVEN a rank THEN the card's figures are those of whoever the tab shows there; past the end there is none", async () => {
    const { web } = t.engine.services;
    expect(await web.card(await page(), "week", 1)).toEqual({ name: "ada", level: 0, points: 30, levelFloor: 0, nextLevelAt: 50, rank: 1, weekRank: 1, weekPoints: 30 });
    expect(await web.card(await page(), "all", 2)).toEqual({ name: "bob", level: 1, points: 60, levelFloor: 50, nextLevelAt: 150, rank: 2, weekPoints: 5 });
    expect(await web.card(await page(), "week", 4)).toBeUndefined();
    expect(await web.card(await page(), "week", 0)).toBeUndefined();
  });

  it("GIVEN an unknown or malformed slug THEN nothing opens", async () => {
    const { web } = t.engine.services;
    expect(await web.open("no-such-place", "leaderboard")).toBeUndefined();
    expect(await web.open("Rust-Berlin", "leaderboard")).toBeUndefined();
    expect(await web.open("../etc", "leaderboard")).toBeUndefined();
    expect(await web.open(SLUG, "talks")).toBeDefined();
  });
});

describe("/privacy and the switches", () => {
  let t: TestEngine;
  afterEach(async () => t?.close());
  const page = () => pageOf(t);

  it("GIVEN the hidden member shows again THEN they are back at the top and the others move down", async () => {
    t = await seededWorld();
    const reply = await privacy(t, dan, "show");
    expect(reply).toMatchObject({ ephemeral: true, tone: "success" });
    const week = await t.engine.services.web.board(await page(), "week");
    expect(week.rows.map((r) => [r.rank, r.name])).toEqual([[1, "dan"], [2, "ada"], [3, HOSTILE], [4, "bob"]]);
    expect((await t.engine.services.web.board(await page(), "all")).honors?.list.map((h) => [h.honor, h.name])).toEqual([["contributor", "dan"], ["helpful", HOSTILE], ["newcomer", "dan"]]);
  });

  it("GIVEN the switches THEN a page that is off does not open, each page has its own, and without a slug none opens", async () => {
    t = await seededWorld();
    const { web } = t.engine.services;
    await configure(t, { "web.leaderboard": "off" });
    expect(await web.open(SLUG, "leaderboard")).toBeUndefined();
    expect(await web.open(SLUG, "talks")).toBeDefined();
    await configure(t, { "web.slug": "none" });
    expect(await web.open(SLUG, "talks")).toBeUndefined();
  });

  it("GIVEN no subcommand THEN it says privately what is shown, for the board on, off, and a hidden member", async () => {
    t = await seededWorld();
    const listed = await privacy(t, ada);
    expect(listed).toMatchObject({ ephemeral: true, tone: "info" });
    expect(plainText(listed.text)).toBe(
      "You are listed on this community's public web leaderboard (/c/rust-berlin): anyone with the address sees your name, points, level, honors and rank card. `/privacy hide` takes you off it.",
    );
    expect(plainText((await privacy(t, ada, "status")).text)).toBe(plainText(listed.text));
    expect(plainText((await privacy(t, dan)).text)).toContain("You are hidden from this community's public web leaderboard (/c/rust-berlin)");
    await configure(t, { "web.leaderboard": "off" });
    expect(plainText((await privacy(t, ada)).text)).toBe(
      "This community's public web leaderboard is off, so nothing about you is on the web. If an admin turns it on, it shows your name, points, level, honors and rank card; `/privacy hide` keeps you off it.",
    );
  });

  it("GIVEN hide sent twice, then show, then show again THEN each answer is private and the flag ends as last set", async () => {
    t = await seededWorld();
    for (const action of ["hide", "hide"] as const) expect(await privacy(t, cat, action)).toMatchObject({ ephemeral: true, tone: "success" });
    const open = await t.engine.services.web.open(SLUG, "leaderboard");
    expect(names((await t.engine.services.web.board(open!, "all")).rows)).toEqual(["bob", HOSTILE, "ada"]);
    await privacy(t, cat, "show");
    await privacy(t, cat, "show");
    expect(names((await t.engine.services.web.board(open!, "all")).rows)).toEqual(["cat", "bob", HOSTILE, "ada"]);
  });

  it("GIVEN a member who hides before earning anything THEN they stay off the board once they earn", async () => {
    t = await seededWorld();
    const newcomer = member("nia");
    await privacy(t, newcomer, "hide");
    for (let i = 0; i < 10; i++) {
      const at = new Date(Date.parse("2026-11-26T12:00:00Z") + i * 61_000);
      t.clock.set(new Date(at.getTime() + 1000));
      await t.ingest({ kind: "message.created", key: `discord:nia${i}`, messageKey: `discord:nia${i}`, at, place: { platform: "discord", workspaceId: "g1", channelId: "general" }, author: newcomer, text: `hello ${i}`, mentions: [] });
    }
    const totals = await t.db.kysely.selectFrom("totals").select("points").where("member_id", "=", newcomer.id).where("period", "=", "all").executeTakeFirstOrThrow();
    expect(totals.points).toBe(50);
    const open = await t.engine.services.web.open(SLUG, "leaderboard");
    expect(names((await t.engine.services.web.board(open!, "week")).rows)).not.toContain("nia");
    expect(plainText((await privacy(t, newcomer)).text)).toContain("You are hidden");
  });
});

describe.each(dialects)("/privacy across linked accounts (%s)", (dialect) => {
  let t: TestEngine;
  afterEach(async () => t?.close());

  it("GIVEN a person linked across Discord and Slack WHEN the Slack account hides THEN the person's one row leaves the board, and either account's status says hidden", async () => {
    t = await twoPlatformEngine(dialect);
    const adaSlack = slackMember("UADA");
    await t.ingest({ kind: "message.created", key: "discord:a1", messageKey: "discord:a1", at: new Date("2026-11-26T11:00:00Z"), place: { platform: "discord", workspaceId: "g1", channelId: "general" }, author: ada, text: "hi", mentions: [] });
    await t.ingest(slackMessage({ ts: "1.1", by: adaSlack, at: "2026-11-26T11:00:00Z" }));
    await t.ingest(slackMessage({ ts: "1.2", by: slackMember("UBOB"), at: "2026-11-26T11:00:00Z" }));
    expect((await link(t, ada, adaSlack)).tone).toBe("success");
    for (const [key, value] of [["web.slug", "two-sides"], ["web.leaderboard", "on"]] as const) {
      expect((await t.engine.command(command({ name: "config", subcommand: "set", by: discordOwner, options: { key, value } }))).tone).toBe("success");
    }
    const open = async () => (await t.engine.services.web.open("two-sides", "leaderboard"))!;
    expect((await t.engine.services.web.board(await open(), "week")).rows.map((r) => [r.name, r.points])).toEqual([["ada", 10], ["ubob", 5]]);

    const hidden = await t.engine.command(commandBy(adaSlack, "privacy", { action: "hide" }));
    expect(hidden).toMatchObject({ ephemeral: true, tone: "success" });
    expect(names((await t.engine.services.web.board(await open(), "week")).rows)).toEqual(["ubob"]);
    expect(plainText((await t.engine.command(commandBy(ada, "privacy"))).text)).toContain("You are hidden");
    // Every row of the person carries the choice, so each account keeps it if they unlink.
    const flags = await t.db.kysely.selectFrom("members").select(["member_id", "web_hidden"]).where("member_id", "in", [ada.id, adaSlack.id]).orderBy("member_id").execute();
    expect(flags).toEqual([{ member_id: ada.id, web_hidden: 1 }, { member_id: adaSlack.id, web_hidden: 1 }]);
  });
});

describe("/config set web.*", () => {
  let t: TestEngine;
  afterEach(async () => t?.close());

  const set = (key: string, value: string, by = admin, workspaceId = "g1") =>
    t.engine.command({ ...command({ name: "config", subcommand: "set", by: { ...by, workspaceId, id: `discord:${workspaceId}:${by.userId}` }, options: { key, value } }), place: { platform: "discord", workspaceId, channelId: "general" } });

  it("GIVEN a slug in capitals THEN it is stored in lower case; a malformed one is refused saying what is accepted", async () => {
    t = await seededWorld();
    expect(plainText((await set("web.slug", "Rust-Berlin-2")).text)).toContain("Set `web.slug` to rust-berlin-2.");
    for (const bad of ["-lead", "trail-", "with space", "ünï", "a".repeat(41), "dots.dots", "<b>x</b>"]) {
      const reply = await set("web.slug", bad);
      expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
      expect(plainText(reply.text)).toContain("is not a valid value for `web.slug`: expected 1–40 lower-case letters, digits and dashes, not starting or ending with a dash (e.g. rust-berlin), or \"none\".");
    }
  });

  it("GIVEN another community holds a slug THEN setting it here is refused, and nothing changes", async () => {
    t = await seededWorld();
    const other = await set("web.slug", SLUG, admin, "g2");
    expect(other).toMatchObject({ ephemeral: true, tone: "error" });
    expect(plainText(other.text)).toBe("The address /c/rust-berlin is taken by another community: choose another `web.slug`.");
    const g2 = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g2" });
    expect(g2.settings.web.slug).toBeNull();
    // Setting a community's own slug again is fine; once it lets go, another may take it.
    expect((await set("web.slug", SLUG)).tone).toBe("success");
    expect((await set("web.slug", "none")).tone).toBe("success");
    expect((await set("web.slug", SLUG, admin, "g2")).tone).toBe("success");
  });

  it("GIVEN two communities' rows written with one slug behind /config's back THEN the database refuses the second", async () => {
    t = await seededWorld();
    const g2 = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g2" });
    await expect(t.engine.communities.updateSettings(g2, { ...g2.settings, web: { ...g2.settings.web, slug: SLUG } })).rejects.toThrow(/unique/i);
  });

  it("GIVEN the defaults THEN both pages are off and there is no slug", async () => {
    t = await seededWorld();
    const g3 = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g3" });
    expect(g3.settings.web).toEqual({ slug: null, leaderboard: false, talks: false });
  });
});
