import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.js";
import { OffsetClock } from "../../src/core/clock.js";
import { testEngine } from "../helpers/engine.js";
import { decodePicture, looksDrawn } from "../helpers/png.js";

async function runWithPictures(script: string, picturesDir: string): Promise<string> {
  const t = await testEngine({ dialect: "sqlite-memory" });
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => (printed += String(chunk)));
  const adapter = new ConsoleAdapter({ engine: t.engine, commands, clock: new OffsetClock(t.clock), input, output, interactive: false, timezone: async () => "UTC", picturesDir });
  input.end(script);
  await adapter.run();
  await t.close();
  return printed;
}

describe("console pictures", () => {
  it("GIVEN /leaderboard and /points THEN each reply prints where its picture was saved, and the file is that PNG", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-pictures-"));
    try {
      const out = await runWithPictures("hello\n/leaderboard\n/points\n/leaderboard\n", dir);

      const saved = [...out.matchAll(/^ +picture: (.+\.png)$/gm)].map((m) => m[1]!);
      expect(saved).toHaveLength(3);
      expect(saved.map((p) => path.basename(p))).toEqual([expect.stringMatching(/^leaderboard-[0-9a-f]{8}\.png$/), expect.stringMatching(/^rank-card-[0-9a-f]{8}\.png$/), expect.stringMatching(/^leaderboard-/)]);
      // The same picture is the same file: named after its content.
      expect(saved[2]).toBe(saved[0]);
      expect(fs.readdirSync(dir).sort()).toEqual([path.basename(saved[0]!), path.basename(saved[1]!)].sort());
      const board = await decodePicture(fs.readFileSync(saved[0]!));
      expect(board.width).toBe(800);
      expect(looksDrawn(board)).toBe(true);
      expect((await decodePicture(fs.readFileSync(saved[1]!))).width).toBe(934);
      // The text stays the answer; the path comes after it.
      expect(out).toContain("      1. @ada — 5 points (level 0)\n     picture: ");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN a pictures folder that cannot be written THEN the reply still prints, with a line saying the picture was not saved", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-pictures-"));
    const blocked = path.join(dir, "a-file");
    fs.writeFileSync(blocked, "not a folder");
    try {
      const out = await runWithPictures("hello\n/leaderboard\n", path.join(blocked, "pictures"));
      expect(out).toContain("      1. @ada — 5 points (level 0)\n");
      expect(out).toMatch(/^ +picture not saved \(.+\): leaderboard\.png$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
