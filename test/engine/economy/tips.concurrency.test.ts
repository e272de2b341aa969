import { afterEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { ManualClock } from "../../../src/core/clock.js";
import { connect } from "../../../src/db/connect.js";
import { capabilities } from "../../../src/engine/capabilities.js";
import { Engine } from "../../../src/engine/engine.js";
import { dialects } from "../../helpers/db.js";
import { silentLog, type TestEngine, testEngine } from "../../helpers/engine.js";
import { command } from "../../helpers/events.js";
import { balanceOf, communityId, earn, member, withEconomy } from "./tips-helpers.js";

/**
 * Many tips from one member at once — more than they can afford — never overspend: the balance
 * check and the movement share one transaction behind the person's lock. With two engines on one
 * Postgres database (two processes), the lock is what keeps them apart.
 */
const ada = member("ada");
const receivers = Array.from({ length: 20 }, (_, i) => member(`r${i}`));
const ROOMY = withEconomy({ weeklyAllowance: 10_000, pairWeeklyCap: 10_000 });

const tipEvent = (te: { clock: ManualClock }, i: number) =>
  command({ name: "tip", by: ada, at: te.clock.now(), id: `burst-${i}`, options: { member: { id: receivers[i]!.id, displayName: receivers[i]!.displayName }, amount: 5 } });

describe.each(dialects)("tips under concurrency (%s)", (dialect) => {
  let te: TestEngine;
  afterEach(() => te?.close());

  it("GIVEN ada with 25 points WHEN 20 tips of 5 are fired at once THEN exactly 5 land and her balance is 0", async () => {
    te = await testEngine({ dialect, defaults: ROOMY });
    await earn(te, ada, 5);
    const c = await communityId(te);

    const replies = await Promise.all(receivers.map((_, i) => te.engine.command(tipEvent(te, i))));

    expect(replies.filter((r) => r.title === "Tip sent")).toHaveLength(5);
    expect(replies.filter((r) => r.tone === "error").every((r) => r.text.startsWith("You have 0 points to spend"))).toBe(true);
    expect(await balanceOf(te, ada, c)).toBe(0);
    expect(await te.db.kysely.selectFrom("tips").selectAll().execute()).toHaveLength(5);
  });

  it.runIf(dialect === "postgres")("GIVEN two engines on one database WHEN both fire ada's tips at once THEN together exactly 5 land", async () => {
    te = await testEngine({ dialect, defaults: ROOMY });
    await earn(te, ada, 5);
    const c = await communityId(te);
    const db2 = connect(te.url, te.schema ? { schema: te.schema } : {});
    const clock2 = new ManualClock(te.clock.now().toISOString());
    const other = new Engine({ db: db2.kysely, clock: clock2, log: silentLog, commands, messageActions, capabilities, defaults: ROOMY });
    try {
      const replies = await Promise.all(receivers.map((_, i) => (i % 2 === 0 ? te.engine.command(tipEvent(te, i)) : other.command(tipEvent({ clock: clock2 }, i)))));

      expect(replies.filter((r) => r.title === "Tip sent")).toHaveLength(5);
      expect(await balanceOf(te, ada, c)).toBe(0);
      expect(await te.db.kysely.selectFrom("tips").selectAll().execute()).toHaveLength(5);
    } finally {
      await other.drain();
      await other.stop();
      await db2.close();
    }
  });
});
