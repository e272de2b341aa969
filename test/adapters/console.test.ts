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
        no points for bob: their last message earned less than 60 s ago (points.messageCooldownSeconds)
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
    const pictures = path.join(dir, "pictures");
    const env = { ...process.env, DATABASE_URL: path.join(dir, "gk.db"), CONSOLE_CLOCK_START: "2026-11-26T12:00:00Z", CONSOLE_PICTURES_DIR: pictures, DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "" };
    const child = spawn("npm", ["start", "--silent"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += String(c)));
    child.stderr.on("data", (c) => (stderr += String(c)));
    child.stdin.end("hello from a pipe\n/leaderboard all\n");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    // The leaderboard's picture is saved where CONSOLE_PICTURES_DIR says, and its path printed.
    const saved = fs.readdirSync(pictures);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(saved).toEqual([expect.stringMatching(/^leaderboard-[0-9a-f]{8}\.png$/)]);
    expect(stdout).toBe(
      [
        "#1 ada: hello from a pipe",
        "  +5 ada (post) · 5 points",
        "bot: Leaderboard — all time",
        "      1. @ada — 5 points (level 0)",
        `     picture: ${path.join(pictures, saved[0]!)}`,
        "     buttons: [1] This week  [2] This month  [3] All time (current) — /press <n>",
        "",
      ].join("\n"),
    );
    // The greeting goes to stderr, so the transcript stays clean; it tells how to add the platforms.
    expect(stderr).toContain("To connect Discord set DISCORD_TOKEN");
  }, 30_000);
});

/** The README's demo: typed lines (after a `name #channel> ` prompt) and what the console prints. */
function readmeDemo(): { script: string; transcript: string } {
  const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const block = /## Quick start[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README has no ```text demo under Quick start");
  const typed: string[] = [];
  const printed: string[] = [];
  for (const line of block.trimEnd().split("\n")) {
    const prompt = /^\S+ #\S+> (.*)$/u.exec(line);
    if (prompt) typed.push(prompt[1]!);
    else printed.push(line);
  }
  return { script: `${typed.join("\n")}\n`, transcript: `${printed.join("\n")}\n` };
}

/** A transcript without the lines that say where a picture was saved. */
function withoutPictureLines(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^ +picture: /.test(line))
    .join("\n");
}

