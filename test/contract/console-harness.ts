/**
 * The console side of the outbox contract: the console outbox writing to a recorded terminal.
 * The console has no rate limits (the 429 case is skipped) and no permissions to lose; a member
 * may keep their DMs closed, and the terminal itself can fail a write.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConsoleOutbox } from "../../src/adapters/console/console-outbox.js";
import { ConsolePictures } from "../../src/adapters/console/console-pictures.js";
import type { Place } from "../../src/core/identity.js";
import type { OutboxHarness } from "./outbox-contract.js";

/** A terminal that keeps every write, and can fail the next one (as a closed pipe would). */
export class RecordedTerminal {
  readonly writes: { text: string; ok: boolean }[] = [];
  private failures = 0;

  failNextWrite(): void {
    this.failures += 1;
  }

  get lines(): string[] {
    return this.writes.filter((w) => w.ok).flatMap((w) => w.text.split("\n").filter(Boolean));
  }

  asStream(): NodeJS.WritableStream {
    const write = (chunk: string, callback?: (error?: Error | null) => void): boolean => {
      const ok = this.failures === 0;
      if (!ok) this.failures -= 1;
      this.writes.push({ text: chunk, ok });
      queueMicrotask(() => callback?.(ok ? null : Object.assign(new Error("write EPIPE"), { code: "EPIPE" })));
      return ok;
    };
    return { write } as unknown as NodeJS.WritableStream;
  }
}

export async function startConsoleHarness(): Promise<OutboxHarness & { terminal: RecordedTerminal }> {
  const terminal = new RecordedTerminal();
  const memberMessages = new Map<string, number>();
  let counter = 0;
  const picturesDir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-console-pictures-"));
  const outbox = new ConsoleOutbox({
    output: terminal.asStream(),
    pictures: new ConsolePictures(picturesDir),
    timezone: async () => "Europe/Berlin",
    refusesDirectMessages: (memberId) => memberId === "console:local:bob",
    deleteMemberMessage: (_place, messageId) => {
      const n = memberMessages.get(messageId);
      if (n === undefined) return undefined;
      memberMessages.delete(messageId);
      return `#${n}`;
    },
  });
  const place = (threadId?: string): Place => ({ platform: "console", workspaceId: "local", channelId: "general", ...(threadId ? { threadId } : {}) });
  return {
    terminal,
    outbox,
    channel: place(),
    thread: place("console:local:general:1"),
    member: "console:local:ada",
    memberWithClosedDms: "console:local:bob",
    deletesMemberMessages: true,
    async memberMessage() {
      counter += 1;
      const id = `msg-${counter}`;
      memberMessages.set(id, counter);
      return id;
    },
    shown: (at) => outbox.shownIn(at),
    // The console prints each saved picture's path under the post it belongs to.
    pictures: (at) =>
      terminal.writes
        .filter((w) => w.ok && w.text.startsWith(`bot in #${at.channelId}${at.threadId ? ` ↳ ${at.threadId}` : ""}: `))
        .flatMap((w) => [...w.text.matchAll(/^ +picture: (.+\.png)$/gm)].map((m) => fs.readFileSync(m[1]!))),
    received: () =>
      terminal.writes.flatMap((w) => {
        const op = w.text.startsWith("bot in #") || w.text.startsWith("bot → ") ? "post" : w.text.startsWith("bot edited") ? "edit" : w.text.includes("(bot deleted") ? "delete" : undefined;
        return op ? [{ op, ok: w.ok }] : [];
      }),
    failNextPost: () => terminal.failNextWrite(),
    timeMoved: () => undefined,
    close: async () => fs.rmSync(picturesDir, { recursive: true, force: true }),
  };
}
