/**
 * "Wait until something matching X has happened", without sleeping: a growing log plus waiters that are checked
 * whenever an entry is appended. Used for REST requests and gateway frames alike.
 */
interface Waiter<T> {
  test: (item: T) => boolean;
  resolve: (item: T) => void;
  cancel: (reason: Error) => void;
}

export class WatchedLog<T> {
  private readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private closedReason: string | null = null;

  constructor(private readonly describe: (item: T) => string) {}

  get all(): readonly T[] {
    return this.items;
  }

  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(item)) {
        this.waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
  }

  /**
   * Resolves with the first entry (already logged or yet to come) that matches; rejects after `timeoutMs` with a
   * listing of what did arrive, which is usually all you need to see why a test failed.
   */
  waitFor(predicate: (item: T) => boolean, timeoutMs: number, what = "entry"): Promise<T> {
    const existing = this.items.find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);
    return this.waitForNext(predicate, timeoutMs, what);
  }

  /** Like waitFor, but ignores what is already logged. */
  waitForNext(predicate: (item: T) => boolean, timeoutMs: number, what = "entry"): Promise<T> {
    if (this.closedReason !== null) return Promise.reject(new Error(this.closedReason));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.items.map((item) => `  ${this.describe(item)}`).join("\n") || "  (nothing)";
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for a matching ${what}. Seen so far:\n${seen}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        test: predicate,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
        cancel: (reason: Error) => {
          clearTimeout(timer);
          reject(reason);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves once `count` entries match (counting ones already logged). */
  async waitForCount(predicate: (item: T) => boolean, count: number, timeoutMs: number, what = "entry"): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.items.filter(predicate);
      if (matching.length >= count) return matching.slice(0, count);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`Timed out after ${timeoutMs} ms: ${matching.length}/${count} matching ${what}s`);
      }
      try {
        await this.waitForNext(predicate, left, what);
      } catch (error) {
        if (this.closedReason !== null) throw error;
        // A timeout: loop once more so the error reports the count.
      }
    }
  }

  /** Fails every pending wait (on close), so no timer outlives the fake. */
  cancelWaiters(reason: string): void {
    this.closedReason = reason;
    for (const waiter of this.waiters) waiter.cancel(new Error(reason));
    this.waiters.clear();
  }
}
