import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../../src/engine/communities/settings.js";
import { evaluate, parseSample } from "../../../src/engine/moderation/quality-eval.js";

const SAMPLE = fs.readFileSync(new URL("../../../data/quality-sample.jsonl", import.meta.url), "utf8");

describe("the labelled sample (npm run eval:quality)", () => {
  it("GIVEN the shipped sample THEN it has at least 300 messages and meets the targets: false-positive rate < 3 %, recall > 80 %", () => {
    const sample = parseSample(SAMPLE);
    expect(sample.length).toBeGreaterThanOrEqual(300);
    const result = evaluate(sample, defaultSettings().moderation);
    expect(result.overall.falsePositiveRate).toBeLessThan(0.03);
    expect(result.overall.recall).toBeGreaterThan(0.8);
    expect(result.nonEnglishGood.good).toBeGreaterThanOrEqual(40);
    expect(result.nonEnglishGood.falsePositiveRate).toBeLessThan(0.03);
    expect(result.codeGood.falsePositiveRate).toBeLessThan(0.03);
  });

  it("GIVEN a bad line THEN the error names the line and what is expected", () => {
    expect(() => parseSample('{"text":"hi","label":"good"}\nnot json')).toThrow("line 2: not JSON");
    expect(() => parseSample('{"text":"hi","label":"meh"}')).toThrow(/line 1: expected \{"text": string, "label": "good" \| "low"\}/);
  });
});
