// Tables of the sponsors capability (src/engine/sponsors/, migration 20261201_1700_sponsors).

/** A sponsor's current state; removal is `status: "removed"`, never a delete. */
export interface SponsorTable {
  id: string;
  community_id: string;
  name: string;
  /** The name folded for look-ups: unique per community. */
  name_key: string;
  url: string;
  tier: "gold" | "silver" | "bronze";
  blurb: string;
  status: "active" | "removed";
  /** Its own shout-out schedule (5-field cron, community timezone), or null. */
  schedule: string | null;
  created_at: string;
  /** When it last became active: the rotation counts a new sponsor from here. */
  active_since: string;
  updated_at: string;
}

/** What an organizer did to a sponsor, once per command invocation (append-only). */
export interface SponsorChangeTable {
  community_id: string;
  key: string;
  sponsor_id: string;
  action: "added" | "updated" | "readded" | "removed" | "scheduled";
  detail: string;
  actor_id: string;
  at: string;
}

/** One row of the sponsor ledger: an amount in the currency's smallest unit, negative for a correction. */
export interface SponsorContributionTable {
  community_id: string;
  key: string;
  sponsor_id: string;
  amount: number;
  currency: string;
  note: string;
  /** `2026-Q4`, in the community's timezone when recorded. */
  quarter: string;
  actor_id: string;
  at: string;
}

/** One shout-out shown, keyed by its slot. */
export interface SponsorImpressionTable {
  community_id: string;
  slot_key: string;
  sponsor_id: string;
  source: "rotation" | "schedule";
  /** Local ISO week of the slot, as weeks since Monday 1970-01-05. */
  week: number;
  quarter: string;
  at: string;
}
