import fc from "fast-check";
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { previewShoutOut } from "../../../src/engine/sponsors/sponsors.service.js";
import { pickSponsor, type RotationCandidate, stretch } from "../../../src/engine/sponsors/rotation.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { addSponsor, community, configure, shoutOut } from "./harness.js";

/**
 * The rotation, proved two ways: 52 weekly digests through `nextShoutOut` on a real database (every
 * sponsor within its period, none passed over when due, counts in proportion to the tiers, each
 * slot recorded once), and the pure rule over many random sets of sponsors.
 */

/** The Mondays 09:00 (Europe/Berlin) of 52 ISO weeks from 2027-W01, with their digest slot keys. */
const weeks = Array.from({ length: 52 }, (_, i) => {
  const local = DateTime.fromISO("2027-01-04T09:00", { zone: "Europe/Berlin" }).plus({ weeks: i });
  return { key: `digest:${local.weekYear}-W${String(local.weekNumber).padStart(2, "0")}`, at: local.toJSDate() };
});

/**
 * Checks a year of picks (weeks 0–51; the sponsors became active `joined` weeks before week 0):
 * how late each was first shown, the longest gap after that (the year's end included), and the
 * weeks a sponsor was due — its period gone by since it was last shown — but passed over.
 */
function audit(shown: Record<string, number[]>, periods: Record<string, number>, joined: number) {
  const first: Record<string, number> = {};
  const gaps: Record<string, number> = {};
  const skippedWhenDue: string[] = [];
  const skippedTwice: string[] = [];
  for (const [name, period] of Object.entries(periods)) {
    const at = shown[name] ?? [];
    first[name] = at.length ? at[0]! + joined : Infinity;
    gaps[name] = Math.max(52 - at.at(-1)!, ...at.slice(1).map((w, i) => w - at[i]!));
    let run = 0;
    for (let w = at[0]! + 1; w < 52; w++) {
      const last = Math.max(...at.filter((x) => x < w));
      if (at.includes(w)) run = 0;
      else if (w - last >= period) {
        skippedWhenDue.push(`${name}@${w}`);
        if (++run >= 2) skippedTwice.push(`${name}@${w}`);
      }
    }
  }
  return { first, gaps, skippedTwice, skippedWhenDue };
}

/** The sponsors are added on Sunday 2026-12-20 (ISO week 2026-W51): three weeks before 2027-W01. */
const JOINED = 3;