async function npmStart(env: Record<string, string>, input: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn("npm", ["start", "--silent"], { env: { ...process.env, DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "", ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (c) => (stdout += String(c)));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout };
}

describe("the README's demo", () => {
  it("GIVEN the command the README names THEN the demo prints exactly as shown, on a first run and on a second", async () => {
    const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toContain("DATABASE_URL=:memory: CONSOLE_CLOCK_START=2026-11-26T12:00:00Z npm start");
    const { script, transcript } = readmeDemo();
    const env = { DATABASE_URL: ":memory:", CONSOLE_CLOCK_START: "2026-11-26T12:00:00Z" };
    for (const run of ["first", "second"]) {
      const { code, stdout } = await npmStart(env, script);
      // The picture's line names a file in data/console-pictures/: it is checked on its own, so the
      // README may show it or not.
      expect({ run, code, stdout: withoutPictureLines(stdout) }).toEqual({ run, code: 0, stdout: withoutPictureLines(transcript) });
      const saved = /^ +picture: (\S+\.png)$/m.exec(stdout)?.[1];
      expect(saved && fs.existsSync(path.resolve(saved))).toBe(true);
    }
  }, 60_000);

  it("GIVEN the same script twice against one database file THEN the second run explains in words what it did not award", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-again-"));
    const env = { DATABASE_URL: path.join(dir, "gk.db"), CONSOLE_CLOCK_START: "2026-11-26T12:00:00Z" };
    try {
      expect((await npmStart(env, "hello\n")).stdout).toBe("#1 ada: hello\n  +5 ada (post) · 5 points\n");
      // The first run's post is already counted; whatever the second earns, a refusal is in words.
      const again = await npmStart(env, "hello\n");
      expect(again.stdout).toMatch(/^#1 ada: hello\n/);
      expect(again.stdout).not.toMatch(/no points for \S+: [a-z-]+\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("npm run dev", () => {
  it("GIVEN lines typed one after another THEN each reaches the console (the watcher does not take Enter as 'restart')", async () => {
    const env = { ...process.env, DATABASE_URL: ":memory:", CONSOLE_CLOCK_START: "2026-11-26T12:00:00Z", DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "" };
    // Its own process group, so the watcher and the app it runs stop together at the end.
    const child = spawn("npm", ["run", "dev", "--silent"], { env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let stdout = "";
    const waiters: { text: string; resolve: () => void }[] = [];
    child.stdout.on("data", (c) => {
      stdout += String(c);
      for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve();
    });
    const printed = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never printed ${JSON.stringify(text)}; stdout so far:\n${stdout}`)), 20_000);
        waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
        if (stdout.includes(text)) resolve();
      });
    try {
      child.stdin.write("first line\n");
      await printed("+5 ada (post) · 5 points");
      child.stdin.write("/points\n");
      await printed("bot (only you): @ada has 5 points");
      expect(stdout).not.toContain("Restarting");
    } finally {
      process.kill(-child.pid!, "SIGTERM");
      await new Promise((resolve) => child.on("close", resolve));
    }
  }, 60_000);
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

describe("console: commands typed as text", () => {
  it("GIVEN name:value for the reason THEN it takes the rest of the line", async () => {
    expect(await runScript("/thanks member:@carol reason:nice work\n")).toBe("bot: @ada thanked @carol: “nice work” (+10 points)\n");
  });

  it("GIVEN role rewards written with @names (the README's example) THEN they are accepted and shown by name", async () => {
    const out = await runScript("/config set levels.roleRewards 5:@Regular 10:@Veteran\n");
    expect(out).toContain("Set `levels.roleRewards` to 5: @Regular, 10: @Veteran.");
  });

  it("GIVEN bad values THEN the answer echoes what was typed, says the real limit, ends with the usage and lines up", async () => {
    const out = await runScript(["/leaderboard week 100000000000000000000000", "/config set points.post 99999999999999999999", '/config "open', "/thanks @carol slack:T1:UFAKE"].join("\n"));
    expect(out).toBe(
      [
        "bot (only you): `limit`: `100000000000000000000000` is not accepted — expected a whole number from 1 to 25.",
        "                Usage: /leaderboard [week|month|all] [limit]",
        "bot (only you): `99999999999999999999` is not a valid value for `points.post`: expected a whole number from 0 to 1000.",
        "                Usage: /config set <key> [value]",
        "bot (only you): A quote is not closed.",
        "                Usage: /config show",
        "                       /config set <key> [value]",
        "                       /config link",
        "                       /config join <code>",
        "bot: @ada thanked @carol: “slack:T1:UFAKE” (+10 points)",
        "",
      ].join("\n"),
    );
  });

  it("GIVEN a typed id instead of a mention THEN it is not a member", async () => {
    const out = await runScript("/points console:local:bob\n/thanks slack:T1:UFAKE0001 for nothing\n");
    expect(out).toContain("`member`: `console:local:bob` is not accepted — expected a member (mention them, e.g. @name)");
    expect(out).toContain("`member`: `slack:T1:UFAKE0001` is not accepted");
  });
});

describe("console: dialogs", () => {
  it("GIVEN a list setting's dialog THEN the current value is shown as typed, and a refused /submit keeps it open", async () => {
    const out = await runScript(["/config set roles.moderators @bob", "/config set roles.moderators", "/submit lots of nonsense", "/submit @bob @carol", "/submit @dan"].join("\n"));
    expect(out).toContain("dialog “Set roles.moderators” asks for value (now: @bob) — answer with /submit <text>");
    expect(out).toContain("`lots of nonsense` is not a valid value for `roles.moderators`");
    expect(out).toContain("  (the dialog “Set roles.moderators” is still open: /submit again)\nbot (only you): Set `roles.moderators` to @bob, @carol.");
    expect(out.trimEnd().split("\n").at(-1)).toBe("! no dialog is open");
  });
});

describe("console: level-ups", () => {
  it("GIVEN a level reached through /thanks THEN the bot's announcement follows the reply, as it does for a message", async () => {
    const out = await runScript(["/config set points.thanksReceived 50", "/thanks @bob"].join("\n"));
    expect(out).toContain("bot: @ada thanked @bob (+50 points)\nbot in #general: 🎉 @bob reached level 1!\n");
  });

  it("GIVEN channels.announcements THEN the announcement is posted there; with levels.announce off nothing is posted and a line says so", async () => {
    const out = await runScript(["/config set points.thanksReceived 50", "/config set channels.announcements #announcements", "/thanks @bob", "/config set levels.announce off", "/thanks @carol", "hi @dan thanks"].join("\n"));
    expect(out).toContain("bot: @ada thanked @bob (+50 points)\nbot in #announcements: 🎉 @bob reached level 1!\n");
    expect(out).toContain("bot: @ada thanked @carol (+50 points)\n  (carol reached level 1; not announced: levels.announce is off)\n");
    expect(out).toContain("  +50 dan (thanks) · 50 points\n  (dan reached level 1; not announced: levels.announce is off)\n");
    expect(out.match(/^bot in #/gm)).toHaveLength(1);
  });

  it("GIVEN npm start, where the engine's delivery loop runs too THEN the announcement is printed once, under the line that caused it", async () => {
    const { code, stdout } = await npmStart({ DATABASE_URL: ":memory:", CONSOLE_CLOCK_START: "2026-11-26T12:00:00Z" }, "/config set points.thanksReceived 50\n/thanks @bob\n/points @bob\n");
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(1)).toEqual([
      "bot: @ada thanked @bob (+50 points)",
      "bot in #general: 🎉 @bob reached level 1!",
      "bot: @bob has 50 points: level 1, rank #1. This week: 50 points (#1). 100 more to level 2.",
      expect.stringMatching(/^ {5}picture: data\/console-pictures\/rank-card-[0-9a-f]{8}\.png$/),
      "",
    ]);
  }, 30_000);
});

describe("console: its own commands", () => {
  it("GIVEN /wait far beyond a year THEN it is refused with the limit and the clock keeps going", async () => {
    const out = await runScript("/wait 99999999999d\n/wait 367d\n/wait 1d\n");
    expect(out).toBe(
      [
        "! /wait moves the clock at most 366 days at a time (got 99999999999d); e.g. /wait 1d",
        "! /wait moves the clock at most 366 days at a time (got 367d); e.g. /wait 1d",
        "  (time is now 2026-11-27T12:00:00Z)",
        "",
      ].join("\n"),
    );
  });

  it("GIVEN /reply, /react and /edit without what follows the number THEN they say what is missing", async () => {
    const out = await runScript("hello\n/reply 1\n/react 1\n/edit 1\n/reply 7 hi\n");
    expect(out).toContain("! /reply needs text after the message number, e.g. /reply 1 glad you're here");
    expect(out).toContain("! /react needs an emoji after the message number, e.g. /react 1 👍");
    expect(out).toContain("! /edit needs the new text after the message number, e.g. /edit 1 new text");
    expect(out).toContain("! there is no message #7 (messages so far: #1)");
  });

  it("GIVEN a reply without buttons after one with buttons THEN /press has nothing to press", async () => {
    const out = await runScript("/leaderboard\n/points\n/press 3\n");
    expect(out.trimEnd().split("\n").at(-1)).toBe("! the latest reply has no buttons");
  });

  it("GIVEN /as @carol and names in other scripts THEN they are accepted", async () => {
    const out = await runScript("/as @carol\n/as 日本\n/in #日本語\nこんにちは @carol\n");
    expect(out).toBe(["  (you are now @carol)", "  (you are now @日本)", "  (now in #日本語)", "#1 日本: こんにちは @carol", "  +5 日本 (post) · 5 points", ""].join("\n"));
  });

  it("GIVEN :unicorn: and 🦄 THEN they are the same reaction", async () => {
    const out = await runScript("hi\n/as bob\n/react 1 :unicorn:\n/react 1 🦄\n");
    expect(out).toContain("  bob reacted 🦄 on #1\n  +1 ada (reaction) · 6 points\n  bob reacted 🦄 on #1\n  (already counted)\n");
  });

  it("GIVEN a member over their thanks for the day THEN the line names who missed out and why", async () => {
    const out = await runScript("/config set points.thanksPerDay 1\nthanks @bob and @carol!\n");
    expect(out).toContain("  +10 bob (thanks) · 10 points\n  no thanks points for carol: ada has used up today's thanks (1 a day, points.thanksPerDay)\n");
  });

  it("GIVEN /console THEN it lists the console commands and says any member may delete any message", async () => {
    const out = await runScript("/console\n");
    expect(out).toContain("/delete <n> deletes it — any console member may");
    expect(out).toContain("delete any message, as a moderator could on a platform");
  });
});
