import type { Transaction } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/schema.js";
import { WriteDeferred, WriteQueue } from "../../src/engine/write-queue.js";
import { openTestDb, type TestDb } from "../helpers/db.js";

/**
 * The write queue's two answers to another process writing the same database (Postgres): a write
 * that would wait inside a batch for a lock is put off to the next transaction, where it comes
 * first; a write that fails with a conflict Postgres reports (deadlock, serialization, a key the
 * other committed) is tried again. Shown on SQLite with writes that act those situations out.
 */
let t: TestDb;
beforeEach(async () => {
  t = await openTestDb("sqlite");
});
afterEach(() => t.cleanup());

const insert = async (trx: Transaction<Database>, id: string) => {
  await trx.insertInto("communities").values({ id, name: id, settings: "{}", created_at: "2026-11-26T00:00:00Z" }).execute();
  return id;
};
const ids = async () => (await t.db.kysely.selectFrom("communities").select("id").orderBy("id").execute()).map((r) => r.id);

describe("write queue under another process's writes", () => {
  it("GIVEN a write that defers when it is not first THEN the batch commits without it and it runs first in the next transaction", async () => {
    const queue = new WriteQueue(t.db.kysely);
    const seen: { id: string; trx: unknown; first: boolean }[] = [];
    const write = (id: string, defers: boolean) => (trx: Transaction<Database>) => {
      seen.push({ id, trx, first: queue.firstInTransaction });
      if (defers && !queue.firstInTransaction) throw new WriteDeferred();
      return insert(trx, id);
    };
    const results = await Promise.all([queue.submit(write("a", false)), queue.submit(write("b", true)), queue.submit(write("c", false))]);

    expect(results).toEqual(["a", "b", "c"]);
    expect(await ids()).toEqual(["a", "b", "c"]);
    expect(seen.map((s) => `${s.id}${s.first ? " first" : ""}`)).toEqual(["a first", "b", "b first", "c"]);
    // a alone in the first transaction; b (first) and c share the second.
    expect(seen[0]!.trx).not.toBe(seen[2]!.trx);
    expect(seen[2]!.trx).toBe(seen[3]!.trx);
  });

  it("GIVEN a write failing twice with a deadlock THEN it is tried again, alone, and lands; one failing otherwise is not retried", async () => {
    const queue = new WriteQueue(t.db.kysely);
    let deadlocks = 2;
    let bad = 0;
    const deadlocked = queue.submit(async (trx) => {
      await insert(trx, "d");
      if (deadlocks-- > 0) throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
      return "d";
    });
    const broken = queue.submit(async () => {
      bad++;
      throw Object.assign(new Error("no such column"), { code: "42703" });
    });
    await expect(deadlocked).resolves.toBe("d");
    await expect(broken).rejects.toThrow("no such column");
    expect(await ids()).toEqual(["d"]);
    // Once in the batch, once alone: nothing more for an error that is the write's own.
    expect(bad).toBe(2);
  });
});
