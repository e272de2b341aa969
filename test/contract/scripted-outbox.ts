/**
 * A platform outbox for the delivery loop's tests: it records every call, keeps the messages it
 * "posted", and answers from a script (a failure, or "die" — a call that never returns, as when
 * the process is killed between sending and marking).
 */
import type { Place, Platform } from "../../src/core/identity.js";
import { type DeleteResult, type DmResult, type EditResult, type Outbox, type OutboxFailure, type PostResult, refused } from "../../src/core/outbox.js";
import type { Reply } from "../../src/core/reply.js";

export interface ScriptedCall {
  op: "post" | "edit" | "delete" | "dm";
  place?: Place;
  memberId?: string;
  messageId?: string;
  text?: string;
  dedupeKey?: string;
}

/** "die": do the work (the message exists) but never answer. */
export type ScriptedAnswer = OutboxFailure | "die";

export class ScriptedOutbox implements Outbox {
  readonly calls: ScriptedCall[] = [];
  /** Messages that exist now, by id. */
  readonly messages = new Map<string, { place: Place; text: string }>();
  private readonly script: ScriptedAnswer[] = [];
  private counter = 0;

  constructor(
    readonly platform: Platform = "discord",
    readonly dedupeWindowMs = 0,
  ) {}

  /** The next calls answer these, in order; then calls succeed again. */
  answerNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  async post(to: Place, reply: Reply, dedupeKey: string): Promise<PostResult> {
    this.calls.push({ op: "post", place: to, text: reply.text, dedupeKey });
    return this.answer(() => this.create(to, reply.text));
  }

  async edit(to: Place, messageId: string, reply: Reply): Promise<EditResult> {
    this.calls.push({ op: "edit", place: to, messageId, text: reply.text });
    return this.answer((): EditResult => {
      const message = this.messages.get(messageId);
      if (!message) return refused("not-found", "unknown message");
      message.text = reply.text;
      return { ok: true, messageId };
    });
  }

  async delete(to: Place, messageId: string): Promise<DeleteResult> {
    this.calls.push({ op: "delete", place: to, messageId });
    return this.answer((): DeleteResult => (this.messages.delete(messageId) ? { ok: true } : refused("not-found", "unknown message")));
  }

  async dm(memberId: string, reply: Reply, dedupeKey: string): Promise<DmResult> {
    this.calls.push({ op: "dm", memberId, text: reply.text, dedupeKey });
    const place: Place = { platform: this.platform, workspaceId: "w", channelId: `dm-${memberId}` };
    return this.answer(() => ({ ...this.create(place, reply.text), place }));
  }

  /** Calls of one kind, in order. */
  callsOf(op: ScriptedCall["op"]): ScriptedCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  private create(place: Place, text: string): { ok: true; messageId: string } {
    this.counter += 1;
    const messageId = `m${this.counter}`;
    this.messages.set(messageId, { place, text });
    return { ok: true, messageId };
  }

  private answer<T>(work: () => T): Promise<T | OutboxFailure> {
    const next = this.script.shift();
    if (next === "die") {
      work();
      return new Promise(() => undefined);
    }
    return Promise.resolve(next ?? work());
  }
}
