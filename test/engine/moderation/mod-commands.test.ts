import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, message, ref } from "../../helpers/events.js";

const ada = member("ada", { isPlatformAdmin: true });

describe("/mod adjust and warn refusals", () => {
  let te: TestEngine;
  beforeEach(async () => {
    te = await testEngine();
  });
  afterEach(() => te.close());

  it("GIVEN a moderator adjusts their own points THEN it is refused privately and no ledger row is written", async () => {
    const answer = await te.engine.command(command({ name: "mod", subcommand: "adjust", by: ada, options: { member: ref("ada"), points: 1000, reason: "me" } }));
    expect(answer.ephemeral).toBe(true);
    expect(plainText(answer.text)).toMatch(/your own points/);
    expect(await te.db.kysely.selectFrom("ledger").selectAll().execute()).toEqual([]);
    expect(await te.db.kysely.selectFrom("mod_audit").selectAll().execute()).toEqual([]);
  });

  it("GIVEN an amount beyond ±1000 THEN it is refused naming the range", async () => {
    const answer = await te.engine.command(command({ name: "mod", subcommand: "adjust", by: ada, options: { member: ref("bob"), points: 1_000_000, reason: "x" } }));
    expect(answer.ephemeral).toBe(true);
    expect(plainText(answer.text)).toMatch(/-1000 to 1000/);
  });
});

describe("/mod queue", () => {
  let te: TestEngine;
  beforeEach(async () => {
    te = await testEngine();
  });
  afterEach(() => te.close());

  it("GIVEN more open items than it lists THEN it says there are more instead of claiming the count shown", async () => {
    for (let i = 0; i < 17; i++) await te.ingest(message({ id: `m${i}`, by: member(`u${i}`), at: `2026-11-26T11:${String(i).padStart(2, "0")}:00Z`, text: "jkdfhgkjdfhg sdfkjhsdf" }));
    const queue = await te.engine.command(command({ name: "mod", subcommand: "queue", by: ada }));
    const text = plainText(queue.text);
    expect(text).not.toContain("Open items (15)");
    expect(text).toContain("there are more");
    expect(text).toContain("#15 ");
    expect(text).not.toContain("#16 ");
  });
});

describe("/config set key typed as text (Discord lists no more than 25 choices)", () => {
  let te: TestEngine;
  beforeEach(async () => {
    te = await testEngine();
  });
  afterEach(() => te.close());

  it("GIVEN a key that is not a setting THEN it is refused privately, naming the accepted keys", async () => {
    const answer = await te.engine.command(command({ name: "config", subcommand: "set", by: ada, options: { key: "moderation.nope", value: "1" } }));
    expect(answer.ephemeral).toBe(true);
    expect(plainText(answer.text)).toContain("moderation.penalty");
    const ok = await te.engine.command(command({ name: "config", subcommand: "set", by: ada, options: { key: "moderation.penalty", value: "20" } }));
    expect(plainText(ok.text)).not.toMatch(/not|invalid/i);
  });
});
