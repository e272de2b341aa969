import { afterEach, describe, expect, it } from "vitest";
import { POOL_ACCOUNT } from "../../../src/engine/economy/accounts.js";
import { postMovement, standingOf, UnbalancedMovement } from "../../../src/engine/economy/wallet.js";
import { dialects, openTestDb, type TestDb } from "../../helpers/db.js";

describe.each(dialects)("wallet (%s)", (dialect) => {
  let t: TestDb;
  afterEach(() => t?.cleanup());

  it("posts balanced movements once and adds them to XP in the balance", async () => {
    t = await openTestDb(dialect);
    const db = t.db.kysely;
    await db.insertInto("communities").values({ id: "c1", name: "C", settings: "{}", created_at: "2026-12-01T00:00:00.000Z" }).execute();
    await db.insertInto("totals").values({ community_id: "c1", period: "all", member_id: "console:local:a", points: 40 }).execute();
    const tip = { causeKey: "tip:1", kind: "tip", at: "2026-12-01T10:00:00.000Z", legs: [{ account: "console:local:a", amount: -10 }, { account: "console:local:b", amount: 9 }, { account: POOL_ACCOUNT, amount: 1 }] };
    expect(await db.transaction().execute((trx) => postMovement(trx, "c1", tip))).toBe(true);
    expect(await db.transaction().execute((trx) => postMovement(trx, "c1", tip))).toBe(false);
    expect((await standingOf(db, "c1", "console:local:a")).balance).toBe(30);
    expect((await standingOf(db, "c1", "console:local:a")).xp).toBe(40);
    expect((await standingOf(db, "c1", "console:local:b")).balance).toBe(9);
    const rows = await db.selectFrom("wallet_entries").selectAll().execute();
    expect(rows).toHaveLength(3);
    expect(rows.reduce((s, r) => s + r.amount, 0)).toBe(0);
  });

  it("refuses a movement whose legs do not sum to zero, writing nothing", async () => {
    t = await openTestDb(dialect);
    const db = t.db.kysely;
    const bad = { causeKey: "bad", kind: "tip", at: "2026-12-01T10:00:00.000Z", legs: [{ account: "console:local:a", amount: -10 }, { account: "console:local:b", amount: 9 }] };
    await expect(db.transaction().execute((trx) => postMovement(trx, "c1", bad))).rejects.toBeInstanceOf(UnbalancedMovement);
    expect(await db.selectFrom("wallet_entries").selectAll().execute()).toHaveLength(0);
  });
});
