import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Actor } from "../../core/identity.js";
import { memberText } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { TimerDefinition } from "../../jobs/index.js";
import type { Community } from "../communities/community.repo.js";
import { code } from "../talks/talk-codes.js";
import type { WriteQueue } from "../write-queue.js";
import { quarterOf } from "./calendar.js";
import { type LedgerLine, ledgerReport, netTotal } from "./ledger.js";
import { formatAmount } from "./money.js";
import { armNextShoutOut, disarmShoutOuts, type ShoutOutPayload } from "./shout-out-timer.js";
import { nameKey, SponsorRefusal } from "./sponsor-input.js";
import * as repo from "./sponsors.repo.js";
import type { ContributionRow, SponsorRow } from "./sponsors.repo.js";
import type { Tier } from "./tiers.js";

import { rotationStanding } from "./shout-outs.js";

export { nextShoutOut, previewShoutOut, rotationStanding, type ShoutOutSlot } from "./shout-outs.js";
export type { ShoutOut } from "./sponsor-replies.js";

/** What `/sponsor add` typed, already validated. */
export interface SponsorInput {
  name: string;
  url: string;
  tier: Tier;
  blurb: string;
}

/** What one organizer command did; `replayed` when its invocation was already applied. */
export type AddOutcome = "added" | "readded" | "updated" | "unchanged" | "replayed";

/**
 * The organizers' side of sponsors: add, remove, contribute, schedule, list and report. Every
 * write goes through the write queue in one transaction and is keyed by the command invocation's
 * natural key (`ctx.event.key`), so an interaction delivered twice changes nothing the second
 * time. Nothing is ever deleted: a removal is a status, a correction a negative ledger row.
 */
export class SponsorsService {
  constructor(private readonly deps: { db: Kysely<Database>; writes: WriteQueue; clock: Clock; timer: () => TimerDefinition<ShoutOutPayload> }) {}

  /** Each active sponsor's effective period and last rotation showing (`/sponsor list`). */
  standing(community: Community): ReturnType<typeof rotationStanding> {
    return rotationStanding(this.deps.db, community);
  }

  /** Adds a sponsor, brings a removed one back, or updates an active one's url, tier and blurb. */
  add(community: Community, actor: Actor, key: string, input: SponsorInput): Promise<{ outcome: AddOutcome; sponsor: SponsorRow }> {
    return this.deps.writes.submit(async (trx) => {
      const now = this.deps.clock.now().toISOString();
      const existing = await repo.sponsorByName(trx, community.id, nameKey(input.name));
      if (existing && (await repo.changeByKey(trx, community.id, key))) return { outcome: "replayed" as const, sponsor: existing };
      const detail = JSON.stringify({ tier: input.tier, url: input.url, blurb: input.blurb });
      if (!existing) {
        const sponsor: SponsorRow = { id: `S${code(8)}`, community_id: community.id, name: input.name, name_key: nameKey(input.name), url: input.url, tier: input.tier, blurb: input.blurb, status: "active", schedule: null, created_at: now, active_since: now, updated_at: now };
        await repo.insertSponsor(trx, sponsor);
        await repo.recordChange(trx, { community_id: community.id, key, sponsor_id: sponsor.id, action: "added", detail, actor_id: actor.id, at: now });
        return { outcome: "added" as const, sponsor };
      }
      const same = existing.status === "active" && existing.url === input.url && existing.tier === input.tier && existing.blurb === input.blurb && existing.name === input.name;
      if (same) return { outcome: "unchanged" as const, sponsor: existing };
      const back = existing.status === "removed";
      const set = { name: input.name, url: input.url, tier: input.tier, blurb: input.blurb, status: "active" as const, updated_at: now, ...(back ? { active_since: now } : {}) };
      await repo.updateSponsor(trx, existing.id, set);
      await repo.recordChange(trx, { community_id: community.id, key, sponsor_id: existing.id, action: back ? "readded" : "updated", detail, actor_id: actor.id, at: now });
      const sponsor = { ...existing, ...set };
      if (back) await armNextShoutOut(trx, this.deps.timer(), sponsor, community.settings.timezone, new Date(now), new Date(now));
      return { outcome: back ? ("readded" as const) : ("updated" as const), sponsor };
    });
  }

  /** Marks a sponsor removed (its history stays) and stops its own schedule. */
  remove(community: Community, actor: Actor, key: string, name: string): Promise<{ outcome: "removed" | "already" | "replayed"; sponsor: SponsorRow }> {
    return this.deps.writes.submit(async (trx) => {
      const sponsor = await this.known(trx, community, name);
      if (await repo.changeByKey(trx, community.id, key)) return { outcome: "replayed" as const, sponsor };
      if (sponsor.status === "removed") return { outcome: "already" as const, sponsor };
      const now = this.deps.clock.now();
      await repo.updateSponsor(trx, sponsor.id, { status: "removed", updated_at: now.toISOString() });
      await repo.recordChange(trx, { community_id: community.id, key, sponsor_id: sponsor.id, action: "removed", detail: "{}", actor_id: actor.id, at: now.toISOString() });
      await disarmShoutOuts(trx, sponsor, now);
      return { outcome: "removed" as const, sponsor: { ...sponsor, status: "removed" as const } };
    });
  }

