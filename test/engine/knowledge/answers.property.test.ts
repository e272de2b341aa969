import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { assertTotalsMatchLedger } from "../../helpers/invariants.js";
import { ada, allTotals, bob, cat, check, configure, linkTo, markAction, mod, question, reply, settle, thread } from "./answers-harness.js";

/**
 * Accept, unaccept and re-accept any number of times, by any of the three ways, with replays of
 * anything delivered before (same key, same time): the ledger for the question ends at exactly one
 * award (15 to the accepted reply's author) or none, the totals agree with the ledger, and what is
 * accepted is what the latest permitted change by event time says.
 */
type Op =
  | { kind: "react"; answer: number; by: number; added: boolean }
  | { kind: "action"; answer: number; by: number }
  | { kind: "solved"; answer: number; by: number }
  | { kind: "undo"; by: number }
  | { kind: "replay"; back: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("react" as const), answer: fc.nat(1), by: fc.nat(2), added: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("action" as const), answer: fc.nat(1), by: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("solved" as const), answer: fc.nat(1), by: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("undo" as const), by: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("replay" as const), back: fc.nat(20) }) },
);

// ada asks; mod moderates; cat may not mark. bob and cat answer... cat's answer is marked by ada/mod only.
const markers: Actor[] = [ada, mod, cat];
const authors: Actor[] = [bob, cat];

describe.each(dialects)("accept, unaccept, re-accept under any sequence (%s)", (dialect) => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await testEngine({ dialect });
    await configure(t, { "roles.moderators": "<@&77>", "points.post": "0", "points.reply": "0", "points.reactionReceived": "0" });
  });
  afterAll(() => t?.close());
  let run = 0;
  const seen = { accepted: 0, unaccepted: 0, never: 0 };

  it("GIVEN any sequence of marks, unmarks and replays THEN the ledger holds one award or none, matching the latest change", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 16 }), async (ops) => {
        const base = 1000 + ++run * 10;
        const q = thread(base);
        const answers = [thread(base + 1), thread(base + 2)];
        await t.ingest(question(t, q, ada));
        await t.ingest(reply(t, answers[0]!, q, bob));
        await t.ingest(reply(t, answers[1]!, q, cat));
        const delivered: (() => Promise<unknown>)[] = [];
        // The model: which answer is accepted and when that last changed.
        let state: { answer: number | null; changedAt: number } = { answer: null, changedAt: -1 };
        const modelled: { at: number; apply: () => void }[] = [];
        const permitted = (by: number, answer: number | null) => (by === 0 || by === 1) && !(answer !== null && authors[answer]!.id === markers[by]!.id);
        const mark = (answer: number, by: number, at: number) => () => {
          if (!permitted(by, answer) || at < state.changedAt || state.answer === answer) return;
          state = { answer, changedAt: at };
        };
        const unmark = (answer: number | null, by: number, at: number) => () => {
          if (state.answer === null || (answer !== null && answer !== state.answer) || !permitted(by, null) || at < state.changedAt) return;
          state = { answer: null, changedAt: at };
        };

        for (const o of ops) {
          t.clock.advance(1000);
          const at = t.clock.now().getTime();
          let send: (() => Promise<unknown>) | undefined;
          let model: (() => void) | undefined;
          switch (o.kind) {
            case "react": {
              const event = check(t, { message: answers[o.answer]!, threadId: q, by: markers[o.by]!, added: o.added });
              send = () => t.ingest(event);
              model = o.added ? mark(o.answer, o.by, at) : unmark(o.answer, o.by, at);
              break;
            }
            case "action": {
              const event = markAction(t, { message: answers[o.answer]!, threadId: q, by: markers[o.by]!, author: authors[o.answer]! });
              send = () => t.engine.messageAction(event);
              model = mark(o.answer, o.by, at);
              break;
            }
            case "solved": {
              const event = { kind: "command" as const, key: naturalKeys.discordInteraction(`p${base}-${at}`), at: t.clock.now(), place: { platform: "discord" as const, workspaceId: ada.workspaceId, channelId: "general", threadId: q }, actor: markers[o.by]!, name: "solved", options: { answer: linkTo(q, answers[o.answer]!) } };
              send = () => t.engine.command(event);
              model = mark(o.answer, o.by, at);
              break;
            }
            case "undo": {
              const event = { kind: "command" as const, key: naturalKeys.discordInteraction(`u${base}-${at}`), at: t.clock.now(), place: { platform: "discord" as const, workspaceId: ada.workspaceId, channelId: "general", threadId: q }, actor: markers[o.by]!, name: "solved", options: { undo: true } };
              send = () => t.engine.command(event);
              model = unmark(null, o.by, at);
              break;
            }
            case "replay": {
              const i = delivered.length - 1 - (o.back % Math.max(1, delivered.length));
              if (i >= 0) {
                send = delivered[i];
                model = modelled[i]!.apply;
              }
              break;
            }
          }
          if (!send || !model) continue;
          await send();
          model();
          if (o.kind !== "replay") {
            delivered.push(send);
            modelled.push({ at, apply: model });
          }
        }
        await t.engine.drain();
        const rows = await t.db.kysely.selectFrom("ledger").select(["member_id", "amount"]).where("source_key", "=", naturalKeys.discordMessage(q)).execute();
        const net: Record<string, number> = {};
        for (const r of rows) net[r.member_id] = (net[r.member_id] ?? 0) + r.amount;
        const nonZero = Object.fromEntries(Object.entries(net).filter(([, v]) => v !== 0));
        expect(nonZero).toEqual(state.answer === null ? {} : { [authors[state.answer]!.id]: 15 });
        const solved = await t.db.kysely.selectFrom("solved_questions").select(["state", "answer_key"]).where("question_key", "=", naturalKeys.discordMessage(q)).executeTakeFirst();
        if (state.answer === null) expect(solved?.state ?? "unaccepted").toBe("unaccepted");
        else expect(solved).toEqual({ state: "accepted", answer_key: naturalKeys.discordMessage(answers[state.answer]!) });
        const kb = await t.db.kysely.selectFrom("kb_entries").select("answer_key").where("question_key", "=", naturalKeys.discordMessage(q)).execute();
        expect(kb.length).toBe(state.answer === null ? 0 : 1);
        seen[solved ? solved.state : "never"]++;
      }),
      { numRuns: dialect === "postgres" ? 15 : 60 },
    );
    await settle(t);
    // Across all runs: totals (activity earns nothing here) are exactly the solutions' ledger rows.
    const ledger = await t.db.kysely.selectFrom("ledger").select(["member_id", "amount"]).execute();
    const sums: Record<string, number> = {};
    for (const r of ledger) sums[r.member_id] = (sums[r.member_id] ?? 0) + r.amount;
    expect(await allTotals(t)).toEqual(Object.fromEntries(Object.entries(sums).filter(([, v]) => v !== 0)));
    await assertTotalsMatchLedger(t.db.kysely);
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.unaccepted).toBeGreaterThan(0);
  }, 240_000);
});
