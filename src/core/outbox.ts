import type { Place, Platform } from "./identity.js";
import type { Reply } from "./reply.js";

/**
 * How the engine speaks first — announcements, level-ups, queue items, reminders, weekly boards —
 * as opposed to answering a command. Each adapter implements it for its platform; the engine's
 * durable outbox (`src/engine/outbox/`) calls it from its delivery loop, so nothing here needs to
 * retry or remember anything.
 *
 * Every method answers with what the platform said, as a value: "not allowed here" is an answer,
 * not an exception. An implementation throws only for its own bugs, never for a platform's answer.
 *
 * @example
 * const result = await outbox.post(place, { text: "Hello" }, "welcome:discord:1:2");
 * if (result.ok) remember(result.messageId);
 * else if (isRetryable(result)) retryLater(result.reason === "rate-limited" ? result.retryAfterMs : undefined);
 * else log.warn({ reason: result.reason, detail: result.detail }, "the platform refused");
 */
export interface Outbox {
  /** The platform this outbox speaks on. */
  readonly platform: Platform;
  /**
   * How long the platform itself drops a repeated post with the same `dedupeKey` (Discord's nonce
   * with `enforce_nonce`: a few minutes). 0 when it cannot (Slack): then a repeated request is a
   * second message, and the delivery loop repeats a post whose outcome is unknown at most once.
   */
  readonly dedupeWindowMs: number;

  /**
   * Posts `reply` at `to` (a channel, or a thread of it). `dedupeKey` names the post: where the
   * platform can, a repeated request with the same key returns the first message instead of
   * creating a second. An ephemeral reply has nobody to be shown to here and is posted normally.
   */
  post(to: Place, reply: Reply, dedupeKey: string): Promise<PostResult>;

  /** Replaces the content of the bot's own message `messageId` at `to`. */
  edit(to: Place, messageId: string, reply: Reply): Promise<EditResult>;

  /**
   * Deletes message `messageId` at `to`: the bot's own, or a member's where the platform lets the
   * bot (Discord: Manage Messages; Slack: a bot token deletes only the bot's own messages, so a
   * member's message answers "not-allowed").
   */
  delete(to: Place, messageId: string): Promise<DeleteResult>;

  /**
   * A direct message to one member (`memberId` is namespaced: `<platform>:<workspace>:<user>`).
   * The answer's `place` is the direct conversation, for later edits and deletes.
   */
  dm(memberId: string, reply: Reply, dedupeKey: string): Promise<DmResult>;
}

/** Why a platform did not do what was asked, when asking again will not change its mind. */
export type OutboxRefusalReason =
  /** The bot lacks a permission, the member blocks DMs, the message is not the bot's to edit. */
  | "not-allowed"
  /** The channel, message or member does not exist (any more). */
  | "not-found"
  /** The platform refused the request itself (content too long, invalid blocks, wrong platform). */
  | "rejected";

/** A final "no" from the platform: not retried. */
export interface OutboxRefused {
  ok: false;
  reason: OutboxRefusalReason;
  /** What the platform said (an error code and message), safe to log: never a token or URL. */
  detail: string;
}

/** The platform asked us to slow down: try again no earlier than `retryAfterMs` from now. */
export interface OutboxRateLimited {
  ok: false;
  reason: "rate-limited";
  /** Discord's `Retry-After` / `retry_after`, Slack's `Retry-After`, in milliseconds. */
  retryAfterMs: number;
  detail: string;
}

/** A failure that may pass: a timeout, a reset connection, a 5xx, the platform's "internal error". */
export interface OutboxTransientFailure {
  ok: false;
  reason: "transient";
  /**
   * True when the request may have taken effect anyway (it reached the platform and the answer
   * was lost, or the platform said "internal error, some of it may have happened"). False when it
   * certainly did not (the connection was refused). Decides whether a retry risks a repeat.
   */
  maybeDone: boolean;
  detail: string;
}

/** Any answer other than success. */
export type OutboxFailure = OutboxRefused | OutboxRateLimited | OutboxTransientFailure;

/** A post or direct message was created; `messageId` is Discord's message id or Slack's `ts`. */
export interface OutboxPosted {
  ok: true;
  messageId: string;
}

export type PostResult = OutboxPosted | OutboxFailure;

export type EditResult = OutboxPosted | OutboxFailure;

/** A message already gone answers "not-found" (the delivery loop counts that as done). */
export type DeleteResult = { ok: true } | OutboxFailure;

/** A direct message was sent into the conversation `place` (Discord's DM channel, Slack's `D…`). */
export interface OutboxDirectMessage extends OutboxPosted {
  place: Place;
}

export type DmResult = OutboxDirectMessage | OutboxFailure;

/** Whether asking again later may succeed (a rate limit or a transient failure). */
export function isRetryable(result: { ok: boolean }): result is OutboxRateLimited | OutboxTransientFailure {
  if (result.ok) return false;
  const reason = (result as OutboxFailure).reason;
  return reason === "rate-limited" || reason === "transient";
}

/** A final refusal, e.g. `refused("not-allowed", "50013 Missing Permissions")`. */
export function refused(reason: OutboxRefusalReason, detail: string): OutboxRefused {
  return { ok: false, reason, detail };
}

export function rateLimited(retryAfterMs: number, detail: string): OutboxRateLimited {
  return { ok: false, reason: "rate-limited", retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)), detail };
}

export function transientFailure(maybeDone: boolean, detail: string): OutboxTransientFailure {
  return { ok: false, reason: "transient", maybeDone, detail };
}

/** Network errors that mean the request never left this machine, so it cannot have taken effect. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * A thrown network error as a transient failure. Node's fetch wraps the socket error in `cause`;
 * a refused connection certainly did nothing, anything else (a reset, a timeout) may have.
 */
export function networkFailure(error: unknown): OutboxTransientFailure {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && NEVER_SENT_CODES.has(code)) return transientFailure(false, code);
    cause = (cause as { cause?: unknown }).cause;
  }
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return transientFailure(true, `${name}: ${message}`.slice(0, 300));
}