  /**
   * Appends one ledger row, keyed by the invocation: `amount` in the smallest unit of the
   * community's currency, negative for a correction (which may not take the sponsor's total in that
   * currency below zero). Returns the row that stands under that key and the sponsor's new total.
   */
  contribute(community: Community, actor: Actor, key: string, o: { name: string; amount: number; note: string }): Promise<{ created: boolean; row: ContributionRow; sponsor: SponsorRow; total: number }> {
    return this.deps.writes.submit(async (trx) => {
      const sponsor = await this.known(trx, community, o.name);
      const previous = await repo.contributionByKey(trx, community.id, key);
      if (previous) return { created: false, row: previous, sponsor, total: netTotal(await repo.contributionsOf(trx, community.id, sponsor.id), previous.currency) };
      const currency = community.settings.sponsors.currency;
      const total = netTotal(await repo.contributionsOf(trx, community.id, sponsor.id), currency);
      if (o.amount < 0 && total + o.amount < 0) {
        throw new SponsorRefusal(`A correction of ${formatAmount(o.amount, currency)} would take ${memberText(sponsor.name)}'s total below zero: it stands at ${formatAmount(total, currency)}. A correction can take back at most that.`);
      }
      const now = this.deps.clock.now();
      const row: ContributionRow = { community_id: community.id, key, sponsor_id: sponsor.id, amount: o.amount, currency, note: o.note, quarter: quarterOf(now, community.settings.timezone), actor_id: actor.id, at: now.toISOString() };
      await repo.insertContribution(trx, row);
      return { created: true, row, sponsor, total: total + o.amount };
    });
  }

  /** Sets (or, with null, clears) a sponsor's own shout-out schedule and arms its next slot. */
  schedule(community: Community, actor: Actor, key: string, name: string, cron: string | null): Promise<{ outcome: "set" | "cleared" | "unchanged" | "replayed"; sponsor: SponsorRow; next?: Date }> {
    return this.deps.writes.submit(async (trx) => {
      const sponsor = await this.known(trx, community, name);
      if (sponsor.status !== "active") throw new SponsorRefusal(`${memberText(sponsor.name)} was removed: add it again with /sponsor add before giving it a schedule.`);
      if (await repo.changeByKey(trx, community.id, key)) return { outcome: "replayed" as const, sponsor };
      if (sponsor.schedule === cron) return { outcome: "unchanged" as const, sponsor };
      const now = this.deps.clock.now();
      await repo.updateSponsor(trx, sponsor.id, { schedule: cron, updated_at: now.toISOString() });
      await repo.recordChange(trx, { community_id: community.id, key, sponsor_id: sponsor.id, action: "scheduled", detail: JSON.stringify({ schedule: cron }), actor_id: actor.id, at: now.toISOString() });
      await disarmShoutOuts(trx, sponsor, now);
      const updated = { ...sponsor, schedule: cron };
      const next = await armNextShoutOut(trx, this.deps.timer(), updated, community.settings.timezone, now, now);
      return { outcome: cron ? ("set" as const) : ("cleared" as const), sponsor: updated, ...(next ? { next } : {}) };
    });
  }

  /** Every sponsor, active first, by name. */
  async list(community: Community): Promise<SponsorRow[]> {
    const all = await repo.sponsorsOf(this.deps.db, community.id);
    return [...all.filter((s) => s.status === "active"), ...all.filter((s) => s.status !== "active")];
  }

  /** The ledger report for `quarter`: per sponsor R_t, E_t and impressions (see ledger.ts). */
  async report(community: Community, quarter: string): Promise<LedgerLine[]> {
    const db = this.deps.db;
    const [sponsors, rows, impressions] = await Promise.all([repo.sponsorsOf(db, community.id), repo.contributionsOf(db, community.id), repo.impressionCounts(db, community.id, quarter)]);
    const zone = community.settings.timezone;
    const withQuarter = sponsors.map((s) => ({ ...s, addedIn: quarterOf(new Date(s.created_at), zone) }));
    return ledgerReport(withQuarter, rows, impressions, quarter, community.settings.sponsors.beta);
  }

  private async known(db: Kysely<Database>, community: Community, name: string): Promise<SponsorRow> {
    const sponsor = await repo.sponsorByName(db, community.id, nameKey(name));
    if (sponsor) return sponsor;
    const names = (await repo.sponsorsOf(db, community.id)).map((s) => s.name);
    throw new SponsorRefusal(`There is no sponsor called “${memberText(name)}”. ${names.length ? `Sponsors: ${names.map(memberText).join(", ")}.` : "There are no sponsors yet: /sponsor add one."}`);
  }
}
