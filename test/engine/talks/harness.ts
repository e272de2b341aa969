import type { DeleteResult, DmResult, EditResult, Outbox, PostResult } from "../../../src/core/outbox.js";
import type { Place } from "../../../src/core/identity.js";
import { plainText, type Reply } from "../../../src/core/reply.js";
import type { TestEngine } from "../../helpers/engine.js";
import { command, member } from "../../helpers/events.js";

/** An outbox that records every post, edit and DM, in order, as plain text. */
export class RecordingOutbox implements Outbox {
  readonly platform = "discord" as const;
  readonly dedupeWindowMs = 0;
  readonly sent: { op: "post" | "edit" | "dm" | "delete"; to: string; text: string; buttons: string[]; id: string }[] = [];
  private n = 0;
  async post(to: Place, reply: Reply): Promise<PostResult> {
    const id = `m${++this.n}`;
    this.sent.push({ op: "post", to: to.channelId, text: plainText(reply.text), buttons: (reply.buttons ?? []).map((b) => b.id), id });
    return { ok: true, messageId: id };
  }
  async edit(to: Place, messageId: string, reply: Reply): Promise<EditResult> {
    this.sent.push({ op: "edit", to: to.channelId, text: plainText(reply.text), buttons: (reply.buttons ?? []).map((b) => b.id), id: messageId });
    return { ok: true, messageId };
  }
  async delete(): Promise<DeleteResult> {
    return { ok: true };
  }
  async dm(memberId: string, reply: Reply): Promise<DmResult> {
    const id = `d${++this.n}`;
    this.sent.push({ op: "dm", to: memberId, text: plainText(reply.text), buttons: [], id });
    return { ok: true, messageId: id, place: { platform: "discord", workspaceId: "g1", channelId: `dm-${memberId}` } };
  }
  of(op: string): RecordingOutbox["sent"] {
    return this.sent.filter((s) => s.op === op);
  }
}

export const admin = member("root", { isPlatformAdmin: true });

export async function configure(t: TestEngine, settings: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(settings)) {
    const reply = await t.engine.command(command({ name: "config", subcommand: "set", by: admin, options: { key, value } }));
    if (reply.tone === "error") throw new Error(`config ${key}: ${reply.text}`);
  }
}

/** `/talk schedule …` by the admin; returns the talk id from the answer. */
export async function scheduleTalk(t: TestEngine, options: Record<string, unknown>): Promise<string> {
  const reply = await t.engine.command(command({ name: "talk", subcommand: "schedule", by: admin, options }));
  const id = /\(talk ([A-Z0-9]+)\)/.exec(plainText(reply.text))?.[1];
  if (!id) throw new Error(`not scheduled: ${plainText(reply.text)}`);
  return id;
}

/** Ticks the scheduler and delivers what the outbox holds, until nothing more is due now. */
export async function settle(t: TestEngine): Promise<void> {
  await t.engine.scheduler.tick();
  await t.engine.drain();
  await t.engine.delivery.deliverDue();
  await t.engine.delivery.deliverDue();
}
