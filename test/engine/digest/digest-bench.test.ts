import { describe, expect, it } from "vitest";
import { benchDigest } from "../../../bench/digest.js";

describe("bench/digest.ts", () => {
  it("GIVEN a small synthetic community THEN one digest is built and its time and longest stall are reported", async () => {
    const result = await benchDigest({ members: 20_000 });
    expect(result.members).toBe(20_000);
    expect(result.ms).toBeGreaterThan(0);
    expect(result.longestStallMs).toBeGreaterThan(0);
    console.log(`digest bench at 20 000 members: ${result.ms.toFixed(0)} ms, longest stall ${result.longestStallMs.toFixed(1)} ms (setup ${result.setupMs.toFixed(0)} ms)`);
  }, 60_000);
});
