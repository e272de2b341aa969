import type { Place } from "../../core/identity.js";
import { parseNamespacedId } from "../../core/identity.js";
import {
  type DeleteResult,
  type DmResult,
  type EditResult,
  type Outbox,
  type PostResult,
  refused,
  transientFailure,
} from "../../core/outbox.js";
import type { Reply } from "../../core/reply.js";
import type { ConsolePictures } from "./console-pictures.js";
import { renderReply } from "./console-render.js";

/**
 * The bot speaking first in the terminal: posts, edits, deletes and direct messages become
 * transcript lines, in the console's own style (`bot in #general: …`).
 *
 * The console has no rate limits and no permissions to refuse, with two exceptions that keep the
 * contract honest: a member who does not take direct messages (`refusesDirectMessages`, the
 * console's stand-in for closed DMs) answers "not-allowed", and a message the console never showed
 * answers "not-found". A failing output stream is a transient failure, retried by the loop.
 *
 * A repeated post with the same dedupe key prints nothing and returns the first message, for as
 * long as the process lives (`dedupeWindowMs` is unbounded): a console session that restarts
 * starts a fresh transcript, where printing a line again is harmless.
 */
export interface ConsoleOutboxOptions {
  output: NodeJS.WritableStream;
  /** The community's timezone, for times in replies. */
  timezone: () => Promise<string>;
  /** The console's clock, for relative times ("in 2 hours"); the system clock if left out. */
  now?: () => Date;
  /** Members (namespaced ids) who do not take direct messages. */
  refusesDirectMessages?: (memberId: string) => boolean;
  /**
   * Deletes a member's message the console showed and returns how the transcript names it (`#3`),
   * or undefined when there is no such message. The console adapter supplies it; without it only
   * the bot's own posts can be deleted.
   */
  deleteMemberMessage?: (place: Place, messageId: string) => string | undefined;
  /** How the transcript names a thread (`#1`, its parent); the thread id itself if left out or unknown. */
  threadLabel?: (threadId: string) => string | undefined;
  /** Told of every post and edit printed, so the console can make its buttons pressable (`/press`). */
  shown?: (reply: Reply) => void;
  /** Saves the pictures of posts and edits and names their files; without it pictures are left out. */
  pictures?: ConsolePictures;
}

interface OwnPost {
  place: Place;
  /** What the transcript shows now: the last rendering, without the line heads. */
  text: string;
  deleted: boolean;
}

export class ConsoleOutbox implements Outbox {
  readonly platform = "console" as const;
  readonly dedupeWindowMs = Number.POSITIVE_INFINITY;

  private readonly posts = new Map<string, OwnPost>();
  private readonly byDedupeKey = new Map<string, string>();
  private counter = 0;

  constructor(private readonly o: ConsoleOutboxOptions) {}

  async post(to: Place, reply: Reply, dedupeKey: string): Promise<PostResult> {
    if (to.platform !== "console") return refused("rejected", `the console cannot post to ${to.platform}`);
    const known = this.byDedupeKey.get(dedupeKey);
    if (known) return { ok: true, messageId: known };
    const head = `bot in #${to.channelId}${to.threadId ? ` ↳ ${this.o.threadLabel?.(to.threadId) ?? to.threadId}` : ""}: `;
    const written = await this.print(head, reply);
    if (!written.ok) return written;
    const messageId = this.remember(to, dedupeKey, written.text);
    this.o.shown?.(reply);
    return { ok: true, messageId };
  }

  async edit(to: Place, messageId: string, reply: Reply): Promise<EditResult> {
    const post = this.posts.get(messageId);
    if (!post || post.deleted || post.place.channelId !== to.channelId) return refused("not-found", `no post ${messageId} in #${to.channelId}`);
    const written = await this.print(`bot edited its post in #${to.channelId}: `, reply);
    if (!written.ok) return written;
    post.text = written.text;
    this.o.shown?.(reply);
    return { ok: true, messageId };
  }

  async delete(to: Place, messageId: string): Promise<DeleteResult> {
    const post = this.posts.get(messageId);
    if (post && !post.deleted && post.place.channelId === to.channelId) {
      const written = await this.write([`  (bot deleted its post in #${to.channelId})`]);
      if (written.ok) post.deleted = true;
      return written;
    }
    const label = post ? undefined : this.o.deleteMemberMessage?.(to, messageId);
    if (label === undefined) return refused("not-found", `no message ${messageId} in #${to.channelId}`);
    return this.write([`  (bot deleted ${label})`]);
  }

  async dm(memberId: string, reply: Reply, dedupeKey: string): Promise<DmResult> {
    const member = parseNamespacedId(memberId);
    if (member?.platform !== "console") return refused("rejected", `the console cannot message ${memberId}`);
    if (this.o.refusesDirectMessages?.(memberId)) return refused("not-allowed", `@${member.localId} does not take direct messages`);
    const place: Place = { platform: "console", workspaceId: member.workspaceId, channelId: `@${member.localId}` };
    const known = this.byDedupeKey.get(dedupeKey);
    if (known) return { ok: true, messageId: known, place };
    const written = await this.print(`bot → @${member.localId} (direct message): `, reply);
    if (!written.ok) return written;
    return { ok: true, messageId: this.remember(place, dedupeKey, written.text), place };
  }

  /** The bot's messages the transcript shows in a place (or DM) now, oldest first: what a reader sees. */
  shownIn(place: Pick<Place, "channelId" | "threadId">): { messageId: string; text: string }[] {
    return [...this.posts.entries()]
      .filter(([, p]) => !p.deleted && p.place.channelId === place.channelId && p.place.threadId === place.threadId)
      .map(([messageId, p]) => ({ messageId, text: p.text }));
  }

  private remember(place: Place, dedupeKey: string, text: string): string {
    this.counter += 1;
    const messageId = `out-${this.counter}`;
    this.posts.set(messageId, { place, text, deleted: false });
    this.byDedupeKey.set(dedupeKey, messageId);
    return messageId;
  }

  /** The reply as the console renders it, under `head` instead of `bot: `. */
  private async print(head: string, reply: Reply): Promise<{ ok: true; text: string } | ReturnType<typeof transientFailure>> {
    const rendered = renderReply({ ...reply, ephemeral: false }, await this.o.timezone(), this.o.now?.(), this.o.pictures?.save(reply));
    const body = rendered.map((line) => line.slice("bot: ".length));
    const written = await this.write(body.map((line, i) => (i === 0 ? head : " ".repeat(head.length)) + line));
    return written.ok ? { ok: true, text: body.join("\n") } : written;
  }

  /** Resolves once the stream took the lines, so a broken output is an answer, not a lost line. */
  private write(lines: string[]): Promise<{ ok: true } | ReturnType<typeof transientFailure>> {
    return new Promise((resolve) => {
      try {
        this.o.output.write(`${lines.join("\n")}\n`, (error) => resolve(error ? transientFailure(true, `output: ${error.message}`) : { ok: true }));
      } catch (error) {
        resolve(transientFailure(false, `output: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
  }
}
