import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";
import type { ActivityEvent, EventGate } from "../capability.js";
import type { Community } from "../communities/community.repo.js";
import type { WriteQueue } from "../write-queue.js";
import { memberHash } from "./pseudonyms.js";

/**
 * The tombstones of forgotten members, in memory, and the gate that drops their old events.
 *
 * Platforms deliver events again (a reconnect, a retry, an import), with the same natural keys and
 * the same member id. Forgetting renamed that id everywhere, so such an event would find no row of
 * theirs and be counted afresh: a member row with their name, points, a moderation score, a
 * remembered text. The gate stops it before any handler: an event whose author, reactor or reacted
 * author (or, for a mention, that mention only) is a forgotten member, stamped at or before the
 * moment they were forgotten, is dropped. Activity after that moment is a member coming back: it
 * is let through and counts for a new member, from nothing (docs/forget-me.md). A later reaction by
 * someone else loses only its hint of who the reacted message's author is, so the message's
 * recorded author (the pseudonym) earns it.
 *
 * The hot path pays nothing for a community nobody asked to leave (one Map look-up), and otherwise
 * one sha256 per member named by the event, from a small memo: never a database read. The
 * tombstones are read once per community, on its first event, and again every `refreshMs` of the
 * engine's clock, so forgettings made by another process (`npm run forget` on Postgres) reach this
 * one within a minute. A forgetting made here is seen at once — by the events after it in the same
 * transaction too — and forgotten again if its transaction rolls back.
 */
