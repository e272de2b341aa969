import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { markupResolvers, parseCommandText } from "../../src/adapters/shared/command-text.js";

const slack = markupResolvers({ platform: "slack", workspaceId: "T1" });
const byName = (name: string) => commands.find((c) => c.name === name)!;

describe("parsing command text (Slack and console)", () => {
  it("GIVEN positional values THEN they fill options in declared order, typed", () => {
    expect(parseCommandText(byName("leaderboard"), "month 5", slack)).toEqual({ ok: true, options: { period: "month", limit: 5 } });
  });

  it("GIVEN name:value THEN it sets that option wherever it stands", () => {
    expect(parseCommandText(byName("leaderboard"), "limit:3 ALL", slack)).toEqual({ ok: true, options: { period: "all", limit: 3 } });
  });

  it("GIVEN a Slack mention and free text THEN the member is resolved and the last text option takes the rest", () => {
    expect(parseCommandText(byName("thanks"), "<@U123|ada> for the great answer", slack)).toEqual({
      ok: true,
      options: { member: { id: "slack:T1:U123", displayName: "ada" }, reason: "for the great answer" },
    });
  });

  it("GIVEN a verb first THEN it picks the subcommand; quotes keep spaces", () => {
    expect(parseCommandText(byName("config"), 'set timezone "Europe/Berlin"', slack)).toEqual({
      ok: true,
      subcommand: "set",
      options: { key: "timezone", value: "Europe/Berlin" },
    });
  });

  it("GIVEN mention markup with spaces in the name THEN it stays one token", () => {
    const parsed = parseCommandText(byName("config"), "set roles.moderators <!subteam^S1|@core mods> <@U2>", slack);
    expect(parsed).toMatchObject({ ok: true, options: { value: "<!subteam^S1|@core mods> <@U2>" } });
  });

  it("GIVEN a value that is not of the option's kind THEN it is passed on as text for validation to name", () => {
    expect(parseCommandText(byName("leaderboard"), "week lots", slack)).toEqual({ ok: true, options: { period: "week", limit: "lots" } });
    expect(parseCommandText(byName("thanks"), "ada", slack)).toEqual({ ok: true, options: { member: "ada" } });
  });

  it("GIVEN too many values THEN the error shows the usage", () => {
    const parsed = parseCommandText(byName("leaderboard"), "week 5 extra", slack);
    expect(parsed).toEqual({ ok: false, error: "Too many values: `extra` has no option to go to.\nUsage: /leaderboard [week|month|all] [limit]" });
  });

  it("GIVEN an unknown verb THEN the error lists the verbs", () => {
    expect(parseCommandText(byName("config"), "delete everything", slack)).toEqual({
      ok: false,
      error: "`delete` is not a verb of /config. Use one of:\n/config show\n/config set <key> [value]\n/config link\n/config join <code>",
    });
  });

  it("GIVEN an open quote THEN it says so", () => {
    expect(parseCommandText(byName("thanks"), '<@U1> "unfinished', slack)).toMatchObject({ ok: false, error: expect.stringContaining("A quote is not closed") });
  });
});
