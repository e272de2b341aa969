import { describe, expect, it } from "vitest";
import { defaultSettings } from "../../src/engine/communities/settings.js";
import { cleanDisplayName } from "../../src/engine/points/display-name.js";
import { fromReaction, isEligible } from "../../src/engine/points/points-events.js";
import { canonical, carryReaches, correction, desiredNet, type Earning, isAfter, judgeBudget, judgeDay, judgeGift, judgeNext, type RuleState } from "../../src/engine/points/rules.js";

/** The pure part of the points rules, without a database. */
const rules = { ...defaultSettings().points, dailyCap: 12, thanksPerDay: 2, messageCooldownSeconds: 60 };
const at = (seconds: number) => new Date(Date.parse("2026-11-26T23:58:00Z") + seconds * 1000).toISOString();
const post = (key: string, seconds: number): Earning => ({ key, at: at(seconds), kind: "post" });
const empty: RuleState = { lastMessageAwardAt: null, activityDay: null, activityPoints: 0, thanksGiven: 0 };

describe("judgeDay: a member's day refolded in canonical order", () => {
  it("GIVEN posts at 0 s, 50 s and 100 s in any order THEN 0 s and 100 s earn and 50 s is in the cooldown", () => {
    for (const order of [["a", "b", "c"], ["b", "a", "c"], ["c", "b", "a"]]) {
      const byKey = { a: post("a", 0), b: post("b", 50), c: post("c", 100) } as Record<string, Earning>;
      const day = judgeDay(rules, "2026-11-26", null, order.map((k) => byKey[k]!));
      expect([...["a", "b", "c"].map((k) => day.judgements.get(k)?.gross ?? null)]).toEqual([5, null, 5]);
      expect(day.judgements.get("b")?.refusal).toBe("cooldown");
      expect(day.carryOut).toBe(at(100));
    }
  });

  it("GIVEN the last award of yesterday 30 s before midnight THEN it blocks today's first post (the cooldown reaches across midnight)", () => {
    const today = judgeDay(rules, "2026-11-27", at(90), [post("x", 130), post("y", 160)]);
    expect(today.judgements.get("x")).toEqual({ gross: null, refusal: "cooldown" });
    expect(today.judgements.get("y")?.gross).toBe(5);
  });

  it("GIVEN the cap THEN the earning that crosses it gets the rest and later ones nothing; nothing earned: the carry passes through", () => {
    const earnings: Earning[] = [post("p1", 0), { key: "t1", at: at(10), kind: "thanks" }, { key: "r1", at: at(20), kind: "reaction" }];
    const day = judgeDay(rules, "2026-11-26", null, earnings);
    expect(earnings.map((e) => day.judgements.get(e.key))).toEqual([{ gross: 5 }, { gross: 7 }, { gross: null, refusal: "daily-cap" }]);
    expect(day.activityPoints).toBe(12);
    expect(judgeDay(rules, "2026-11-27", at(5), []).carryOut).toBe(at(5));
  });

  it("GIVEN equal times THEN the natural key breaks the tie", () => {
    const day = judgeDay(rules, "2026-11-26", null, [post("k2", 0), post("k1", 0)]);
    expect(day.judgements.get("k1")?.gross).toBe(5);
    expect(day.judgements.get("k2")?.refusal).toBe("cooldown");
  });
});

describe("judgeNext and judgeGift: one step from the recorded state (the hot path)", () => {
  it("GIVEN a state from yesterday THEN today's counters start at zero but the cooldown carries", () => {
    const state = { lastMessageAwardAt: at(90), activityDay: "2026-11-26", activityPoints: 12, thanksGiven: 2 };
    const step = judgeNext(rules, state, post("x", 200), "2026-11-27");
    expect(step.judgement.gross).toBe(5);
    expect(step.state).toEqual({ lastMessageAwardAt: at(200), activityDay: "2026-11-27", activityPoints: 5, thanksGiven: 0 });
    expect(judgeGift(rules, state, "2026-11-26").counted).toBe(false);
    expect(judgeGift(rules, state, "2026-11-27")).toEqual({ counted: true, state: { ...state, activityDay: "2026-11-27", activityPoints: 0, thanksGiven: 1 } });
  });

  it("GIVEN the same events THEN stepping one by one from an empty state equals refolding the day", () => {
    const earnings = [post("a", 0), post("b", 50), { key: "t", at: at(55), kind: "thanks" as const }, post("c", 100)];
    let state = empty;
    const stepped = new Map<string, number | null>();
    for (const e of earnings) {
      const step = judgeNext(rules, state, e, "2026-11-26");
      stepped.set(e.key, step.judgement.gross);
      state = step.state;
    }
    const day = judgeDay(rules, "2026-11-26", null, [...earnings].reverse());
    expect(new Map([...day.judgements].map(([k, j]) => [k, j.gross]))).toEqual(stepped);
    expect(state.activityPoints).toBe(day.activityPoints);
  });
});

