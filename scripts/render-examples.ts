// Writes the example pictures in docs/images/ from fixed sample data, with the project's own
// renderers (the README and docs/pictures.md show them). Run: npx tsx scripts/render-examples.ts
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../src/db/project-root.js";
import { renderLeaderboard, renderRankCard, renderWeeklyChart, type ReplyAttachment } from "../src/engine/pictures/index.js";
import { levelFor, pointsForLevel } from "../src/engine/points/levels.js";

const SAMPLE = [
  ["Ada Lovelace", 2_740],
  ["grace.hopper", 2_315],
  ["Linus", 1_980],
  ["Margaret H.", 1_420],
  ["ken_thompson", 1_105],
  ["Dennis R.", 890],
  ["Barbara Liskov", 655],
  ["Донна", 430],
  ["Σοφία", 310],
  ["a-very-long-display-name-that-will-not-fit-on-the-card", 95],
] as const;

const rows = SAMPLE.map(([name, points], i) => ({ rank: i + 1, name, points, level: levelFor(points) }));
const level = levelFor(1_240);

const pictures: [string, ReplyAttachment][] = [
  ["leaderboard.png", renderLeaderboard({ title: "Leaderboard — week 48 of 2026", subtitle: "Top 10 of 214 members with points", rows })],
  [
    "rank-card.png",
    renderRankCard({ name: "grace.hopper", level, points: 1_240, levelFloor: pointsForLevel(level), nextLevelAt: pointsForLevel(level + 1), rank: 4, weekRank: 2, weekPoints: 185 }),
  ],
  [
    "weekly-chart.png",
    renderWeeklyChart({
      title: "Weekly active members — last 12 weeks",
      weeks: [41, 46, 44, 52, 61, 58, 63, 70, 66, 74, 81, 88].map((value, i) => ({ label: `W${37 + i}`, value })),
    }),
  ],
];

const dir = path.join(projectRoot() ?? process.cwd(), "docs", "images");
fs.mkdirSync(dir, { recursive: true });
for (const [file, picture] of pictures) {
  const out = path.join(dir, file);
  fs.writeFileSync(out, Buffer.from(picture.data, "base64"));
  console.log(`${path.relative(process.cwd(), out)}  (${picture.description.slice(0, 70)}…)`);
}