describe.each(dialects)("the digest's rotation over 52 weeks on %s", (dialect) => {
  let t: TestEngine;
  afterEach(() => t.close());

  async function year(): Promise<Record<string, number[]>> {
    const shown: Record<string, number[]> = {};
    for (const [i, slot] of weeks.entries()) {
      const s = await shoutOut(t, slot.key, slot.at);
      (shown[s!.name] ??= []).push(i);
    }
    return shown;
  }

  it("GIVEN one gold, one silver and two bronze sponsors (demand 2 a week) THEN periods stretch ×2 and every sponsor is shown every 2, 4 and 8 weeks exactly", async () => {
    t = await testEngine({ dialect, start: "2026-12-20T12:00:00Z" });
    await configure(t, { timezone: "Europe/Berlin" });
    for (const [name, tier] of [["Acme", "gold"], ["Birch", "silver"], ["Cedar", "bronze"], ["Dune", "bronze"]] as const) await addSponsor(t, name, tier);
    const shown = await year();
    const periods = { Acme: 2, Birch: 4, Cedar: 8, Dune: 8 };
    const { first, gaps, skippedTwice, skippedWhenDue } = audit(shown, periods, JOINED);
    for (const [name, p] of Object.entries(periods)) {
      // A new sponsor's first window may be under way when it is added: shown within two periods.
      expect(first[name], name).toBeLessThan(2 * p);
      expect(gaps[name], name).toBeLessThanOrEqual(p);
    }
    expect(skippedTwice).toEqual([]);
    expect(skippedWhenDue).toEqual([]);
    // In proportion to the tiers, 4 : 2 : 1 : 1 — 52 weeks hold 26, 13, 6.5 and 6.5 — give or take
    // the first window, which was under way when they were added.
    for (const [name, p] of Object.entries(periods)) expect(Math.abs(shown[name]!.length - 52 / p), name).toBeLessThanOrEqual(1);
    expect(await t.db.kysely.selectFrom("sponsor_impressions").selectAll().execute()).toHaveLength(52);
  });

  it("GIVEN tiers of 2, 4 and 8 weeks with room to spare THEN each is within its period, the spare weeks go to the most overdue, and counts follow the tiers", async () => {
    t = await testEngine({ dialect, start: "2026-12-20T12:00:00Z" });
    await configure(t, { timezone: "Europe/Berlin", "sponsors.goldWeeks": "2", "sponsors.silverWeeks": "4", "sponsors.bronzeWeeks": "8" });
    for (const [name, tier] of [["Acme", "gold"], ["Birch", "silver"], ["Cedar", "bronze"]] as const) await addSponsor(t, name, tier);
    const shown = await year();
    const { first, gaps, skippedTwice, skippedWhenDue } = audit(shown, { Acme: 2, Birch: 4, Cedar: 8 }, JOINED);
    expect(Math.max(first.Acme! / 2, first.Birch! / 4, first.Cedar! / 8)).toBeLessThan(2);
    expect(gaps.Acme).toBeLessThanOrEqual(2);
    expect(gaps.Birch).toBeLessThanOrEqual(4);
    expect(gaps.Cedar).toBeLessThanOrEqual(8);
    expect(skippedTwice).toEqual([]);
    expect(skippedWhenDue).toEqual([]);
    const counts = Object.fromEntries(Object.entries(shown).map(([n, w]) => [n, w.length]));
    // Demand 7/8 a week: the 52 slots split about 4 : 2 : 1 (29.7, 14.9, 7.4).
    expect(counts.Acme! + counts.Birch! + counts.Cedar!).toBe(52);
    expect(counts.Acme).toBeGreaterThanOrEqual(26);
    expect(counts.Birch).toBeGreaterThanOrEqual(13);
    expect(counts.Cedar).toBeGreaterThanOrEqual(7);
    expect(counts.Acme! / counts.Cedar!).toBeGreaterThanOrEqual(3.5);
    expect(counts.Acme! / counts.Cedar!).toBeLessThanOrEqual(4.5);
  });

  it("GIVEN a slot shown, replayed and previewed THEN it is the same sponsor, recorded once; a preview of the next slot records nothing and is what the slot then shows", async () => {
    t = await testEngine({ dialect, start: "2026-12-20T12:00:00Z" });
    for (const [name, tier] of [["Acme", "gold"], ["Birch", "silver"], ["Cedar", "bronze"]] as const) await addSponsor(t, name, tier);
    const first = await shoutOut(t, weeks[0]!.key, weeks[0]!.at);
    for (let i = 0; i < 3; i++) expect(await shoutOut(t, weeks[0]!.key, weeks[0]!.at)).toEqual(first);
    const c = await community(t);
    expect(await previewShoutOut(t.db.kysely, c, weeks[0]!)).toEqual(first);
    const preview = await previewShoutOut(t.db.kysely, c, weeks[1]!);
    expect(await previewShoutOut(t.db.kysely, c, weeks[1]!)).toEqual(preview);
    expect(await t.db.kysely.selectFrom("sponsor_impressions").selectAll().execute()).toHaveLength(1);
    expect(await shoutOut(t, weeks[1]!.key, weeks[1]!.at)).toEqual(preview);
    expect(await t.db.kysely.selectFrom("sponsor_impressions").select(["slot_key", "source"]).orderBy("slot_key").execute()).toEqual([
      { slot_key: "digest:2027-W01", source: "rotation" },
      { slot_key: "digest:2027-W02", source: "rotation" },
    ]);
  });

  it("GIVEN two writers racing for one slot THEN one impression stands and both return its sponsor", async () => {
    t = await testEngine({ dialect, start: "2026-12-20T12:00:00Z" });
    for (const [name, tier] of [["Acme", "gold"], ["Birch", "gold"]] as const) await addSponsor(t, name, tier);
    const [a, b] = await Promise.all([shoutOut(t, "digest:2027-W01", weeks[0]!.at), shoutOut(t, "digest:2027-W01", weeks[0]!.at)]);
    expect(a).toEqual(b);
    expect(await t.db.kysely.selectFrom("sponsor_impressions").selectAll().execute()).toHaveLength(1);
  });

  it("GIVEN no sponsors, or only removed ones THEN there is no shout-out and nothing is recorded", async () => {
    t = await testEngine({ dialect, start: "2026-12-20T12:00:00Z" });
    expect(await shoutOut(t, weeks[0]!.key, weeks[0]!.at)).toBeUndefined();
    await addSponsor(t, "Acme", "gold");
    await t.engine.command({ kind: "command", key: "rm", at: new Date(), place: { platform: "discord", workspaceId: "g1", channelId: "general" }, actor: (await import("./harness.js")).admin, name: "sponsor", subcommand: "remove", options: { name: "Acme" } });
    expect(await shoutOut(t, weeks[1]!.key, weeks[1]!.at)).toBeUndefined();
    expect(await t.db.kysely.selectFrom("sponsor_impressions").selectAll().execute()).toEqual([]);
  });
});