export class ForgottenMembers implements EventGate {
  /** Community → member hash → forgotten at (ms), as committed. */
  private readonly committed = new Map<string, Map<string, number>>();
  /** Added by the open transaction; committed with it, dropped if it rolls back. */
  private pending: { communityId: string; hash: string; at: number }[] = [];
  private readonly loads = new Map<string, { at: number; loading?: Promise<void> }>();
  /** Community → member id → its hash: most events come from members seen a moment ago. */
  private hashes = new Map<string, Map<string, string>>();
  private hashed = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    writes: WriteQueue,
    private readonly refreshMs = 60_000,
  ) {
    writes.onCommit(() => this.settle());
    writes.onRollback(() => void (this.pending = []));
  }

  ready(community: Community): Promise<void> | undefined {
    const load = this.loads.get(community.id);
    if (load?.loading) return load.loading;
    const now = this.clock.now().getTime();
    if (load && now - load.at < this.refreshMs) return undefined;
    const entry: { at: number; loading?: Promise<void> } = { at: load?.at ?? 0 };
    entry.loading = this.load(community.id).then(
      () => void Object.assign(entry, { at: now, loading: undefined }),
      (error: unknown) => {
        entry.loading = undefined;
        // A refresh that fails keeps what was read before (and tries again next time); without a
        // first read the gate cannot answer, so the event fails and is retried like any other.
        if (entry.at === 0) throw error;
        entry.at = now;
      },
    );
    this.loads.set(community.id, entry);
    return entry.loading;
  }

  admit(community: Community, event: ActivityEvent): ActivityEvent | undefined {
    const known = this.committed.get(community.id);
    if ((known === undefined || known.size === 0) && this.pending.length === 0) return event;
    const at = event.at.getTime();
    const old = (memberId: string) => this.isOld(community.id, memberId, at);
    switch (event.kind) {
      case "message.created": {
        if (old(event.author.id)) return undefined;
        if (!event.mentions.some((m) => old(m.id))) return event;
        return { ...event, mentions: event.mentions.filter((m) => !old(m.id)) };
      }
      case "message.edited":
        return event.author && old(event.author.id) ? undefined : event;
      case "reaction.added":
      case "reaction.removed": {
        if (old(event.actor.id)) return undefined;
        if (event.messageAuthor === undefined || this.forgottenAt(community.id, event.messageAuthor.id) === undefined) return event;
        if (old(event.messageAuthor.id)) return undefined;
        // A new reaction on a forgotten member's message: who wrote it is the message row's (their
        // pseudonym, or them again if it is a new message), never the platform's hint (Slack's
        // item_user), which would create a row under their old id and name.
        const { messageAuthor: _hint, ...rest } = event;
        return rest;
      }
      case "voice.joined":
      case "voice.left":
        return old(event.actor.id) ? undefined : event;
      case "message.deleted":
        return event;
    }
  }

  /** Records tombstones inside `trx` and lets the gate see them at once (undone if `trx` rolls back). */
  async add(trx: Transaction<Database>, communityId: string, memberIds: readonly string[], at: Date): Promise<void> {
    const forgottenAt = at.toISOString();
    for (const memberId of memberIds) {
      const hash = memberHash(communityId, memberId);
      await trx
        .insertInto("forgotten_members")
        .values({ community_id: communityId, member_hash: hash, forgotten_at: forgottenAt })
        .onConflict((oc) => oc.columns(["community_id", "member_hash"]).doUpdateSet({ forgotten_at: forgottenAt }))
        .execute();
      this.pending.push({ communityId, hash, at: at.getTime() });
    }
  }

  /** At or before the member's forgetting (an unreadable time too: it cannot be shown to be newer). */
  private isOld(communityId: string, memberId: string, at: number): boolean {
    const forgottenAt = this.forgottenAt(communityId, memberId);
    return forgottenAt !== undefined && !(at > forgottenAt);
  }

  /** Takes tombstones copied from another copy of the database (after a restore), keeping the later time of each. */
  async adopt(trx: Transaction<Database>, communityId: string, tombstones: readonly Tombstone[]): Promise<void> {
    await keepTombstones(trx, communityId, tombstones);
    for (const t of tombstones) this.pending.push({ communityId, hash: t.member_hash, at: Date.parse(t.forgotten_at) });
  }

  /** When `memberId` was last forgotten in the community (ms), or undefined. */
  forgottenAt(communityId: string, memberId: string): number | undefined {
    const hash = this.hashOf(communityId, memberId);
    let at = this.committed.get(communityId)?.get(hash);
    if (this.pending.length === 0) return at;
    for (const p of this.pending) if (p.communityId === communityId && p.hash === hash && (at === undefined || p.at > at)) at = p.at;
    return at;
  }

  private hashOf(communityId: string, memberId: string): string {
    let known = this.hashes.get(communityId);
    let hash = known?.get(memberId);
    if (hash !== undefined) return hash;
    if (this.hashed >= 50_000) {
      this.hashes = new Map();
      this.hashed = 0;
      known = undefined;
    }
    if (!known) this.hashes.set(communityId, (known = new Map()));
    hash = memberHash(communityId, memberId);
    known.set(memberId, hash);
    this.hashed++;
    return hash;
  }

  private async load(communityId: string): Promise<void> {
    const rows = await this.db.selectFrom("forgotten_members").select(["member_hash", "forgotten_at"]).where("community_id", "=", communityId).execute();
    for (const r of rows) this.remember(communityId, r.member_hash, Date.parse(r.forgotten_at));
  }

  private settle(): void {
    for (const p of this.pending) this.remember(p.communityId, p.hash, p.at);
    this.pending = [];
  }

  private remember(communityId: string, hash: string, at: number): void {
    let known = this.committed.get(communityId);
    if (!known) this.committed.set(communityId, (known = new Map()));
    const before = known.get(hash);
    if (before === undefined || at > before) known.set(hash, at);
  }
}

/** A tombstone as stored and copied: the hash of the member's id, and when they were forgotten. */
export interface Tombstone {
  member_hash: string;
  forgotten_at: string;
}

/**
 * Writes tombstones from another copy of the database (`npm run forget -- --tombstones-from`, a
 * restore), keeping the later `forgotten_at` of two. Returns how many it added or moved. Only the
 * rows: a running engine's gate learns of them through {@link ForgottenMembers.adopt}, or at its
 * next read of the community's tombstones.
 */
export async function keepTombstones(trx: Transaction<Database>, communityId: string, tombstones: readonly Tombstone[]): Promise<number> {
  let kept = 0;
  for (const t of tombstones) {
    const result = await trx
      .insertInto("forgotten_members")
      .values({ community_id: communityId, member_hash: t.member_hash, forgotten_at: t.forgotten_at })
      .onConflict((oc) => oc.columns(["community_id", "member_hash"]).doUpdateSet({ forgotten_at: t.forgotten_at }).where("forgotten_members.forgotten_at", "<", t.forgotten_at))
      .executeTakeFirst();
    kept += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return kept;
}
