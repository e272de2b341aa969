import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { within } from "../../src/core/within.js";

/** Whether `promise` has settled, without waiting for it (a few microtask turns only). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("within: one timeout race", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("GIVEN work that settles in time THEN its value comes back and no timer is left behind", async () => {
    const work = deferred<string>();
    const raced = within(work.promise, 1_000);
    vi.advanceTimersByTime(999);
    work.resolve("answer");

    expect(await raced).toEqual({ value: "answer" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("GIVEN work slower than the limit THEN 'timed-out' exactly at the limit, and the work can still be awaited", async () => {
    const work = deferred<string>();
    const raced = within(work.promise, 1_000);

    vi.advanceTimersByTime(999);
    expect(await settled(raced)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await raced).toBe("timed-out");
    expect(vi.getTimerCount()).toBe(0);

    work.resolve("late answer");
    expect(await work.promise).toBe("late answer");
  });

  it("GIVEN work that fails in time THEN the failure is rethrown and the timer cleared", async () => {
    const work = deferred<string>();
    const raced = within(work.promise, 1_000);
    work.reject(new Error("disk full"));

    await expect(raced).rejects.toThrow("disk full");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("GIVEN work that fails after the limit THEN 'timed-out', and the late failure is the work's own to handle", async () => {
    const work = deferred<string>();
    const raced = within(work.promise, 10);
    vi.advanceTimersByTime(10);
    expect(await raced).toBe("timed-out");

    work.reject(new Error("late failure"));
    await expect(work.promise).rejects.toThrow("late failure");
  });
});
