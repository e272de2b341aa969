import { plainText } from "../../../src/core/reply.js";
import type { TestEngine } from "../../helpers/engine.js";
import { message, member, ref } from "../../helpers/events.js";
import { configure } from "../talks/harness.js";

export const ada = member("ada");
export const bob = member("bob");
export const carol = member("carol");
export const dan = member("dan");

/** Sets the clock just after `at` (events ahead of the clock earn nothing) and ingests. */
async function at(t: TestEngine, when: string, event: Parameters<TestEngine["ingest"]>[0]): Promise<void> {
  t.clock.set(new Date(Date.parse(when) + 1000));
  await t.ingest(event);
}

/**
 * A fixed community in America/New_York (UTC−5 in November). Week 47 (16–22 Nov local): bob 10,
 * ada 5. Week 48 (23–29 Nov local): ada 27 (3 posts, a reply in bob's question thread 30 min after
 * it, thanked once by bob), bob 10, carol 5 — carol first seen at 23:30 local on Sunday 29 Nov
 * (04:30 UTC on Monday). Week 49: dan, at 00:30 local on Monday 30 Nov.
 */
export async function fixedCommunity(t: TestEngine): Promise<void> {
  await at(t, "2026-11-17T15:00:00Z", message({ id: "w47a", by: bob, at: "2026-11-17T15:00:00Z", text: "hello all" }));
  await at(t, "2026-11-17T16:00:00Z", message({ id: "w47b", by: bob, at: "2026-11-17T16:00:00Z", text: "anyone here" }));
  await at(t, "2026-11-18T15:00:00Z", message({ id: "w47c", by: ada, at: "2026-11-18T15:00:00Z", text: "hi" }));
  await configure(t, { timezone: "America/New_York" });

  await at(t, "2026-11-24T15:00:00Z", message({ id: "a1", by: ada, at: "2026-11-24T15:00:00Z", text: "first" }));
  await at(t, "2026-11-25T15:00:00Z", message({ id: "a2", by: ada, at: "2026-11-25T15:00:00Z", text: "second" }));
  await at(t, "2026-11-26T15:00:00Z", message({ id: "a3", by: ada, at: "2026-11-26T15:00:00Z", text: "third" }));
  await at(t, "2026-11-28T15:00:00Z", message({ id: "q1", by: bob, at: "2026-11-28T15:00:00Z", text: "How do I profile this?" }));
  await at(t, "2026-11-28T15:30:00Z", message({ id: "r1", by: ada, at: "2026-11-28T15:30:00Z", text: "use the flame graph", thread: "q1" }));
  await at(t, "2026-11-28T16:00:00Z", message({ id: "t1", by: bob, at: "2026-11-28T16:00:00Z", text: "thanks @ada", mentions: [ref("ada")] }));
  await at(t, "2026-11-30T04:30:00Z", message({ id: "c1", by: carol, at: "2026-11-30T04:30:00Z", text: "late sunday hello" }));
  await at(t, "2026-11-30T05:30:00Z", message({ id: "d1", by: dan, at: "2026-11-30T05:30:00Z", text: "monday already" }));
}

/** Monday 30 Nov 09:00 in New York. */
export const DIGEST_SLOT = "2026-11-30T14:00:00Z";

export async function digestRows(t: TestEngine): Promise<{ dedupe_key: string; text: string }[]> {
  const rows = await t.db.kysely.selectFrom("outbox").select(["dedupe_key", "reply"]).where("dedupe_key", "like", "digest:%").orderBy("dedupe_key").execute();
  return rows.map((r) => ({ dedupe_key: r.dedupe_key, text: plainText((JSON.parse(r.reply ?? "{}") as { text: string }).text) }));
}