describe("the rotation rule (pure), over random sets of sponsors", () => {
  const periodsArb = fc.array(fc.constantFrom(1, 2, 4, 8, 16), { minLength: 1, maxLength: 9 });

  /** Runs `weeks` slots from week 0 with every sponsor active since before it; returns the weeks each was shown. */
  function run(periods: number[], weeksToRun: number, startWeek = 0): number[][] {
    const shown = periods.map(() => [] as number[]);
    for (let w = startWeek; w < startWeek + weeksToRun; w++) {
      const candidates: RotationCandidate[] = periods.map((p, i) => ({
        id: `s${i}`,
        name: `s${i}`,
        periodWeeks: p,
        activeSinceWeek: startWeek - 1,
        activeSince: `2026-01-01T00:00:${String(i).padStart(2, "0")}.000Z`,
        shownSinceActive: shown[i]!.length,
        ...(shown[i]!.length ? { lastWeek: shown[i]!.at(-1)!, lastAt: `w${String(shown[i]!.at(-1)!).padStart(6, "0")}` } : {}),
      }));
      const pick = pickSponsor(candidates, w)!;
      shown[Number(pick.id.slice(1))]!.push(w);
    }
    return shown;
  }

  it("GIVEN any set of power-of-two periods, added in any week THEN each is first shown within two effective periods, and after that never more than one apart", () => {
    fc.assert(
      fc.property(periodsArb, fc.integer({ min: 0, max: 1000 }), (periods, startWeek) => {
        const f = stretch(periods);
        const horizon = 4 * 16 * f;
        const shown = run(periods, horizon, startWeek);
        periods.forEach((p, i) => {
          const at = shown[i]!;
          const what = `sponsor ${i} (period ${p}×${f}) of ${JSON.stringify(periods)} from week ${startWeek}`;
          expect(at[0]! - (startWeek - 1), what).toBeLessThan(2 * p * f);
          for (let k = 1; k < at.length; k++) expect(at[k]! - at[k - 1]!, what).toBeLessThanOrEqual(p * f);
          expect(startWeek + horizon - at.at(-1)!, what).toBeLessThanOrEqual(p * f);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("GIVEN a set of sponsors that stays the same THEN shares follow the tiers: showings × period come out equal, to within two of the longest periods", () => {
    fc.assert(
      fc.property(periodsArb, fc.integer({ min: 0, max: 1000 }), (periods, startWeek) => {
        const f = stretch(periods);
        const shown = run(periods, 8 * 16 * f, startWeek);
        const weighted = periods.map((p, i) => shown[i]!.length * p * f);
        expect(Math.max(...weighted) - Math.min(...weighted), JSON.stringify({ periods, weighted })).toBeLessThanOrEqual(2 * Math.max(...periods) * f);
      }),
      { numRuns: 300 },
    );
  });

  it("GIVEN sponsors added and removed along the way THEN, two of the longest periods after the last change, every gap is within its period again", () => {
    const sponsorArb = fc.record({ period: fc.constantFrom(1, 2, 4, 8), added: fc.integer({ min: 0, max: 30 }), removed: fc.option(fc.integer({ min: 40, max: 60 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(sponsorArb, { minLength: 1, maxLength: 9 }), (sponsors) => {
        const staying = sponsors.filter((x) => x.removed === undefined);
        fc.pre(staying.length > 0);
        const shown = sponsors.map(() => [] as number[]);
        const horizon = 400;
        for (let w = 0; w < horizon; w++) {
          const candidates: RotationCandidate[] = sponsors.flatMap((x, i) =>
            x.added < w && (x.removed === undefined || x.removed > w)
              ? [{ id: `s${i}`, name: `s${i}`, periodWeeks: x.period, activeSinceWeek: x.added, activeSince: `a${String(x.added).padStart(4, "0")}${i}`, shownSinceActive: shown[i]!.length, ...(shown[i]!.length ? { lastWeek: shown[i]!.at(-1)!, lastAt: `w${String(shown[i]!.at(-1)!).padStart(6, "0")}` } : {}) }]
              : [],
          );
          const pick = pickSponsor(candidates, w);
          if (pick) shown[Number(pick.id.slice(1))]!.push(w);
        }
        const f = stretch(staying.map((x) => x.period));
        const lastChange = Math.max(...sponsors.map((x) => Math.max(x.added, x.removed ?? 0)));
        const settled = lastChange + 2 * Math.max(...staying.map((x) => x.period)) * f;
        sponsors.forEach((x, i) => {
          if (x.removed !== undefined) return;
          const at = shown[i]!.filter((w) => w >= settled);
          for (let k = 1; k < at.length; k++) expect(at[k]! - at[k - 1]!, JSON.stringify({ sponsors, i })).toBeLessThanOrEqual(x.period * f);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("GIVEN the same history THEN the same sponsor is picked (deterministic), whatever order the candidates come in", () => {
    fc.assert(
      fc.property(periodsArb, fc.integer({ min: 0, max: 200 }), (periods, seed) => {
        const shown = run(periods, 20 + (seed % 13));
        const w = 20 + (seed % 13);
        const candidates: RotationCandidate[] = periods.map((p, i) => ({ id: `s${i}`, name: `s${i}`, periodWeeks: p, activeSinceWeek: -1, activeSince: "2026-01-01T00:00:00.000Z", shownSinceActive: shown[i]!.length, ...(shown[i]!.length ? { lastWeek: shown[i]!.at(-1)!, lastAt: String(shown[i]!.at(-1)!) } : {}) }));
        expect(pickSponsor([...candidates].reverse(), w)).toEqual(pickSponsor(candidates, w));
      }),
      { numRuns: 200 },
    );
  });

  it("GIVEN demand beyond one a week THEN every period is stretched by the same power of two", () => {
    expect(stretch([1])).toBe(1);
    expect(stretch([2, 4, 4])).toBe(1);
    expect(stretch([1, 2, 4])).toBe(2);
    expect(stretch([1, 1, 1])).toBe(4);
    expect(stretch([1, 2, 4, 4])).toBe(2);
  });
});
