import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.js";
import { OffsetClock } from "../../src/core/clock.js";
import { testEngine } from "../helpers/engine.js";

const TOUR = fs.readFileSync(new URL("../fixtures/console/tour.txt", import.meta.url), "utf8");

async function runScript(script: string): Promise<string> {
  const t = await testEngine({ dialect: "sqlite-memory" });
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => (printed += String(chunk)));
  const adapter = new ConsoleAdapter({ engine: t.engine, commands, clock: new OffsetClock(t.clock), input, output, interactive: false, timezone: async () => "UTC" });
  input.end(script);
  await adapter.run();
  await t.close();
  return printed;
}

describe("console adapter", () => {
  it("GIVEN a piped script THEN it prints a clean transcript of posts, points and replies", async () => {
    expect(await runScript(TOUR)).toMatchInlineSnapshot(`
      "#1 ada: Hi all, I'm new here
        +5 ada (post) · 5 points
        (you are now @bob)
      #2 bob: Welcome! thanks @ada for joining
        +5 bob (post) · 5 points
        +10 ada (thanks) · 15 points
      #3 bob ↳ #1: glad you're here
        no points for bob: cooldown
        (time is now 2026-11-26T12:02:00Z)
      #4 bob ↳ #1: glad you're here, really
        +2 bob (reply) · 7 points
        bob reacted 👍 on #1
        +1 ada (reaction) · 16 points
        bob reacted 👍 on #1
        (already counted)
        (you are now @ada, admin)
        ada reacted 🎉 on #2
        +1 bob (reaction) · 8 points
      bot (only you): @ada has 16 points: level 0, rank #1. This week: 16 points (#1). 34 more to level 1.
      bot: Leaderboard — week 48 of 2026
            1. @ada — 16 points (level 0)
            2. @bob — 8 points (level 0)
           buttons: [1] This week (current)  [2] This month  [3] All time — /press <n>
      bot: Leaderboard — all time
            1. @ada — 16 points (level 0)
            2. @bob — 8 points (level 0)
           buttons: [1] This week  [2] This month  [3] All time (current) — /press <n>
      bot: @ada thanked @bob: “for the welcome” (+10 points)
      bot (only you): You can't thank yourself — but thanks for being here.
      bot (only you): \`period\`: \`forever\` is not accepted — expected one of: week, month, all.
                      Usage: /leaderboard [week|month|all] [limit]
      bot (only you): \`lots\` is not a valid value for \`points.post\`: expected a whole number from 0 to 1000.
                      Usage: /config set <key> [value]
      bot (only you): dialog “Set points.reply” asks for value (now: 2) — answer with /submit <text>
      bot (only you): Set \`points.reply\` to 3. (points for a thread reply; accepts a whole number from 0 to 1000)
        (you are now @bob)
      bot (only you): Only admins can use /config show.
        #2 deleted
        -5 bob (undo:post) · 13 points
        -10 ada (undo:thanks) · 6 points
        -1 bob (undo:reaction) · 12 points
      bot (only you): @bob has 12 points: level 0, rank #1. This week: 12 points (#1). 38 more to level 1.
      "
    `);
  });

  it("GIVEN a console typo THEN it explains the usage and carries on", async () => {
    const out = await runScript("/react\n/wait soon\nhello\n");
    expect(out).toContain("! name a message by its number, e.g. /react 1 👍 (messages so far: none)");
    expect(out).toContain("! usage: /wait <number><s|m|h|d>");
    expect(out).toContain("#1 ada: hello");
  });
});

describe("npm start with piped input", () => {
  it("GIVEN no platform tokens THEN `npm start --silent < script` runs a console community on SQLite and prints only the transcript", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-start-"));
    const env = { ...process.env, DATABASE_URL: path.join(dir, "gk.db"), CONSOLE_CLOCK_START: "2026-11-26T12:00:00Z", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "" };
    const child = spawn("npm", ["start", "--silent"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += String(c)));
    child.stderr.on("data", (c) => (stderr += String(c)));
    child.stdin.end("hello from a pipe\n/leaderboard all\n");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        "#1 ada: hello from a pipe",
        "  +5 ada (post) · 5 points",
        "bot: Leaderboard — all time",
        "      1. @ada — 5 points (level 0)",
        "     buttons: [1] This week  [2] This month  [3] All time (current) — /press <n>",
        "",
      ].join("\n"),
    );
    // The greeting goes to stderr, so the transcript stays clean; it tells how to add the platforms.
    expect(stderr).toContain("To connect Discord set DISCORD_TOKEN");
  }, 30_000);
});

describe("graceful shutdown", () => {
  it("GIVEN a running console WHEN it gets SIGTERM THEN it stops, commits what it accepted and exits 0", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-stop-"));
    const file = path.join(dir, "gk.db");
    const env = { ...process.env, DATABASE_URL: file, DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "info" };
    // The process a service manager signals is node itself (npm would die of the signal first).
    execFileSync(process.execPath, ["scripts/build.mjs", "main"]);
    const child = spawn(process.execPath, ["dist/main.mjs"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += String(c)));
    const posted = new Promise<void>((resolve) =>
      child.stdout.on("data", (c) => {
        stdout += String(c);
        if (stdout.includes("+5 ada (post)")) resolve();
      }),
    );
    child.stdin.write("still here\n"); // stdin stays open: the console is waiting for more
    await posted;
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(stderr).toContain('"reason":"SIGTERM"');

    const { connect } = await import("../../src/db/connect.js");
    const db = connect(file);
    const rows = await db.kysely.selectFrom("ledger").select(["reason", "amount"]).execute();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(rows).toEqual([{ reason: "post", amount: 5 }]);
  }, 30_000);
});
