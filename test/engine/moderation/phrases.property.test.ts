import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchPhrase, phraseOnly } from "../../../src/engine/moderation/quality/phrases.js";

/**
 * phraseOnly refuses most messages by their first word before any regular expression runs; that
 * shortcut must never change an answer. Texts are built from the phrases' own words, padding,
 * edges, mentions and other scripts, so a good share of them are phrases.
 */
const fragments = ["+1", "same", "problem", "here", "thanks", "thank", "you", "so", "much", "bump", "any", "one", "update", "!", "?", "...", "…", "🙏", "@bob", "<@123>", "<#9>", "ty", "thx", "Merci", "DANKE", "schön", "谢谢", "pls", "help", "^", "+", "1", "me", "too", "2", "doesn't", "work", ",", ".", "Here", "is", "how", "anyone?", "hi", "ok", "é", "Ünï", "\u00a0", "+1!", "THANKS!!"];
const text = fc
  .array(fc.tuple(fc.constantFrom(...fragments), fc.constantFrom(" ", "", "  ", "\t", "\n")), { minLength: 1, maxLength: 7 })
  .map((parts) => parts.map(([word, gap]) => word + gap).join(""));

describe("phraseOnly's quick refusal", () => {
  it("GIVEN any text of phrase words, edges and mentions THEN it answers as the full look-up does", () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 })), (t) => {
        const full = t.length > 48 ? undefined : matchPhrase(t);
        const quick = phraseOnly(t);
        // phraseOnly also refuses long texts (over 48 characters or 6 words) before either runs.
        if (quick !== undefined) expect(quick).toBe(full);
        if (full !== undefined && t.split(/\s+/).filter(Boolean).length <= 6) expect(quick).toBe(full);
      }),
      { numRuns: 20_000 },
    );
  });

  it("GIVEN ordinary short messages THEN they are refused, and real phrases still found", () => {
    expect(phraseOnly("Here is how I solved it")).toBeUndefined();
    expect(phraseOnly("Good point, and also…")).toBeUndefined();
    expect(phraseOnly("same problem here!!")).toBe("filler");
    expect(phraseOnly("+1")).toBe("filler");
    expect(phraseOnly("any one")).toBe("filler");
    expect(phraseOnly("Thanks!")).toBe("thanks");
    expect(phraseOnly("@bob thank you so much 🙏")).toBe("thanks");
  });
});
