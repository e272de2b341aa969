import { fork, type ChildProcess } from "node:child_process";
import { Ceiling } from "./ceiling.js";
import type { BenchEvent } from "./synthetic-community.js";

/**
 * The community id the ceiling writes under: as long as the ids the engine makes (9 random bytes in
 * base64url, community-directory.ts), since every key of totals, members, messages and reactions
 * starts with it. The ceiling had written under "bench" (5 characters against 12): smaller index
 * entries than the engine's, for the same rows.
 */
export const CEILING_COMMUNITY = "benchCeiling";

/**
 * The ceiling in a process of its own, so that the engine's figures (peak RSS, heap, GC) are the
 * engine's alone — the same reason the stream model runs in a child. The child makes the same
 * stream itself (same seed: the same events), so no chunk of events is held in the engine's
 * process or copied between them; it runs the next `count` events whenever asked and answers with
 * the seconds that took (making the events included, as for the engine), measured inside it.
 */
export class CeilingProcess {
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  events = 0;
  seconds = 0;

  /** `args` are what the child is started with (the bench's own, plus `--ceiling-child <file>`). */
  constructor(script: string, args: readonly string[]) {
    this.child = fork(script, [...args], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.ready = this.next<{ ready: true }>().then(() => undefined);
  }

  /** Runs the stream's next `count` events (or what is left) in the child. */
  async run(count: number): Promise<void> {
    await this.ready;
    this.child.send({ run: count });
    const done = await this.next<{ events: number; seconds: number }>();
    this.events += done.events;
    this.seconds += done.seconds;
  }

  async stop(): Promise<void> {
    await this.ready;
    this.child.send({ stop: true });
    await new Promise<void>((resolve, reject) => {
      this.child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the ceiling process exited with ${code}`))));
    });
  }

  private next<T>(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the ceiling process exited with ${code}`));
      this.child.once("exit", onExit);
      this.child.once("message", (message) => {
        this.child.off("exit", onExit);
        resolve(message as T);
      });
    });
  }
}

/** The child's side: answers the parent's requests until told to stop. */
export function serveCeiling(file: string, communityId: string, events: Iterator<BenchEvent>): void {
  const ceiling = new Ceiling(file, communityId);
  const send = (message: object) => process.send?.(message);
  process.on("message", (message: { run?: number; stop?: boolean }) => {
    if (message.stop) {
      void ceiling.stop().then(() => process.exit(0));
      return;
    }
    // Timed from the first event taken, as the engine's chunk is: both make their events as they go.
    const started = performance.now();
    const chunk: BenchEvent[] = [];
    for (let i = 0; i < (message.run ?? 0); i++) {
      const next = events.next();
      if (next.done) break;
      chunk.push(next.value);
    }
    ceiling.run(chunk);
    send({ events: chunk.length, seconds: (performance.now() - started) / 1000 });
  });
  send({ ready: true });
}
