import { describe, expect, it, vi } from "vitest";
import { OrderedTasks } from "../../../src/adapters/discord/ordered-tasks.js";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("OrderedTasks", () => {
  it("GIVEN tasks of one channel THEN each starts after the previous settled; other channels do not wait", async () => {
    const errors: string[] = [];
    const tasks = new OrderedTasks((_e, label) => errors.push(label));
    const log: string[] = [];

    tasks.inOrder("a", "a1", async () => {
      await tick(20);
      log.push("a1");
    });
    tasks.inOrder("a", "a2", async () => {
      log.push("a2");
      throw new Error("boom");
    });
    tasks.inOrder("a", "a3", async () => {
      log.push("a3");
    });
    tasks.inOrder("b", "b1", async () => {
      log.push("b1");
    });
    await tasks.idle();

    expect(log).toEqual(["b1", "a1", "a2", "a3"]);
    expect(errors).toEqual(["a2"]);
    expect(tasks.size).toBe(0);
  });

  it("GIVEN a task that never ends THEN idle gives up after its timeout", async () => {
    const tasks = new OrderedTasks(() => {});
    tasks.detached("stuck", () => new Promise(() => {}));

    vi.useFakeTimers();
    try {
      let settled = false;
      const idle = tasks.idle(50).then(() => void (settled = true));
      await vi.advanceTimersByTimeAsync(49);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await idle;
      expect(settled).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    expect(tasks.size).toBe(1);
  });
});
