import { afterEach, describe, expect, it } from "vitest";
import { ledgerReport } from "../../../src/engine/sponsors/ledger.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { addSponsor, configure, shoutOut, sponsorCommand, text } from "./harness.js";

/**
 * `/sponsor report [quarter]` for a fixed data set: R_t (a quarter's net contributions), E_t =
 * E_{t−1} + β·R_t (the running total, β-weighted), and impressions in the quarter — and that
 * replaying every command of the data set changes none of it.
 */
describe.each(dialects)("the sponsor ledger report on %s", (dialect) => {
  let t: TestEngine;
  afterEach(() => t.close());

  /** The data set: Acme (gold) pays in Q3 and Q4 with a correction; Birch (silver) pays in Q4 and is removed; Cedar (bronze) pays nothing. */
  async function dataSet(): Promise<void> {
    t = await testEngine({ dialect, start: "2026-09-10T12:00:00Z" });
    await configure(t, { timezone: "America/New_York" });
    await addSponsor(t, "Acme", "gold");
    await sponsorCommand(t, "contribute", { name: "Acme", amount: "1000" }, { id: "c1" });
    t.clock.set("2026-10-01T03:30:00Z"); // 23:30 on 30 September in New York: still Q3 there
    await sponsorCommand(t, "contribute", { name: "Acme", amount: "0.99" }, { id: "c2" });
    t.clock.set("2026-10-20T12:00:00Z");
    await addSponsor(t, "Birch", "silver");
    await addSponsor(t, "Cedar", "bronze");
    await sponsorCommand(t, "contribute", { name: "Acme", amount: "500", note: "renewal" }, { id: "c3" });
    await sponsorCommand(t, "contribute", { name: "Acme", amount: "-100.99", note: "refund" }, { id: "c4" });
    await sponsorCommand(t, "contribute", { name: "Birch", amount: "250" }, { id: "c5" });
    for (const [key, at] of [["digest:2026-W44", "2026-10-26T13:00:00Z"], ["digest:2026-W45", "2026-11-02T14:00:00Z"], ["digest:2026-W46", "2026-11-09T14:00:00Z"]] as const) await shoutOut(t, key, at);
    t.clock.set("2026-11-20T12:00:00Z");
    await sponsorCommand(t, "remove", { name: "Birch" }, { id: "r1" });
  }

  it("GIVEN the data set THEN the Q4 report shows each sponsor's R_t, E_t and impressions", async () => {
    await dataSet();
    const r = await sponsorCommand(t, "report");
    expect(r.ephemeral).toBe(true);
    expect(r.title).toBe("Sponsor report 2026-Q4");
    expect(text(r)).toBe(
      [
        "2026-Q4 (2026-10-01 – 2026-12-31, America/New_York):",
        "• Acme (gold): this quarter 399.01 USD · E 1,400.00 USD · 2 impressions (2 digest, 0 own schedule)",
        "• Birch (silver, removed): this quarter 250.00 USD · E 250.00 USD · 1 impression (1 digest, 0 own schedule)",
        "• Cedar (bronze): this quarter 0.00 USD · E 0.00 USD · 0 impressions (0 digest, 0 own schedule)",
      ].join("\n"),
    );
    expect(r.footer).toBe("E_t = E_{t−1} + β·R_t with β = 1: R_t is a quarter's net contributions, E_t the running total up to 2026-Q4.");
  });

  it("GIVEN a past quarter THEN only what was on record by then counts, in the community's timezone", async () => {
    await dataSet();
    expect(text(await sponsorCommand(t, "report", { quarter: "2026-q3" }))).toBe(
      ["2026-Q3 (2026-07-01 – 2026-09-30, America/New_York):", "• Acme (gold): this quarter 1,000.99 USD · E 1,000.99 USD · 0 impressions (0 digest, 0 own schedule)"].join("\n"),
    );
    expect(text(await sponsorCommand(t, "report", { quarter: "2026-Q2" }))).toBe("2026-Q2 (2026-04-01 – 2026-06-30, America/New_York):\nNo sponsors had anything on record by then.");
  });

  it("GIVEN β = 0.5 THEN E_t = E_{t−1} + β·R_t weighs every quarter by it", async () => {
    await dataSet();
    await configure(t, { "sponsors.beta": "0.5" });
    // E_Q3 = 0.5 × 1000.99 = 500.495 → 500.50 shown; E_Q4 = 500.495 + 0.5 × 399.01 = 700.00.
    expect(text(await sponsorCommand(t, "report", { quarter: "2026-Q3" }))).toContain("E 500.50 USD");
    expect(text(await sponsorCommand(t, "report"))).toContain("• Acme (gold): this quarter 399.01 USD · E 700.00 USD");
  });

  it("GIVEN every command of the data set replayed THEN the ledger and the report are unchanged", async () => {
    await dataSet();
    const before = text(await sponsorCommand(t, "report"));
    const ledger = await t.db.kysely.selectFrom("sponsor_contributions").selectAll().orderBy("key").execute();
    t.clock.set("2026-12-01T12:00:00Z");
    for (const [id, options] of [["c1", { name: "Acme", amount: "1000" }], ["c3", { name: "Acme", amount: "500", note: "renewal" }], ["c4", { name: "Acme", amount: "-100.99", note: "refund" }], ["c5", { name: "Birch", amount: "250" }]] as const) {
      expect(text(await sponsorCommand(t, "contribute", options, { id }))).toMatch(/^That contribution was already recorded/);
    }
    expect(text(await sponsorCommand(t, "remove", { name: "Birch" }, { id: "r1" }))).toBe("That was already done: Birch is removed.");
    expect(await t.db.kysely.selectFrom("sponsor_contributions").selectAll().orderBy("key").execute()).toEqual(ledger);
    expect(text(await sponsorCommand(t, "report", { quarter: "2026-Q4" }))).toBe(before);
  });
});

describe("ledgerReport (pure)", () => {
  it("GIVEN rows in two currencies THEN each is summed on its own, never converted", () => {
    const lines = ledgerReport(
      [{ id: "a", name: "Acme", tier: "gold", status: "active", addedIn: "2026-Q1" }],
      [
        { sponsor_id: "a", amount: 100, currency: "USD", quarter: "2026-Q1" },
        { sponsor_id: "a", amount: 7, currency: "JPY", quarter: "2026-Q2" },
        { sponsor_id: "a", amount: 50, currency: "USD", quarter: "2026-Q2" },
      ],
      [],
      "2026-Q2",
      2,
    );
    expect(lines[0]!.quarter).toEqual(new Map([["JPY", 7], ["USD", 50]]));
    expect(lines[0]!.cumulative).toEqual(new Map([["USD", 300], ["JPY", 14]]));
  });
});
