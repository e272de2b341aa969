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
  // As the weekly digest attaches it (digest.service.ts: title "Top 10", the week's label).
  ["digest-top10.png", renderLeaderboard({ title: "Top 10", subtitle: "week 48 of 2026 (23 – 29 Nov)", rows })],
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

// How long each picture takes (synchronous, on this thread): after a warm-up, the median and the
// slowest of 50 renders, PNG encoding included.
const timings: string[] = [];
for (const [file] of pictures) {
  const render = { "digest-top10.png": () => renderLeaderboard({ title: "Top 10", rows }), "leaderboard.png": () => renderLeaderboard({ title: "Leaderboard — week 48 of 2026", rows }), "rank-card.png": () => renderRankCard({ name: "grace.hopper", level, points: 1_240, levelFloor: pointsForLevel(level), nextLevelAt: pointsForLevel(level + 1), rank: 4 }), "weekly-chart.png": () => renderWeeklyChart({ title: "Weekly active members", weeks: Array.from({ length: 12 }, (_, i) => ({ label: `W${37 + i}`, value: 40 + i * 4 })) }) }[file]!;
  for (let i = 0; i < 5; i++) render();
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    const used = process.cpuUsage();
    render();
    const spent = process.cpuUsage(used);
    ms.push(performance.now() - started);
    cpu.push((spent.user + spent.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  // Wall time is what blocks the event loop; CPU time is what it costs on an idle core (a shared,
  // loaded machine inflates the first).
  timings.push(`${file.padEnd(17)} wall median ${ms[25]!.toFixed(1)} ms (slowest ${ms[49]!.toFixed(1)}), CPU median ${cpu[25]!.toFixed(1)} ms`);
}

const dir = path.join(projectRoot() ?? process.cwd(), "docs", "images");
fs.mkdirSync(dir, { recursive: true });
for (const [file, picture] of pictures) {
  const out = path.join(dir, file);
  fs.writeFileSync(out, Buffer.from(picture.data, "base64"));
  console.log(`${path.relative(process.cwd(), out)}  (${picture.description.slice(0, 70)}…)`);
}
console.log(["render time (50 renders each):", ...timings].join("\n  "));
