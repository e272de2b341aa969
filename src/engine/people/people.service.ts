import type { Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Actor, Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { lockPerson, membersOfPerson, postMovement, standingOf } from "../economy/wallet.js";
import type { PointsOutcome } from "../points/outcome.js";
import type { PointsService } from "../points/points.service.js";
import type { WriteQueue } from "../write-queue.js";
import { CODE_LIFETIME_MS, CODES_PER_WINDOW, hashCode, newCode, normalizeCode, platformOf, RATE_WINDOW_MS } from "./link-codes.js";
import { codeOfCause, codesSince, findCode, insertCode, linksOfKey, memberOf, platformsOf, recordLink, spendCode } from "./people.repo.js";

/** What `/link` with no code answered. */
export type CodeResult =
  | { ok: true; code: string; expiresAt: Date; otherPlatforms: string[] }
  | { ok: false; reason: "bot" | "one-platform" | "replayed" }
  | { ok: false; reason: "rate-limited"; retryAt: Date };

/** What `/link CODE` answered. */
export type LinkResult =
  | { ok: true; personId: string; personName: string; replayed: boolean; outcome: PointsOutcome }
  | { ok: false; reason: "bot" | "bad-code" | "unknown-code" | "other-community" | "used" | "expired" | "same-platform" | "self-linked" | "platform-taken"; platform?: string };

/** What `/unlink` answered: the members split off the person (none: it was not linked). */
export type UnlinkResult = { ok: true; personId: string; split: string[]; replayed: boolean; settled: number } | { ok: false; reason: "not-linked" };

/**
 * One person across platforms (issue 13): `/link` hands out a one-time code on one platform, and
 * `/link CODE` on another joins the two members into one person; `/unlink` splits them again.
 * Each is one write-queue transaction keyed by the interaction, so a replay changes nothing twice.
 * The totals and the member cache are the points service's business (`linkIn`, `unlinkIn`); this
 * decides who may link and keeps the code and the history. See docs/linked-identities.md.
 */
export class PeopleService {
  constructor(
    private readonly writes: WriteQueue,
    private readonly clock: Clock,
    private readonly points: PointsService,
  ) {}

  /** A fresh code for `actor` (rate-limited), valid ten minutes, to spend on another platform. */
  createCode(community: Community, actor: Actor, causeKey: string): Promise<CodeResult> {
    return this.writes.submit(async (trx): Promise<CodeResult> => {
      if (actor.isBot) return { ok: false, reason: "bot" };
      const otherPlatforms = (await platformsOf(trx, community.id)).filter((p) => p !== actor.platform);
      if (otherPlatforms.length === 0) return { ok: false, reason: "one-platform" };
      // The code isn't kept in the clear: a replayed request can't show it again, only say so.
      if (await codeOfCause(trx, causeKey)) return { ok: false, reason: "replayed" };
      const now = this.clock.now();
      const recent = await codesSince(trx, community.id, actor.id, new Date(now.getTime() - RATE_WINDOW_MS).toISOString());
      if (recent.n >= CODES_PER_WINDOW) return { ok: false, reason: "rate-limited", retryAt: new Date(Date.parse(recent.oldest ?? now.toISOString()) + RATE_WINDOW_MS) };
      const code = newCode();
      const expiresAt = new Date(now.getTime() + CODE_LIFETIME_MS);
      await insertCode(trx, {
        code_hash: hashCode(code),
        community_id: community.id,
        member_id: actor.id,
        platform: actor.platform,
        cause_key: causeKey,
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        used_at: null,
        used_by: null,
      });
      return { ok: true, code, expiresAt, otherPlatforms };
    });
  }

  /**
   * Spends `typed` for `actor`: the code's maker's person (the maker, unless they are linked as
   * another's secondary already) gains `actor`. Refused, writing nothing, for a bot, a code that
   * is unknown, from another community, spent, expired or made on this platform, an `actor` who is
   * part of a person already, or a person who has a member on this platform already.
   */
  async link(community: Community, actor: Actor, typed: string, key: string, place: Place): Promise<LinkResult> {
    const result = await this.writes.submit((trx) => this.linkIn(trx, community, actor, typed, key, place));
    if (result.ok) this.points.announce(community, place, result.outcome);
    return result;
  }

  private async linkIn(trx: Transaction<Database>, community: Community, actor: Actor, typed: string, key: string, place: Place): Promise<LinkResult> {
    const done = await linksOfKey(trx, community.id, key);
    if (done[0]) return { ok: true, personId: done[0].person_id, personName: await this.nameOf(trx, community, done[0].person_id), replayed: true, outcome: { duplicate: true, awards: [], skipped: [], levelUps: [] } };
    if (actor.isBot) return { ok: false, reason: "bot" };
    const code = normalizeCode(typed);
    if (!code) return { ok: false, reason: "bad-code" };
    const row = await findCode(trx, hashCode(code));
    if (!row) return { ok: false, reason: "unknown-code" };
    if (row.community_id !== community.id) return { ok: false, reason: "other-community" };
    if (row.used_at !== null) return { ok: false, reason: "used" };
    const now = this.clock.now();
    if (row.expires_at <= now.toISOString()) return { ok: false, reason: "expired" };
    if (row.platform === actor.platform) return { ok: false, reason: "same-platform", platform: row.platform };

    const maker = await memberOf(trx, community.id, row.member_id);
    const personId = maker?.personId ?? row.member_id;
    const self = await memberOf(trx, community.id, actor.id);
    if (self?.personId || (await membersOfPerson(trx, community.id, actor.id)).length > 1) return { ok: false, reason: "self-linked" };
    if ((await membersOfPerson(trx, community.id, personId)).some((m) => platformOf(m) === actor.platform)) return { ok: false, reason: "platform-taken", platform: actor.platform };

    for (const id of [personId, actor.id].sort()) await lockPerson(trx, community.id, id);
    if (!(await spendCode(trx, row.code_hash, actor.id, now.toISOString()))) return { ok: false, reason: "used" };
    const outcome = await this.points.linkIn(trx, community, { person: { id: personId, ...(maker ? { displayName: maker.displayName } : {}) }, member: actor, at: now, place });
    await recordLink(trx, { community_id: community.id, key, kind: "link", person_id: personId, member_id: actor.id, at: now.toISOString() });
    return { ok: true, personId, personName: await this.nameOf(trx, community, personId), replayed: false, outcome };
  }

  /**
   * Splits `actor` from their person going forward: a secondary member leaves it; the canonical
   * member lets every secondary go. Each side's totals become its own ledger's again (history is
   * untouched); then a side whose spendable balance would be negative is settled from the other
   * (an `unlink-settle` movement), so neither is (their sum never was).
   */
  unlink(community: Community, actor: Actor, key: string): Promise<UnlinkResult> {
    return this.writes.submit(async (trx): Promise<UnlinkResult> => {
      const done = await linksOfKey(trx, community.id, key);
      if (done[0]) return { ok: true, personId: done[0].person_id, split: done.map((d) => d.member_id), replayed: true, settled: 0 };
      const personId = (await memberOf(trx, community.id, actor.id))?.personId ?? actor.id;
      const members = await membersOfPerson(trx, community.id, personId);
      if (members.length < 2) return { ok: false, reason: "not-linked" };
      const split = personId === actor.id ? members.slice(1) : [actor.id];
      for (const id of [personId, ...split].sort()) await lockPerson(trx, community.id, id);
      const at = this.clock.now().toISOString();
      let settled = 0;
      for (const memberId of split) {
        await this.points.unlinkIn(trx, community, { personId, memberId });
        await recordLink(trx, { community_id: community.id, key, kind: "unlink", person_id: personId, member_id: memberId, at });
        settled += await this.settle(trx, community, personId, memberId, `${key}:settle:${memberId}`, at);
      }
      return { ok: true, personId, split, replayed: false, settled };
    });
  }

  /** Moves wallet points from one side to the other so neither balance is negative; returns how many. */
  private async settle(trx: Transaction<Database>, community: Community, a: string, b: string, causeKey: string, at: string): Promise<number> {
    const [sa, sb] = [await standingOf(trx, community.id, a), await standingOf(trx, community.id, b)];
    const [from, to, short, spare] = sa.balance < 0 ? [b, a, -sa.balance, sb.balance] : [a, b, -sb.balance, sa.balance];
    const amount = Math.min(short, Math.max(0, spare));
    if (amount <= 0) return 0;
    await postMovement(trx, community.id, { causeKey, kind: "unlink-settle", at, memo: `unlink ${b} from ${a}`, legs: [{ account: from, amount: -amount }, { account: to, amount }] });
    return amount;
  }

  private async nameOf(trx: Transaction<Database>, community: Community, memberId: string): Promise<string> {
    return (await memberOf(trx, community.id, memberId))?.displayName ?? memberId.split(":").pop() ?? memberId;
  }
}
