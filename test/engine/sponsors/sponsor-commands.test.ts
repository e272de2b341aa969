import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { member } from "../../helpers/events.js";
import { addSponsor, configure, sponsorCommand, text } from "./harness.js";

/**
 * `/sponsor …` for organizers: what each verb writes, that a replayed interaction writes nothing
 * more, that history is never deleted, that bad input is refused privately naming what is
 * accepted, and that members who don't organise are refused.
 */
describe.each(dialects)("/sponsor commands on %s", (dialect) => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await testEngine({ dialect, start: "2026-11-26T12:00:00Z" });
  });
  afterEach(() => t.close());

  const rows = (table: "sponsors" | "sponsor_contributions" | "sponsor_changes" | "sponsor_impressions") => t.db.kysely.selectFrom(table).selectAll().execute();

  it("GIVEN a sponsor added THEN /sponsor list shows it with its tier's period and a replayed add writes nothing more", async () => {
    const add = { name: "Acme Corp", url: "https://acme.example/about", tier: "gold", blurb: "Tools for builders" };
    expect(text(await sponsorCommand(t, "add", add, { id: "add-1" }))).toBe("Added Acme Corp (gold, every week in the rotation).");
    expect(text(await sponsorCommand(t, "add", add, { id: "add-1" }))).toBe("That was already done: Acme Corp (gold, every week in the rotation).");
    expect(await rows("sponsors")).toHaveLength(1);
    expect(await rows("sponsor_changes")).toHaveLength(1);
    const list = await sponsorCommand(t, "list");
    expect(list.ephemeral).toBe(true);
    expect(text(list)).toBe("• Acme Corp — gold, every week — Tools for builders https://acme.example/about · not shown yet");
  });

  it("GIVEN an active sponsor added again with a new tier THEN it is updated in place and the change is recorded", async () => {
    await addSponsor(t, "Acme", "bronze");
    expect(text(await sponsorCommand(t, "add", { name: "acme", url: "https://acme.example/new", tier: "gold", blurb: "Now gold" }))).toBe("Updated acme (gold, every week in the rotation).");
    expect(text(await sponsorCommand(t, "add", { name: "acme", url: "https://acme.example/new", tier: "gold", blurb: "Now gold" }))).toBe("acme (gold, every week in the rotation) is already a sponsor, just like that.");
    expect((await rows("sponsors")).map((s) => [s.name, s.tier, s.url])).toEqual([["acme", "gold", "https://acme.example/new"]]);
    expect((await rows("sponsor_changes")).map((c) => c.action).sort()).toEqual(["added", "updated"]);
  });

  it("GIVEN a sponsor removed THEN its row and contributions stay, the list says so, and adding it again brings it back", async () => {
    await addSponsor(t, "Acme", "silver");
    await sponsorCommand(t, "contribute", { name: "Acme", amount: "100" });
    expect(text(await sponsorCommand(t, "remove", { name: "acme" }))).toMatch(/^Removed Acme\. Its contributions and impressions stay on record/);
    expect(text(await sponsorCommand(t, "remove", { name: "Acme" }))).toBe("Acme was already removed.");
    expect((await rows("sponsors")).map((s) => s.status)).toEqual(["removed"]);
    expect(await rows("sponsor_contributions")).toHaveLength(1);
    expect(text(await sponsorCommand(t, "list"))).toBe("Removed (history kept): Acme");
    expect(text(await sponsorCommand(t, "add", { name: "ACME", url: "https://acme.example", tier: "gold", blurb: "Back" }))).toBe("ACME (gold, every week in the rotation) is a sponsor again; its history was kept.");
    expect((await rows("sponsor_changes")).map((c) => c.action).sort()).toEqual(["added", "readded", "removed"]);
  });

  it("GIVEN a contribution replayed THEN the ledger holds it once, and a correction is a new negative row", async () => {
    await addSponsor(t, "Acme", "gold");
    const first = await sponsorCommand(t, "contribute", { name: "Acme", amount: "250.5", note: "Q4 invoice" }, { id: "pay-1" });
    expect(text(first)).toBe("Recorded 250.50 USD from Acme in 2026-Q4. Their total: 250.50 USD.");
    expect(text(await sponsorCommand(t, "contribute", { name: "Acme", amount: "250.5", note: "Q4 invoice" }, { id: "pay-1" }))).toBe(
      "That contribution was already recorded (250.50 USD from Acme in 2026-Q4). Their total: 250.50 USD.",
    );
    expect(text(await sponsorCommand(t, "contribute", { name: "Acme", amount: "-50" }, { id: "fix-1" }))).toBe("Recorded −50.00 USD correction for Acme in 2026-Q4. Their total: 200.50 USD.");
    const ledger = await t.db.kysely.selectFrom("sponsor_contributions").select(["key", "amount", "currency", "quarter", "note"]).orderBy("at").orderBy("amount", "desc").execute();
    expect(ledger).toEqual([
      { key: "discord:interaction:pay-1", amount: 25050, currency: "USD", quarter: "2026-Q4", note: "Q4 invoice" },
      { key: "discord:interaction:fix-1", amount: -5000, currency: "USD", quarter: "2026-Q4", note: "" },
    ]);
  });

  it("GIVEN a correction bigger than the total THEN it is refused and nothing is written", async () => {
    await addSponsor(t, "Acme", "gold");
    await sponsorCommand(t, "contribute", { name: "Acme", amount: "10" });
    const r = await sponsorCommand(t, "contribute", { name: "Acme", amount: "-10.01" });
    expect(r.ephemeral).toBe(true);
    expect(r.tone).toBe("error");
    expect(text(r)).toBe("A correction of −10.01 USD would take Acme's total below zero: it stands at 10.00 USD. A correction can take back at most that.");
    expect(await rows("sponsor_contributions")).toHaveLength(1);
  });

  it.each([
    ["add", { name: "Acme", url: "javascript:alert(1)", tier: "gold", blurb: "x" }, "`javascript:alert(1)` is not a link: give an http or https address such as https://acme.example (no user name or password, at most 300 characters)."],
    ["add", { name: "Acme", url: "ftp://acme.example", tier: "gold", blurb: "x" }, "`ftp://acme.example` is not a link: give an http or https address such as https://acme.example (no user name or password, at most 300 characters)."],
    ["add", { name: "Acme", url: "https://bank.example@evil.example", tier: "gold", blurb: "x" }, "`https://bank.example@evil.example` is not a link: give an http or https address such as https://acme.example (no user name or password, at most 300 characters)."],
    ["add", { name: "Ac\u202Eme", url: "https://acme.example", tier: "gold", blurb: "x" }, "`Ac\u202Eme` is not a sponsor name: give 1–60 characters on one line."],
    ["add", { name: "Acme", url: "https://acme.example", tier: "platinum", blurb: "x" }, /`tier`.*one of: gold, silver, bronze/s],
    ["add", { name: "A".repeat(61), url: "https://acme.example", tier: "gold", blurb: "x" }, /`name`.*text of 1–60 characters/s],
    ["contribute", { name: "Acme", amount: "12.345" }, "`12.345` is not an amount: expected an amount in USD like 250 or 250.50 (at most 2 decimals), greater than 0 and at most 10,000,000 — or below 0 for a correction; no thousands separators or currency signs."],
    ["contribute", { name: "Acme", amount: "0" }, /^`0` is not an amount: expected an amount in USD/],
    ["contribute", { name: "Acme", amount: "1,000" }, /^`1,000` is not an amount/],
    ["contribute", { name: "Acme", amount: "$5" }, /^`\$5` is not an amount/],
    ["contribute", { name: "Nobody", amount: "5" }, "There is no sponsor called “Nobody”. Sponsors: Acme."],
    ["report", { quarter: "2026-Q5" }, "`2026-Q5` is not a quarter: expected a year and quarter such as 2026-Q4 (Q1 to Q4)."],
    ["remove", { name: "Nobody" }, "There is no sponsor called “Nobody”. Sponsors: Acme."],
  ])("GIVEN /sponsor %s with %j THEN it is refused privately, saying what is accepted", async (verb, options, expected) => {
    await addSponsor(t, "Acme", "gold");
    const before = { sponsors: await rows("sponsors"), ledger: await rows("sponsor_contributions") };
    const r = await sponsorCommand(t, verb, options);
    expect(r.ephemeral).toBe(true);
    expect(r.tone).toBe("error");
    if (typeof expected === "string") expect(text(r)).toBe(expected);
    else expect(text(r)).toMatch(expected);
    expect(await rows("sponsors")).toEqual(before.sponsors);
    expect(await rows("sponsor_contributions")).toEqual(before.ledger);
  });

  it("GIVEN a schedule too frequent or not cron THEN it is refused naming the accepted form", async () => {
    await configure(t, { "channels.announcements": "<#900>" });
    await addSponsor(t, "Acme", "gold");
    for (const schedule of ["0 9,10 * * *", "every monday", "0 9 * *"]) {
      const r = await sponsorCommand(t, "schedule", { name: "Acme", schedule });
      expect(r.tone).toBe("error");
      expect(text(r)).toMatch(/expected a 5-field cron expression read in the community's timezone .* at most once a day; or "none" to stop it\.$/);
    }
    expect((await rows("sponsors"))[0]!.schedule).toBeNull();
  });

  it("GIVEN no announcements channel THEN /sponsor schedule is refused saying how to set one", async () => {
    await addSponsor(t, "Acme", "gold");
    const r = await sponsorCommand(t, "schedule", { name: "Acme", schedule: "0 10 * * 3" });
    expect(text(r)).toMatch(/announcements channel, which isn't set: an admin can set it with `\/config set channels.announcements #channel`/);
  });

  it("GIVEN what an organizer typed holds markup and mentions THEN replies show it literally", async () => {
    const r = await sponsorCommand(t, "add", { name: "@everyone **Acme**", url: "https://acme.example", tier: "bronze", blurb: "<@123> [click](https://evil.example)" });
    // Only inside literal tokens, which every renderer escapes: never as markup or a mention.
    expect(r.text).toContain("⟦l:@everyone **Acme**⟧");
    expect(r.text.replace(/⟦l:[^⟧]*⟧/g, "")).not.toMatch(/@|\*\*/);
    const list = await sponsorCommand(t, "list");
    expect(list.text).toContain("⟦l:<@123> [click](https://evil.example)⟧");
  });

  it("GIVEN a link with markdown characters THEN it is shown percent-encoded, so no renderer's escaping lands inside it", async () => {
    await sponsorCommand(t, "add", { name: "Acme", url: "https://acme.example/my_page*(1)?q=a~b", tier: "gold", blurb: "x" });
    expect(text(await sponsorCommand(t, "list"))).toContain("https://acme.example/my%5Fpage%2A%281%29?q=a%7Eb");
    expect((await rows("sponsors"))[0]!.url).toBe("https://acme.example/my_page*(1)?q=a~b");
  });

  it("GIVEN a member who doesn't organise THEN every /sponsor verb is refused and nothing is written", async () => {
    const bob = member("bob");
    for (const [verb, options] of [
      ["add", { name: "Acme", url: "https://acme.example", tier: "gold", blurb: "x" }],
      ["list", {}],
      ["remove", { name: "Acme" }],
      ["contribute", { name: "Acme", amount: "5" }],
      ["schedule", { name: "Acme", schedule: "0 10 * * 3" }],
      ["report", {}],
    ] as const) {
      const r = await sponsorCommand(t, verb, options, { by: bob });
      expect(r.ephemeral).toBe(true);
      expect(text(r)).toBe(`Only organizers can use /sponsor ${verb}.`);
    }
    expect(await rows("sponsors")).toEqual([]);
  });

  it("GIVEN a member listed in roles.organizers THEN they may add sponsors", async () => {
    await configure(t, { "roles.organizers": "<@4242>" });
    const r = await sponsorCommand(t, "add", { name: "Acme", url: "https://acme.example", tier: "gold", blurb: "x" }, { by: member("4242") });
    expect(text(r)).toBe("Added Acme (gold, every week in the rotation).");
  });
});
