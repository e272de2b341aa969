import type { Dialect } from "../../src/db/connect.js";
import type { Actor } from "../../src/core/identity.js";
import { testEngine, type TestEngine } from "../helpers/engine.js";
import { command, member, message, ref } from "../helpers/events.js";
import { admin, configure, scheduleTalk } from "../engine/talks/harness.js";

/**
 * One community, seeded through the real engine (messages ingested, a digest run, `/privacy` and
 * `/config` as commands), for the web pages' tests. The clock ends on Thursday 26 Nov 2026 12:00
 * UTC (week 48, November):
 *
 * | member | Oct | week 46 | week 47             | week 48 | week | month | all |
 * | cat    | 65  |         |                     |         |      |       | 65  |
 * | bob    |     | 50      | 5 (thanks eve)      | 5       | 5    | 60    | 60  |
 * | eve    |     |         | 20 + 10 thanked     | 10      | 10   | 40    | 40  |
 * | ada    |     |         |                     | 30      | 30   | 30    | 30  |
 * | dan    |     |         | 40                  | 100     | 100  | 140   | 140 | ← ran /privacy hide
 *
 * Eve's name is hostile markup. The digest for week 47 ran on Monday 23 Nov: contributor and
 * newcomer dan (hidden, so not on the page), most helpful eve.
 */
export const ada = member("ada");
export const bob = member("bob");
export const cat = member("cat");
export const dan = member("dan");
export const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)> & 'eve'`;
export const eve = member("eve", { displayName: HOSTILE });
export const SLUG = "rust-berlin";

let n = 0;

/** `count` posts by `who` from `start`, 61 s apart (past the cooldown), the clock just after each. */
async function posts(t: TestEngine, who: Actor, count: number, start: string, extra: Partial<Parameters<typeof message>[0]> = {}): Promise<void> {
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.parse(start) + i * 61_000);
    t.clock.set(new Date(at.getTime() + 1000));
    await t.ingest(message({ id: `w${++n}`, by: who, at, text: `post ${n} about the borrow checker`, ...extra }));
  }
}

export async function seededWorld(o: { dialect?: Dialect } = {}): Promise<TestEngine> {
  const t = await testEngine({ dialect: o.dialect ?? "sqlite", start: "2026-10-15T09:00:00Z" });
  await configure(t, { "channels.announcements": "<#500>", "channels.talks": "<#600>" });
  await posts(t, cat, 13, "2026-10-15T10:00:00Z");
  await posts(t, bob, 10, "2026-11-10T10:00:00Z");
  await posts(t, dan, 8, "2026-11-18T10:00:00Z");
  await posts(t, eve, 4, "2026-11-18T11:00:00Z");
  await posts(t, bob, 1, "2026-11-18T12:00:00Z", { text: "thanks @eve", mentions: [ref("eve")] });
  // The week-47 digest, on its slot (Monday 09:00 UTC): it records that week's honors.
  t.clock.set("2026-11-23T09:00:30Z");
  await t.engine.scheduler.tick();
  await t.engine.drain();
  await posts(t, eve, 2, "2026-11-24T10:00:00Z");
  await posts(t, ada, 6, "2026-11-25T10:00:00Z");
  await posts(t, bob, 1, "2026-11-26T09:00:00Z");
  await posts(t, dan, 20, "2026-11-26T10:00:00Z");
  t.clock.set("2026-11-26T11:00:00Z");
  await scheduleTalk(t, { title: "Profiling <async> code & more", speaker: ref("ada"), start: "2026-12-02 18:00", duration: 45 });
  await privacy(t, dan, "hide");
  await configure(t, { "web.slug": SLUG, "web.leaderboard": "on", "web.talks": "on" });
  t.clock.set("2026-11-26T12:00:00Z");
  return t;
}

/** `/privacy [action]` by `who`. */
export function privacy(t: TestEngine, who: Actor, action?: "status" | "hide" | "show") {
  return t.engine.command(command({ name: "privacy", by: who, at: t.clock.now(), ...(action ? { options: { action } } : {}) }));
}

export { admin, configure };
