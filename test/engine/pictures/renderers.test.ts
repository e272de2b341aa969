import { describe, expect, it } from "vitest";
import { renderLeaderboard, renderRankCard, renderWeeklyChart } from "../../../src/engine/pictures/index.js";
import { decodePicture, looksDrawn } from "../../helpers/png.js";

const rows = (names: string[]) => names.map((name, i) => ({ rank: i + 1, name, points: 1000 - i * 90, level: 9 - i }));

describe("leaderboard picture", () => {
  it("GIVEN ten members THEN it is an 800-wide PNG with a row for each, drawn (not blank), and alt text naming them", async () => {
    const picture = renderLeaderboard({ title: "Leaderboard — week 48 of 2026", subtitle: "Points this week", rows: rows(["ada", "bob", "carol", "dan", "eve", "fay", "gus", "hal", "ivy", "jo"]) });

    expect(picture).toMatchObject({ name: "leaderboard.png", contentType: "image/png" });
    const decoded = await decodePicture(picture.data);
    expect(decoded).toMatchObject({ width: 800, height: 104 + 10 * 64 - 8 + 24 });
    expect(looksDrawn(decoded)).toBe(true);
    expect(picture.description).toContain("1. ada, 1000 points, level 9");
    expect(picture.description).toContain("10. jo, 190 points, level 0");
  });

  it("GIVEN more than ten rows THEN only the top ten are drawn", async () => {
    const picture = renderLeaderboard({ title: "All time", rows: rows(Array.from({ length: 25 }, (_, i) => `m${i}`)) });
    expect((await decodePicture(picture.data)).height).toBe(104 + 10 * 64 - 8 + 24);
    expect(picture.description).not.toContain("11. m10");
  });

  it("GIVEN no rows THEN it draws 'No points yet' on a card", async () => {
    const picture = renderLeaderboard({ title: "Leaderboard — week 1 of 2027", rows: [] });
    const decoded = await decodePicture(picture.data);
    expect(decoded).toMatchObject({ width: 800, height: 104 + 112 + 24 });
    expect(looksDrawn(decoded)).toBe(true);
    expect(picture.description).toBe("Leaderboard — week 1 of 2027: no points yet.");
  });

  it("GIVEN odd names (very long, emoji, CJK, RTL, markup, control characters) THEN it renders without failing and keeps them as plain text", async () => {
    const odd = ["x".repeat(5000), "🦄🦄🦄 ZWJ 👩‍💻 family 👨‍👩‍👧‍👦", "田中さくら", "مرحبا بالعالم", "<@123> @everyone **bold**", "line\nbreak\ttab", "", " ", "\u202eevil", "Z̷̢̛a̸l̶g̷o̵"];
    const picture = renderLeaderboard({ title: "Leaderboard — week 48", rows: rows(odd) });
    const decoded = await decodePicture(picture.data);
    expect(decoded.width).toBe(800);
    expect(looksDrawn(decoded)).toBe(true);
    // Names are described as typed: a `<@123>` is those characters, not a mention.
    expect(picture.description).toContain("<@123> @everyone **bold**");
    // Alt text fits Slack's alt_txt limit (1000) and Discord's description limit (1024).
    expect(picture.description.length).toBeLessThanOrEqual(1000);
  });

  it("GIVEN a title and subtitle far too long THEN they are cut to fit, in the picture and in the alt text", async () => {
    const picture = renderLeaderboard({ title: "🏆 ".repeat(500), subtitle: "<#1> ".repeat(500), rows: rows(["ada"]) });
    expect(looksDrawn(await decodePicture(picture.data))).toBe(true);
    expect(picture.description).toContain("1. ada, 1000 points, level 9");
  });
});

describe("rank card", () => {
  it("GIVEN a ranked member THEN it is a 934×282 card, drawn, with level, rank and progress in its alt text", async () => {
    const card = renderRankCard({ name: "grace", level: 6, points: 1240, levelFloor: 1050, nextLevelAt: 1400, rank: 4, weekRank: 2, weekPoints: 185 });
    expect(card).toMatchObject({ name: "rank-card.png", contentType: "image/png" });
    const decoded = await decodePicture(card.data);
    expect(decoded).toMatchObject({ width: 934, height: 282 });
    expect(looksDrawn(decoded)).toBe(true);
    expect(card.description).toBe("Rank card for grace: level 6, 1240 points, rank #4, 190 of 350 points to level 7. This week 185 points (#2).");
  });

  it("GIVEN a member with no points and no rank, or no next level THEN it still draws", async () => {
    const none = renderRankCard({ name: "", level: 0, points: 0, levelFloor: 0, nextLevelAt: 50 });
    expect(looksDrawn(await decodePicture(none.data))).toBe(true);
    expect(none.description).toContain("not ranked yet");
    const top = renderRankCard({ name: "👩‍💻 <@&42> " + "long".repeat(300), level: 99, points: 250_000, levelFloor: 247_500, nextLevelAt: null, rank: 1 });
    expect(looksDrawn(await decodePicture(top.data))).toBe(true);
    expect(top.description).not.toContain("to level 100");
  });
});

describe("weekly chart", () => {
  it("GIVEN twelve weeks THEN it is an 800×400 chart, drawn, with each week in the alt text", async () => {
    const weeks = Array.from({ length: 12 }, (_, i) => ({ label: `W${37 + i}`, value: 40 + i * 4 }));
    const chart = renderWeeklyChart({ title: "Weekly active members", weeks });
    const decoded = await decodePicture(chart.data);
    expect(decoded).toMatchObject({ width: 800, height: 400 });
    expect(looksDrawn(decoded)).toBe(true);
    expect(chart.description).toBe(`Weekly active members: ${weeks.map((w) => `${w.label} ${w.value}`).join(", ")}.`);
  });

  it("GIVEN no weeks, all zeros, or a huge number of weeks THEN it still draws", async () => {
    for (const weeks of [[], [{ label: "W1", value: 0 }], Array.from({ length: 200 }, (_, i) => ({ label: `week ${i} with a long label`, value: i * 1_000_003 }))]) {
      const chart = renderWeeklyChart({ title: "Active", weeks });
      expect(looksDrawn(await decodePicture(chart.data))).toBe(true);
    }
  });
});
