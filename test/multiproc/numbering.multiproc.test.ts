import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../src/core/reply.js";
import { POSTGRES_URL } from "../helpers/db.js";
import type { TestEngine } from "../helpers/engine.js";
import { command, member } from "../helpers/events.js";
import { configure } from "../engine/talks/harness.js";
import { COMMUNITY_REFRESH_MS } from "../../src/engine/engine.js";
import { type TwoEngines, twoEngines } from "./two-engines.js";

/**
 * Numbers people type (`/feedback answer 3`, `/review claim 5`) are the community's highest plus
 * one. Two processes numbering at once must neither hand out one number twice nor fail the command;
 * feedback's daily limit (5 in 24 h) must hold across both; and a setting changed through one
 * process reaches the other within {@link COMMUNITY_REFRESH_MS}.
 *
 * Postgres only; skipped when TEST_POSTGRES_URL is unset, like every Postgres test here.
 */
const ada = member("ada");
const bob = member("bob");
const carol = member("carol");

let n = 0;
const run = (t: TestEngine, by: ReturnType<typeof member>, name: string, subcommand: string, options: Record<string, unknown>) =>
  t.engine.command({ ...command({ name, subcommand, by, options, id: `mp${++n}` }), at: t.clock.now() });

describe.skipIf(!POSTGRES_URL)("two processes on one Postgres database: numbers and limits", () => {
  let pair: TwoEngines | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it("GIVEN feedback and review requests sent through both engines at once THEN numbers are 1…n without gaps or repeats, and ada's sixth and later feedback is refused", async () => {
    pair = await twoEngines();
    const [one, two] = pair.both;
    await configure(one, { "channels.feedback": "<#800>", "channels.reviews": "<#900>" });
    const engineOf = (i: number) => (i % 2 ? two : one);

    const feedback = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => run(engineOf(i), ada, "feedback", "send", { text: `idea ${i}` })),
      ...Array.from({ length: 3 }, (_, i) => run(engineOf(i + 1), bob, "feedback", "send", { text: `bob ${i}` })),
    ]);
    const reviews = await Promise.all(Array.from({ length: 6 }, (_, i) => run(engineOf(i), i % 2 ? bob : carol, "review", "request", { link: `https://github.com/o/r/pull/${i + 1}` })));

    const adaAnswers = feedback.slice(0, 8);
    expect(adaAnswers.filter((r) => r.tone === "success")).toHaveLength(5);
    expect(adaAnswers.filter((r) => r.tone === "error").map((r) => plainText(r.text).slice(0, 40))).toEqual(Array(3).fill("Nothing was sent: you've sent 5 pieces o"));
    expect(feedback.slice(8).every((r) => r.tone === "success")).toBe(true);
    expect(reviews.every((r) => r.tone !== "error")).toBe(true);

    const numbers = async (table: "feedback" | "code_reviews") => (await one.db.kysely.selectFrom(table).select("number").orderBy("number").execute()).map((r) => Number(r.number));
    expect(await numbers("feedback")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await numbers("code_reviews")).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("GIVEN a setting changed through one engine THEN the other uses it once its copy is older than the refresh interval", async () => {
    pair = await twoEngines();
    const [one, two] = pair.both;
    const where = { platform: "discord" as const, workspaceId: "g1" };
    await configure(one, { "points.post": "5" });
    expect((await two.engine.communities.resolve(where)).settings.points.post).toBe(5);
    await configure(one, { "points.post": "7" });
    expect((await two.engine.communities.resolve(where)).settings.points.post).toBe(5);
    two.clock.advance(COMMUNITY_REFRESH_MS);
    expect((await two.engine.communities.resolve(where)).settings.points.post).toBe(7);
  });
});
