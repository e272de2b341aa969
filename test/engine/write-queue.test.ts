import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WriteQueue } from "../../src/engine/write-queue.js";
import { openTestDb, type TestDb } from "../helpers/db.js";

let t: TestDb;
beforeEach(async () => {
  t = await openTestDb("sqlite");
});
afterEach(() => t.cleanup());

const insert = (id: string) => async (trx: Parameters<Parameters<WriteQueue["submit"]>[0]>[0]) => {
  await trx.insertInto("communities").values({ id, name: id, settings: "{}", created_at: "2026-11-26T00:00:00Z" }).execute();
  return id;
};

describe("group commit", () => {
  it("GIVEN a long batch THEN the queue yields to the event loop inside the transaction, and writes arriving then join it", async () => {
    // A clock the writes advance: each "takes" 2 ms, so the queue must yield after every one (slice 1 ms).
    let ms = 0;
    const queue = new WriteQueue(t.db.kysely, { sliceMs: 1, maxTransactionMs: 1000, now: () => ms });
    const transactions: unknown[] = [];
    let turns = 0;
    const slowInsert = (id: string) => async (trx: Parameters<Parameters<WriteQueue["submit"]>[0]>[0]) => {
      ms += 2;
      transactions.push(trx);
      return insert(id)(trx);
    };
    const first = Array.from({ length: 20 }, (_, i) => queue.submit(slowInsert(`a${i}`)));
    // Counts event-loop turns while the batch runs; joins the batch from one of those turns.
    let late: Promise<string> | undefined;
    const onTurn = () => {
      turns++;
      if (turns === 3) late = queue.submit(slowInsert("late"));
      if (turns < 10) setImmediate(onTurn);
    };
    setImmediate(onTurn);
    await Promise.all(first);
    await late;
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(new Set(transactions).size).toBe(1);
    expect(await t.db.kysely.selectFrom("communities").select("id").execute()).toHaveLength(21);
  });

  it("GIVEN writes submitted together THEN they share one transaction and each settles after commit", async () => {
    const queue = new WriteQueue(t.db.kysely);
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => queue.submit(insert(`c${i}`))));
    expect(ids).toHaveLength(50);
    const rows = await t.db.kysely.selectFrom("communities").select("id").execute();
    expect(rows).toHaveLength(50);
  });

  it("GIVEN one failing write in a batch THEN only it fails and the others commit", async () => {
    const queue = new WriteQueue(t.db.kysely);
    const results = await Promise.allSettled([
      queue.submit(insert("a")),
      queue.submit(insert("a")), // primary key clash
      queue.submit(insert("b")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const rows = await t.db.kysely.selectFrom("communities").select("id").orderBy("id").execute();
    expect(rows.map((r) => r.id)).toEqual(["a", "b"]);
  });

  it("GIVEN transactions limited to 3 writes and 0 ms THEN every write still lands, in order, across many transactions", async () => {
    const queue = new WriteQueue(t.db.kysely, { maxTransactionMs: 0, maxBatch: 3 });
    const order: string[] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(insert(`c${String(i).padStart(2, "0")}`)).then((id) => order.push(id))));
    expect(order).toEqual(Array.from({ length: 10 }, (_, i) => `c${String(i).padStart(2, "0")}`));
    await queue.idle();
    expect(queue.depth).toBe(0);
  });
});

describe("before commit", () => {
  const count = async () => (await t.db.kysely.selectFrom("communities").select("id").execute()).length;

  it("GIVEN a before-commit write THEN it runs once per transaction, after the batch's writes, and commits with them", async () => {
    const queue = new WriteQueue(t.db.kysely);
    const seen: number[] = [];
    let transactions = 0;
    queue.beforeCommit(async (trx) => {
      transactions++;
      // Inside the transaction: it sees the batch's rows before they commit.
      seen.push((await trx.selectFrom("communities").select("id").execute()).length);
      await trx.insertInto("communities").values({ id: `summary${transactions}`, name: "s", settings: "{}", created_at: "2026-11-26T00:00:00Z" }).execute();
    });
    await Promise.all(Array.from({ length: 30 }, (_, i) => queue.submit(insert(`c${i}`))));
    expect(transactions).toBe(1);
    expect(seen).toEqual([30]);
    expect(await count()).toBe(31);
  });

  it("GIVEN a batch that rolls back THEN its before-commit write rolls back too and runs again with each retried write", async () => {
    const queue = new WriteQueue(t.db.kysely);
    let runs = 0;
    queue.beforeCommit(async () => {
      runs++;
    });
    const results = await Promise.allSettled([queue.submit(insert("a")), queue.submit(insert("a")), queue.submit(insert("b"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    // The batch failed before reaching it; then a, b (the failing retry never reaches it either).
    expect(runs).toBe(2);
  });

  it("GIVEN a before-commit write that throws THEN nothing of the batch commits and every writer is told", async () => {
    const queue = new WriteQueue(t.db.kysely);
    queue.beforeCommit(async () => {
      throw new Error("summary failed");
    });
    const results = await Promise.allSettled([queue.submit(insert("a")), queue.submit(insert("b"))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(await count()).toBe(0);
  });
});
