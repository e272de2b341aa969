import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { markupResolvers, parseCommandText } from "../../src/adapters/shared/command-text.js";
import { plainText } from "../../src/core/reply.js";

/** The parse result with its error as a reader sees it (echoed text is member text). */
const readable = (r: ReturnType<typeof parseCommandText>) => (r.ok ? r : { ok: false, error: plainText(r.error) });

const slack = markupResolvers({ platform: "slack", workspaceId: "T1" });
const terminal = markupResolvers({ platform: "console", workspaceId: "local" });
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
    const parsed = readable(parseCommandText(byName("leaderboard"), "week 5 extra", slack));
    expect(parsed).toEqual({ ok: false, error: "Too many values: `extra` has no option to go to.\nUsage: /leaderboard [week|month|all] [limit]" });
  });

  it("GIVEN an unknown verb THEN the error lists the verbs", () => {
    expect(readable(parseCommandText(byName("config"), "delete everything", slack))).toEqual({
      ok: false,
      error: "`delete` is not a verb of /config. Use one of:\n/config show\n/config set <key> [value]\n/config link\n/config join <code>",
    });
  });

  it("GIVEN extra words that imitate markup THEN the error echoes them as member text", () => {
    const parsed = parseCommandText(byName("leaderboard"), "week 5 ⟦m:slack:T1:U1|x⟧", slack);
    expect(parsed.ok ? "" : parsed.error).not.toContain("⟦m:");
  });

  it("GIVEN an open quote THEN it says so", () => {
    expect(parseCommandText(byName("thanks"), '<@U1> "unfinished', slack)).toMatchObject({ ok: false, error: expect.stringContaining("A quote is not closed") });
  });

  it("GIVEN an open quote in a command with verbs THEN the usage lines are aligned, and the verb's own usage is shown when named", () => {
    expect(parseCommandText(byName("config"), '"open', slack)).toEqual({
      ok: false,
      error: "A quote is not closed.\nUsage: /config show\n       /config set <key> [value]\n       /config link\n       /config join <code>",
    });
    expect(parseCommandText(byName("config"), 'set timezone "Europe', slack)).toEqual({ ok: false, error: "A quote is not closed.\nUsage: /config set <key> [value]" });
  });

  describe("name:value and the rest of the line", () => {
    it("GIVEN reason:… as the last text option THEN it takes the rest of the line, on Slack and in the console", () => {
      expect(parseCommandText(byName("thanks"), "member:@carol reason:nice work", terminal)).toEqual({
        ok: true,
        options: { member: { id: "console:local:carol", displayName: "carol" }, reason: "nice work" },
      });
      expect(parseCommandText(byName("thanks"), "<@U2|carol> reason:for the great review", slack)).toEqual({
        ok: true,
        options: { member: { id: "slack:T1:U2", displayName: "carol" }, reason: "for the great review" },
      });
    });

    it("GIVEN the text option by name before another name:value THEN it takes the words up to that one", () => {
      expect(parseCommandText(byName("thanks"), "reason:nice work member:<@U2>", slack)).toEqual({ ok: true, options: { reason: "nice work", member: { id: "slack:T1:U2" } } });
    });

    it('GIVEN name:"quoted text" THEN the quotes keep it together and end it', () => {
      expect(parseCommandText(byName("config"), 'set key:timezone value:"Europe/Berlin"', slack)).toEqual({ ok: true, subcommand: "set", options: { key: "timezone", value: "Europe/Berlin" } });
      expect(parseCommandText(byName("thanks"), 'reason:"two words" @carol', terminal)).toMatchObject({ ok: true, options: { reason: "two words", member: { id: "console:local:carol" } } });
    });

    it("GIVEN a name:value for an option that is not text THEN it takes one word, as before", () => {
      expect(parseCommandText(byName("leaderboard"), "limit:3 week", slack)).toEqual({ ok: true, options: { period: "week", limit: 3 } });
    });
  });

  it("GIVEN a number too long to be exact THEN it is passed on as typed, so the error echoes what was typed", () => {
    expect(parseCommandText(byName("leaderboard"), "week 100000000000000000000000", slack)).toEqual({ ok: true, options: { period: "week", limit: "100000000000000000000000" } });
  });

  describe("a member option is a mention, never a typed id", () => {
    it.each([
      ["slack:T1:UFAKE0001", slack],
      ["discord:1:2", slack],
      ["console:local:bob", terminal],
      ["slack:T1:\u202eU0ADA", slack],
      ["U0FAKE", slack],
    ])("GIVEN %j typed as the member THEN it stays text for validation to refuse", (typed, refs) => {
      expect(parseCommandText(byName("thanks"), `${typed} thanks`, refs)).toEqual({ ok: true, options: { member: typed, reason: "thanks" } });
    });

    it("GIVEN console names in any script THEN @name is a member", () => {
      expect(parseCommandText(byName("points"), "@日本", terminal)).toEqual({ ok: true, options: { member: { id: "console:local:日本", displayName: "日本" } } });
    });
  });
});
