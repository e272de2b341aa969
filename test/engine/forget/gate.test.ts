import { afterEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { capabilities } from "../../../src/engine/capabilities.js";
import { Engine } from "../../../src/engine/engine.js";
import { ForgottenMembers } from "../../../src/engine/forget/forgotten-members.js";
import { WriteQueue } from "../../../src/engine/write-queue.js";
import { dialects } from "../../helpers/db.js";
import { silentLog, testEngine, type TestEngine } from "../../helpers/engine.js";
import { member, message, place, reaction } from "../../helpers/events.js";
import { assertTotalsMatchLedger, snapshot } from "../../helpers/invariants.js";

/** The gate that drops a forgotten member's old events: in the same transaction, across a rollback, and in a second process. */
const ophelia = member("ophelia", { displayName: "Ophelia" });
const bob = member("bob");

describe.each(dialects)("the forgotten members' gate (%s)", (dialect) => {
  let t: TestEngine;
  afterEach(() => t?.close());

  async function world() {
    t = await testEngine({ dialect });
    const events = [
      message({ id: "1", by: ophelia, at: t.clock.now(), text: "hello" }),
      message({ id: "2", by: bob, at: t.clock.advance(120_000), text: "thanks @ophelia", mentions: [{ id: ophelia.id, displayName: "Ophelia" }] }),
      reaction({ message: "1", by: bob, at: t.clock.advance(60_000) }),
      reaction({ message: "2", by: ophelia, at: t.clock.advance(60_000) }),
    ];
    for (const e of events) await t.engine.ingest(e);
    const community = await t.engine.communities.resolve(place());
    return { events, community };
  }

  it("GIVEN her old events delivered in the same turn as the forgetting (one transaction) THEN they are dropped, and bob's old message loses only its mention of her", async () => {
    const { events, community } = await world();
    const late = message({ id: "3", by: bob, at: new Date(t.clock.now().getTime() - 30_000), text: "thanks again @ophelia", mentions: [{ id: ophelia.id, displayName: "Ophelia" }] });
    const forgotten = t.engine.services.forget.forget(community, ophelia.id);
    const replays = events.map((e) => t.engine.ingest(e));
    const bobs = t.engine.ingest(late);
    await Promise.all([forgotten, ...replays, bobs]);
    await t.engine.drain();
    expect(await t.db.kysely.selectFrom("members").select("member_id").where("member_id", "=", ophelia.id).execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom("thanks").select("key").where("source_key", "=", late.messageKey).execute()).toEqual([]);
    expect(await t.db.kysely.selectFrom("messages").select("member_id").where("message_key", "=", late.messageKey).execute()).toEqual([{ member_id: bob.id }]);
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN her forgotten WHEN cy reacts later to her old message, the platform naming her as its author THEN the point goes to her pseudonym and no row has her id", async () => {
    const { community } = await world();
    await t.engine.services.forget.forget(community, ophelia.id);
    const pseudonym = (await t.db.kysely.selectFrom("members").select("member_id").where("member_id", "like", "forgotten:%").executeTakeFirstOrThrow()).member_id;
    const before = Number((await t.db.kysely.selectFrom("totals").select("points").where("period", "=", "all").where("member_id", "=", pseudonym).executeTakeFirstOrThrow()).points);
    await t.engine.ingest(reaction({ message: "1", by: member("cy"), at: t.clock.advance(60_000), author: { id: ophelia.id, displayName: "Ophelia" } }));
    await t.engine.drain();
    expect(await t.db.kysely.selectFrom("members").select("member_id").where("member_id", "=", ophelia.id).execute()).toEqual([]);
    expect(Number((await t.db.kysely.selectFrom("totals").select("points").where("period", "=", "all").where("member_id", "=", pseudonym).executeTakeFirstOrThrow()).points)).toBe(before + 1);
    await assertTotalsMatchLedger(t.db.kysely);
  });

  it("GIVEN a second engine on the same database (another process) WHEN the first forgets her THEN the second drops her old events once it has re-read the tombstones (at most a minute later)", async () => {
    const { events, community } = await world();
    const other = new Engine({ db: t.db.kysely, clock: t.clock, log: silentLog, commands, messageActions, capabilities });
    await other.ingest(message({ id: "50", by: bob, at: t.clock.advance(60_000), text: "the other process is up" }));
    await t.engine.services.forget.forget(community, ophelia.id);
    t.clock.advance(61_000);
    const before = await snapshot(t.db.kysely);
    for (const e of events) await other.ingest(e);
    await other.drain();
    expect(await snapshot(t.db.kysely)).toEqual(before);
  });
});

describe("the tombstones in memory", () => {
  let t: TestEngine;
  afterEach(() => t?.close());

  it("GIVEN a forgetting whose transaction rolls back THEN the gate does not remember it; one that commits, it does", async () => {
    t = await testEngine();
    const writes = new WriteQueue(t.db.kysely);
    const registry = new ForgottenMembers(t.db.kysely, t.clock, writes);
    const at = t.clock.now();
    await expect(
      writes.submit(async (trx) => {
        await registry.add(trx, "c1", [ophelia.id], at);
        expect(registry.forgottenAt("c1", ophelia.id)).toBe(at.getTime());
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(registry.forgottenAt("c1", ophelia.id)).toBeUndefined();
    expect(await t.db.kysely.selectFrom("forgotten_members").selectAll().execute()).toEqual([]);

    await writes.submit((trx) => registry.add(trx, "c1", [ophelia.id], at));
    expect(registry.forgottenAt("c1", ophelia.id)).toBe(at.getTime());
    // A fresh process reads them back on the community's first event.
    const fresh = new ForgottenMembers(t.db.kysely, t.clock, new WriteQueue(t.db.kysely));
    await fresh.ready({ id: "c1", name: "c1", settings: {} as never });
    expect(fresh.forgottenAt("c1", ophelia.id)).toBe(at.getTime());
    expect(fresh.forgottenAt("c1", bob.id)).toBeUndefined();
    expect(fresh.ready({ id: "c1", name: "c1", settings: {} as never })).toBeUndefined();
  });
});
