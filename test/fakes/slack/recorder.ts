/**
 * An append-only log that tests can wait on.
 *
 * Every side door of the fake (Web API calls, response_url posts, Socket Mode
 * acks) records into one of these. `waitFor` resolves with the first entry —
 * already recorded or still to come — that matches, so tests wait for an
 * observable effect instead of sleeping and hoping the app was fast enough.
 */

interface Waiter<T> {
  readonly predicate: (item: T) => boolean;
  readonly resolve: (item: T) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class Recorder<T> {
  private readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  /** @param describe renders one entry for timeout messages, so a failing wait shows what DID happen. */
  constructor(private readonly describe: (item: T) => string) {}

  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(item)) {
        this.settle(waiter);
        waiter.resolve(item);
      }
    }
  }

  all(): readonly T[] {
    return [...this.items];
  }

  filter(predicate: (item: T) => boolean): T[] {
    return this.items.filter(predicate);
  }

  clear(): void {
    this.items.length = 0;
  }

  waitFor(predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const existing = this.items.find(predicate);
    if (existing !== undefined) return Promise.resolve(existing);

    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.items.map(this.describe);
        reject(
          new Error(
            `Timed out after ${timeoutMs}ms waiting for ${what}. ` +
              `Recorded so far (${seen.length}): ${seen.length > 0 ? seen.join(', ') : 'nothing'}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter<T> = { predicate, resolve, reject, timer };
      this.waiters.add(waiter);
    });
  }

  /** Fails every pending wait; used on close so no test hangs on a dead fake. */
  rejectAll(reason: string): void {
    for (const waiter of [...this.waiters]) {
      this.settle(waiter);
      waiter.reject(new Error(reason));
    }
  }

  private settle(waiter: Waiter<T>): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }
}