describe("judgeBudget: a giver's day", () => {
  it("GIVEN three thanks THEN the first two in canonical order count, whatever order they are listed in", () => {
    const gifts = [
      { key: "c", at: at(30) },
      { key: "a", at: at(10) },
      { key: "b", at: at(10) },
    ];
    expect([...judgeBudget(rules, gifts)].sort()).toEqual(["a", "b"]);
  });
});

describe("correction: the ledger row that brings an event to what it is granted", () => {
  const e = { key: "discord:msg:1", kind: "post" as const, net: 0, ledgerRows: 0, ended: false };
  it("GIVEN no rows yet THEN the first row takes the event's own key", () => {
    expect(correction(e, 5)).toEqual({ key: "discord:msg:1", amount: 5, reason: "post", reverses: null });
    expect(correction(e, 0)).toBeUndefined();
  });
  it("GIVEN rows THEN a change is a numbered fix and a reversal an undo, each keyed so a replay finds it taken", () => {
    expect(correction({ ...e, net: 5, ledgerRows: 1 }, 0)).toEqual({ key: "discord:msg:1:fix:1", amount: -5, reason: "fix:post", reverses: "discord:msg:1" });
    expect(correction({ ...e, net: 0, ledgerRows: 2 }, 5)).toEqual({ key: "discord:msg:1:fix:2", amount: 5, reason: "fix:post", reverses: "discord:msg:1" });
    expect(correction({ ...e, net: 5, ledgerRows: 1, ended: true }, desiredNet(5, true))).toEqual({ key: "discord:msg:1:undo", amount: -5, reason: "undo:post", reverses: "discord:msg:1" });
  });
});

describe("order and reach", () => {
  it("GIVEN a watermark THEN only a later time, or the same time with a later key, is after it", () => {
    expect(isAfter(at(1), "a", at(0), "z")).toBe(true);
    expect(isAfter(at(0), "b", at(0), "a")).toBe(true);
    expect(isAfter(at(0), "a", at(0), "b")).toBe(false);
    expect(isAfter(at(0), "a", null, null)).toBe(true);
    expect(canonical({ at: at(0), key: "a" }, { at: at(0), key: "a" })).toBe(0);
  });
  it("GIVEN a carry THEN it reaches a message less than the cooldown later", () => {
    expect(carryReaches(rules, at(0), at(59))).toBe(true);
    expect(carryReaches(rules, at(0), at(60))).toBe(false);
    expect(carryReaches(rules, null, at(1))).toBe(false);
  });
  it("GIVEN a reaction removed (or its message deleted) before it was added THEN it never stood; after: it stood and is reversed", () => {
    const reaction = { key: "r", community_id: "c", message_key: "m", actor_id: "bob", member_id: "ada", added_at: at(10), gross: null, net: 0, ledger_rows: 0 };
    expect(isEligible(fromReaction({ ...reaction, ended_at: at(5) }))).toBe(false);
    expect(isEligible(fromReaction({ ...reaction, ended_at: at(10) }))).toBe(true);
    expect(isEligible(fromReaction({ ...reaction, ended_at: null, member_id: "bob" }))).toBe(false);
    expect(isEligible(fromReaction({ ...reaction, ended_at: null, member_id: "" }))).toBe(false);
  });
});

describe("cleanDisplayName", () => {
  it("GIVEN control, bidi and oversized names THEN they are cleaned and bounded without splitting a character", () => {
    expect(cleanDisplayName("a\u202eb\u2066c\u0000d\u009fe\u200ff", "x")).toBe("a b c d e f");
    expect(cleanDisplayName("  \u0007  ", "fallback")).toBe("fallback");
    expect(Array.from(cleanDisplayName("🎉".repeat(200), "x"))).toHaveLength(80);
    expect(cleanDisplayName("ok name", "x")).toBe("ok name");
  });
});
