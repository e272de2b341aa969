import { createHistogram, performance } from "node:perf_hooks";

/** Small helpers for the benchmark's figures. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Samples memory every 50 ms; `stop()` returns the usage seen when resident memory peaked. */
export class RssSampler {
  private peak = process.memoryUsage();
  private readonly timer = setInterval(() => {
    const now = process.memoryUsage();
    if (now.rss > this.peak.rss) this.peak = now;
  }, 50);
  stop(): NodeJS.MemoryUsage {
    clearInterval(this.timer);
    return this.peak;
  }
}

export function table(out: (line: string) => void, rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out(`  ${k.padEnd(width)}  ${v}`);
}

/**
 * Event-loop delay over chosen stretches only (monitorEventLoopDelay cannot be paused without
 * counting the pause, nor merged): a 10 ms timer records how late it fires, while started.
 */
export class LoopDelay {
  readonly histogram = createHistogram();
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.histogram.record(Math.max(1, Math.round((now - this.last - 10) * 1e6)));
      this.last = now;
    }, 10);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
