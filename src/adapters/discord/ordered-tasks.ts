/**
 * Runs the adapter's work so that order is kept where it matters and nothing is lost on stop.
 *
 * discord.js emits gateway events synchronously and never awaits listeners, so without this a
 * reaction removal could reach the engine before the addition it undoes. Events of one Discord
 * channel (a thread is its own channel) run one after another, each awaited to commit; different
 * channels run side by side, which lets the engine's write queue commit them in one transaction.
 *
 * A key's chain is forgotten as soon as it drains, so a server with thousands of channels holds
 * entries only for channels with work in flight.
 */
export class OrderedTasks {
  private readonly chains = new Map<string, { tail: Promise<void>; size: number }>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly onError: (error: unknown, label: string) => void) {}

  /** Runs `task` after every earlier task with the same key has settled. */
  inOrder(key: string, label: string, task: () => Promise<unknown>): void {
    let chain = this.chains.get(key);
    if (!chain) {
      chain = { tail: Promise.resolve(), size: 0 };
      this.chains.set(key, chain);
    }
    const current = chain;
    current.size++;
    this.inFlight++;
    current.tail = current.tail
      .then(task)
      .then(
        () => undefined,
        (error: unknown) => this.onError(error, label),
      )
      .finally(() => {
        current.size--;
        if (current.size === 0 && this.chains.get(key) === current) this.chains.delete(key);
        this.settled();
      });
  }

  /** Runs `task` now, unordered (interactions, level-up rewards), but still waited for by {@link idle}. */
  detached(label: string, task: () => Promise<unknown>): void {
    this.inFlight++;
    void Promise.resolve()
      .then(task)
      .then(
        () => undefined,
        (error: unknown) => this.onError(error, label),
      )
      .finally(() => this.settled());
  }

  /** Number of tasks queued or running. */
  get size(): number {
    return this.inFlight;
  }

  /** Resolves once every task accepted so far has settled, or after `timeoutMs`, whichever is first. */
  idle(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(resolve, timeoutMs) : undefined;
      this.idleWaiters.push(() => {
        if (timer) clearTimeout(timer);
        resolve();
      });
    });
  }

  private settled(): void {
    this.inFlight--;
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
