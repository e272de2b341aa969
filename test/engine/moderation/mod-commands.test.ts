import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, ref } from "../../helpers/events.js";

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
