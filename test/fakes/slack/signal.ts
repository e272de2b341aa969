/**
 * A one-shot value a listener hands to the test ("the reaction_added listener
 * ran, with these args"), awaited with a timeout instead of a sleep.
 */
export interface Signal<T> {
  /** First call wins; later calls are ignored (listeners may fire again on retries). */
  resolve(value: T): void;
  wait(timeoutMs?: number): Promise<T>;
  readonly fired: boolean;
}

export function signal<T = void>(label = 'signal'): Signal<T> {
  let settle: ((value: T) => void) | undefined;
  let fired = false;
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return {
    resolve(value: T) {
      if (fired) return;
      fired = true;
      settle?.(value);
    },
    get fired() {
      return fired;
    },
    wait(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs}ms waiting for ${label}`)), timeoutMs);
      });
      return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
    },
  };
}
