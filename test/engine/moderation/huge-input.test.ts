import { describe, expect, it } from "vitest";
import { bannedWords } from "../../../src/engine/moderation/quality/banned-words.js";
import { scoreMessage } from "../../../src/engine/moderation/quality/score.js";

const banned = bannedWords(["spamcoin"]);
const score = (text: string) => scoreMessage({ text, mentions: 0, repeats: 0, otherChannels: 0, banned });

describe("the scorer on huge and odd input (it runs on the hot path)", () => {
  it("GIVEN 40 000-character messages built to make regular expressions backtrack THEN each scores in linear time", () => {
    // Before: a Slack-sized message of dots took ~2.6 s (an operator-then-bracket pattern scanned to
    // the end from every dot), "<@" repeated ~1.5 s, "http://" repeated ~0.8 s — the write queue stalls.
    const texts = [".".repeat(40_000), "=".repeat(40_000), ". ".repeat(20_000), "<@".repeat(20_000), "<!".repeat(20_000), "http://".repeat(5_700), "a.b".repeat(13_000)];
    const started = performance.now();
    for (const t of texts) expect(score(t).q).toBeGreaterThanOrEqual(0);
    // Generous (a loaded 2-core machine): all seven took ~11 s before, a few ms after.
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("GIVEN a banned word past the scored part of a huge message THEN it still flags", () => {
    expect(score(`${"fine words here ".repeat(3_000)} buy spamcoin`).hard).toContain("banned-word");
  });

  it("GIVEN empty, whitespace-only, lone-surrogate and control-character text THEN it scores without throwing", () => {
    for (const t of ["", "   \n\t ", "\ud800\udfff\ud800", "\u0000\u202e\u200b", "⟦l:x⟧ ⟦m:y|z⟧"]) {
      const s = score(t);
      expect(s.q).toBeGreaterThanOrEqual(0);
      expect(s.q).toBeLessThanOrEqual(1);
    }
  });
});
