import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Answer, applyAnswer, countRsvps } from "../../../src/engine/talks/rsvp.js";
import type { RsvpRow } from "../../../src/engine/talks/talks.repo.js";

/**
 * Any sequence of answers, with or without a capacity, keeps the list sound: nobody is Going beyond
 * the capacity, nobody waits while there is room, each member has one row, and the waitlist is
 * served in the order members asked.
 */
const members = ["a", "b", "c", "d", "e", "f"];
const answers: Answer[] = ["going", "maybe", "no"];

describe("RSVP rules", () => {
  it("GIVEN any sequence of answers THEN counts, capacity and waitlist order hold after every step", () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
        fc.array(fc.tuple(fc.constantFrom(...members), fc.constantFrom(...answers)), { maxLength: 40 }),
        (capacity, steps) => {
          let rows: RsvpRow[] = [];
          steps.forEach(([member, answer], i) => {
            const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
            const change = applyAnswer(rows, capacity, { talkId: "T", memberId: member, displayName: member, answer, at });
            for (const saved of change.save) rows = [...rows.filter((r) => r.member_id !== saved.member_id), saved];
            const counts = countRsvps(rows);
            expect(new Set(rows.map((r) => r.member_id)).size).toBe(rows.length);
            expect(counts.going + counts.maybe + counts.no + counts.waitlist).toBe(rows.length);
            if (capacity === null) expect(counts.waitlist).toBe(0);
            else {
              expect(counts.going).toBeLessThanOrEqual(capacity);
              if (counts.waitlist > 0) expect(counts.going).toBe(capacity);
            }
            // Whoever is Going asked before anyone still waiting: the waitlist is served first come, first served.
            const lastGoing = rows.filter((r) => r.status === "going").map((r) => r.asked_at).sort().at(-1);
            const firstWaiting = rows.filter((r) => r.status === "waitlist").map((r) => r.asked_at).sort()[0];
            if (lastGoing && firstWaiting) expect(lastGoing < firstWaiting).toBe(true);
            // The member's own row says what they answered (Going may be the waitlist).
            const mine = rows.find((r) => r.member_id === member)!;
            if (answer !== "going") expect(mine.status).toBe(answer);
            else expect(["going", "waitlist"]).toContain(mine.status);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("GIVEN a full talk WHEN a Going member drops out THEN exactly the earliest waiting member is promoted", () => {
    let rows: RsvpRow[] = [];
    const say = (m: string, a: Answer, s: number) => {
      const c = applyAnswer(rows, 1, { talkId: "T", memberId: m, displayName: m, answer: a, at: `2026-01-01T00:00:0${s}.000Z` });
      for (const saved of c.save) rows = [...rows.filter((r) => r.member_id !== saved.member_id), saved];
      return c;
    };
    say("a", "going", 1);
    say("c", "going", 2);
    say("b", "going", 3);
    const drop = say("a", "no", 4);
    expect(drop.promoted.map((r) => r.member_id)).toEqual(["c"]);
    expect(countRsvps(rows)).toEqual({ going: 1, maybe: 0, no: 1, waitlist: 1 });
  });
});
