import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command } from "../../helpers/events.js";
import { addSponsor, admin, community, configure, sponsorCommand, text } from "./harness.js";

/** The sponsors' settings: tier periods (powers of two), β and the currency, each refused with what it accepts. */
describe("sponsor settings", () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await testEngine();
  });
  afterEach(() => t.close());

  const set = async (key: string, value: string) => plainText((await t.engine.command(command({ name: "config", subcommand: "set", by: admin, options: { key, value } }))).text);

  it("GIVEN the defaults THEN gold is every week, silver every 2, bronze every 4, β 1, USD", async () => {
    expect((await community(t)).settings.sponsors).toEqual({ goldWeeks: 1, silverWeeks: 2, bronzeWeeks: 4, beta: 1, currency: "USD" });
  });

  it.each([
    ["sponsors.goldWeeks", "3", "`3` is not a valid value for `sponsors.goldWeeks`: expected a number of weeks: 1, 2, 4, 8, 16, 32."],
    ["sponsors.bronzeWeeks", "64", "`64` is not a valid value for `sponsors.bronzeWeeks`: expected a number of weeks: 1, 2, 4, 8, 16, 32."],
    ["sponsors.currency", "XYZ", "`XYZ` is not a valid value for `sponsors.currency`: expected an ISO 4217 currency code such as USD, EUR or GBP."],
    ["sponsors.beta", "-1", "`-1` is not a valid value for `sponsors.beta`: expected a number from 0 to 1000 (e.g. 0.3)."],
  ])("GIVEN %s %s THEN it is refused, naming what is accepted", async (key, value, expected) => {
    expect(await set(key, value)).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&")}`));
  });

  it("GIVEN the currency set to jpy THEN new contributions are whole yen, and earlier rows keep their own currency", async () => {
    await addSponsor(t, "Acme", "gold");
    await sponsorCommand(t, "contribute", { name: "Acme", amount: "10.50" });
    await configure(t, { "sponsors.currency": "jpy" });
    expect(text(await sponsorCommand(t, "contribute", { name: "Acme", amount: "10.5" }))).toMatch(/^`10.5` is not an amount: expected an amount in JPY like 2500 \(whole units\)/);
    expect(text(await sponsorCommand(t, "contribute", { name: "Acme", amount: "1500" }))).toBe("Recorded 1,500 JPY from Acme in 2026-Q4. Their total: 1,500 JPY.");
    expect(text(await sponsorCommand(t, "report"))).toContain("this quarter 10.50 USD + 1,500 JPY · E 10.50 USD + 1,500 JPY");
  });
});
