/**
 * Content quality in the console: the card is a post in #mods whose buttons `/press` reaches, a
 * member's press is refused, Remove deletes the member's message in the transcript and takes its
 * points back; 🚩 from three members queues a message, one member's repeated 🚩 counts once.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { ConsoleAdapter } from "../../../src/adapters/console/console-adapter.js";
import { OffsetClock } from "../../../src/core/clock.js";
import { testEngine } from "../../helpers/engine.js";

async function runScript(script: string): Promise<{ printed: string; audit: { action: string; points_before: number | null; points_after: number | null }[] }> {
  const t = await testEngine({ dialect: "sqlite-memory" });
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk) => (printed += String(chunk)));
  const adapter = new ConsoleAdapter({ engine: t.engine, commands, clock: new OffsetClock(t.clock), input, output, interactive: false, timezone: async () => "UTC" });
  input.end(script);
  await adapter.run();
  const audit = await t.db.kysely.selectFrom("mod_audit").select(["action", "points_before", "points_after"]).orderBy("seq").execute();
  await t.close();
  return { printed, audit };
}

describe("moderation in the console", () => {
  it("GIVEN a mashed post THEN a card with buttons; @bob's press is refused; @ada's Remove deletes #2, takes back its points and edits the card", async () => {
    const { printed, audit } = await runScript(
      ["/config set channels.modQueue #mods", "/as bob", "jkdfhgkjdfhg sdfkjhsdf", "/press 2", "/as ada", "/press 2", "/points @bob", "/mod queue"].join("\n"),
    );
    expect(printed).toContain(`#1 bob: jkdfhgkjdfhg sdfkjhsdf
  +5 bob (post) · 5 points
bot in #mods: Review #1: low quality`);
    expect(printed).toContain("buttons: [1] Approve  [2] Remove  [3] Remove and penalise — /press <n>");
    expect(printed).toContain("bot (only you): Only moderators can use /mod.");
    expect(printed).toContain(`bot (only you): Removed review #1. Points of @bob: 5 → 0. The message is being deleted.
  (bot deleted #1)
bot edited its post in #mods: Review #1: low quality`);
    expect(printed).toContain("🗑️ Removed by @ada");
    expect(printed).toContain("@bob has 0 points");
    expect(printed).toContain("The review queue is empty.");
    expect(audit).toEqual([
      { action: "flag", points_before: null, points_after: null },
      { action: "remove", points_before: 5, points_after: 0 },
    ]);
  });

  it("GIVEN 🚩 from three members THEN one card; one member's repeated 🚩 counts once", async () => {
    const { printed } = await runScript(
      [
        "/config set channels.modQueue #mods",
        "/as bob",
        "Honestly the new release is fine, I don't get the complaints at all.",
        "/as carol",
        "/react 1 🚩",
        "/unreact 1 🚩",
        "/react 1 :triangular_flag_on_post:",
        "/as dan",
        "/react 1 🚩",
        "/as erin",
        "/react 1 🚩",
      ].join("\n"),
    );
    const cards = printed.split("\n").filter((l) => l.startsWith("bot in #mods: Review #1"));
    expect(cards).toEqual(["bot in #mods: Review #1: reported by members"]);
    const beforeErin = printed.slice(0, printed.indexOf("(you are now @erin)"));
    expect(beforeErin).not.toContain("bot in #mods");
    expect(printed).toContain("3 reports (weight 3.0)");
  });
});
