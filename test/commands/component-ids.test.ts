import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { ManualClock } from "../../src/core/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { openTestDb, type TestDb } from "../helpers/db.js";
import { member, place } from "../helpers/events.js";
import { snapshot } from "../helpers/invariants.js";
import { capturingLog } from "../helpers/log-lines.js";

// Button and form ids come back from the platform as text a member can forge; only handlers a
// declaration lists may run, and a forged id gets the same plain answer as a stale one.
const owner = member("olga", { isPlatformAdmin: true });

let t: TestDb;
let engine: Engine;
let lines: string[];
beforeEach(async () => {
  t = await openTestDb();
  const captured = capturingLog();
  lines = captured.lines;
  engine = new Engine({ db: t.db.kysely, clock: new ManualClock("2026-11-26T12:00:00Z"), log: captured.log, commands });
});
afterEach(async () => {
  await engine.drain();
  await t.cleanup();
});

const FORGED = ["leaderboard:__proto__", "leaderboard:constructor", "leaderboard:toString", "config:constructor", "__proto__:show", "constructor:x", "hasOwnProperty:show", "leaderboard:show:__proto__", ":", ""];

describe("button and form ids", () => {
  it.each(FORGED)("GIVEN a pressed button with the forged id %j THEN a private answer says it does nothing, nothing is logged as failed and nothing is written", async (buttonId) => {
    const before = await snapshot(t.db.kysely);
    const reply = await engine.press({ kind: "button", key: `b:${buttonId}`, at: new Date(), place: place(), actor: owner, buttonId });
    if (buttonId === "leaderboard:show:__proto__") {
      // A real handler with a junk argument: it falls back to this week's board.
      expect(reply.title).toBe("Leaderboard — week 48 of 2026");
    } else {
      expect(reply).toEqual({ text: "That button no longer does anything.", ephemeral: true, tone: "error" });
    }
    expect(lines.filter((l) => l.includes('"level":50') || l.includes("is not a function"))).toEqual([]);
    expect(await snapshot(t.db.kysely)).toEqual(before);
  });

  it.each(["config:__proto__", "config:constructor", "config:set:__proto__", "config:set:constructor", "leaderboard:show", "__proto__:set"])(
    "GIVEN a submitted form with the forged id %j THEN the answer is private and plain, and no setting changes",
    async (formId) => {
      const before = await snapshot(t.db.kysely);
      const reply = await engine.submit({ kind: "form", key: `f:${formId}`, at: new Date(), place: place(), actor: owner, formId, values: { value: "9" } });
      expect(reply).toMatchObject({ ephemeral: true, tone: "error" });
      expect(reply.text).toMatch(/^(That form is no longer in use; run the command again\.|That setting no longer exists; run \/config show\.)$/);
      expect(lines.filter((l) => l.includes('"level":50') || l.includes("is not a function"))).toEqual([]);
      expect(await snapshot(t.db.kysely)).toEqual(before);
    },
  );
});
