import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import { PLATFORMS, parseNamespacedId, type Place, type Platform } from "../../core/identity.js";
import type { Reply } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import { type OutboxEntry, placeDedupeKey } from "./outbox-entry.js";
import { findOutboxRow, insertOutboxRow } from "./outbox.repo.js";

/**
 * Writes what the engine decided to say into the outbox, inside the caller's transaction — the
 * decision's — so the decision and what it says commit together or not at all. Delivery is the
 * loop's business (`OutboxDelivery`); nothing here talks to a platform.
 *
 * @example
 * await writeQueue.submit(async (trx) => {
 *   await recordLevelUp(trx, …);
 *   await outbox.enqueue(trx, { communityId, dedupeKey: `levelup:${communityId}:${memberId}:${level}`,
 *     operation: "post", to: announcements, reply });
 * });
 */
export interface EnqueueResult {
  dedupeKey: string;
  /** False when a row with this dedupe key already existed (the entry was not written again). */
  created: boolean;
}

/** One post on each of several places — the places a multi-platform community addresses. */
export interface PostEverywhereInput {
  communityId: string;
  /** The decision's key; each place's row gets {@link placeDedupeKey}(dedupeKey, place). */
  dedupeKey: string;
  places: readonly Place[];
  reply: Reply;
}

export class OutboxWriter {
  constructor(
    private readonly clock: Clock,
    /** Told of every row written (the engine wakes the delivery loop after the next commit). */
    private readonly onEnqueued: () => void = () => {},
  ) {}

  /**
   * Writes one row, idempotently on `entry.dedupeKey`: a second enqueue with the same key leaves
   * the first row as it is, whatever it says. Edits and deletes by `of` take the platform of the
   * post they name, which must have been enqueued already (in this transaction or before).
   *
   * Throws only on a programming error (an unknown platform, a member id that is not namespaced,
   * an `of` that names no post), which rolls the caller's transaction back.
   */
  async enqueue(db: Kysely<Database>, entry: OutboxEntry): Promise<EnqueueResult> {
    const now = this.clock.now();
    const base = {
      id: newOutboxId(now),
      community_id: entry.communityId,
      operation: entry.operation,
      dedupe_key: entry.dedupeKey,
      state: "pending",
      next_attempt_at: now.toISOString(),
      created_at: now.toISOString(),
    };
    let row;
    switch (entry.operation) {
      case "post":
        row = { ...base, platform: platformOf(entry.to), destination: JSON.stringify(entry.to), reply: JSON.stringify(entry.reply) };
        break;
      case "dm": {
        const member = parseNamespacedId(entry.memberId);
        if (!member) throw new Error(`outbox: "${entry.memberId}" is not a namespaced member id`);
        row = { ...base, platform: member.platform, destination: JSON.stringify({ memberId: entry.memberId }), reply: JSON.stringify(entry.reply) };
        break;
      }
      case "edit":
      case "delete": {
        const reply = entry.operation === "edit" ? JSON.stringify(entry.reply) : null;
        if ("of" in entry) {
          const post = await findOutboxRow(db, entry.of);
          if (!post || (post.operation !== "post" && post.operation !== "dm")) throw new Error(`outbox: ${entry.operation} of "${entry.of}", but no post was enqueued under that key`);
          row = { ...base, platform: post.platform, ref_key: entry.of, reply };
        } else {
          row = { ...base, platform: platformOf(entry.to), destination: JSON.stringify(entry.to), target_message_id: entry.messageId, reply };
        }
        break;
      }
    }
    const created = await insertOutboxRow(db, row);
    if (created) this.onEnqueued();
    return { dedupeKey: entry.dedupeKey, created };
  }

  /**
   * One post per place, each with its own derived dedupe key (a community on Discord and Slack
   * gets the post on each platform it addresses). Places are de-duplicated; edit a copy later
   * with `{ operation: "edit", of: placeDedupeKey(dedupeKey, place) }`.
   */
  async postEverywhere(db: Kysely<Database>, input: PostEverywhereInput): Promise<EnqueueResult[]> {
    const results: EnqueueResult[] = [];
    const seen = new Set<string>();
    for (const place of input.places) {
      const dedupeKey = placeDedupeKey(input.dedupeKey, place);
      if (seen.has(dedupeKey)) continue;
      seen.add(dedupeKey);
      results.push(await this.enqueue(db, { communityId: input.communityId, dedupeKey, operation: "post", to: place, reply: input.reply }));
    }
    return results;
  }
}

function platformOf(place: Place): Platform {
  if (!(PLATFORMS as readonly string[]).includes(place.platform)) throw new Error(`outbox: unknown platform "${String(place.platform)}"`);
  return place.platform;
}

let sequence = 0;
// Random bytes drawn a page at a time: one randomBytes call costs about as much as the insert the id is for.
let pool = Buffer.alloc(0);
let offset = 0;

function randomHex4(): string {
  if (offset + 4 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += 4;
  return pool.toString("hex", offset - 4, offset);
}

/**
 * Ids made in the app: time first (base 36, fixed width), then a per-process counter, so rows made
 * in one transaction — which share a `created_at` — still sort in the order they were written; then
 * four random bytes, so two processes writing in the same millisecond do not collide.
 */
export function newOutboxId(at: Date): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${at.getTime().toString(36).padStart(9, "0")}${sequence.toString(36).padStart(4, "0")}${randomHex4()}`;
}
