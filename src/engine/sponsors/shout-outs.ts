import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { quarterOf, weekIndex } from "./calendar.js";
import { pickSponsor, type RotationCandidate, type RotationPick, stretch } from "./rotation.js";
import type { ShoutOut } from "./sponsor-replies.js";
import * as repo from "./sponsors.repo.js";
import type { SponsorRow } from "./sponsors.repo.js";
import { tierWeeks } from "./tiers.js";

/**
 * The digest's sponsor shout-out: the rotation (rotation.ts) run over the community's active
 * sponsors and their impression history, and the impression recorded per slot. Re-exported from
 * sponsors.service.ts, which is where the digest imports it from.
 */
type Db = Kysely<Database>;

/** A rotation slot: its natural key (`digest:2026-W48`) and when it is shown. */
export interface ShoutOutSlot {
  key: string;
  at: Date;
}

const toShoutOut = (s: SponsorRow): ShoutOut => ({ name: s.name, url: s.url, tier: s.tier, blurb: s.blurb });

async function candidates(db: Db, community: Community): Promise<{ rows: SponsorRow[]; candidates: RotationCandidate[] }> {
  const zone = community.settings.timezone;
  const rows = await repo.sponsorsOf(db, community.id, "active");
  const last = await repo.lastRotationShown(db, community.id);
  return {
    rows,
    candidates: rows.map((s) => {
      const shown = last.get(s.id);
      return {
        id: s.id,
        name: s.name_key,
        periodWeeks: tierWeeks(s.tier, community.settings),
        activeSince: s.active_since,
        activeSinceWeek: weekIndex(new Date(s.active_since), zone),
        shownSinceActive: shown?.sinceActive ?? 0,
        ...(shown ? { lastWeek: shown.week, lastAt: shown.at } : {}),
      };
    }),
  };
}

async function pick(db: Db, community: Community, at: Date): Promise<{ sponsor: SponsorRow; pick: RotationPick } | undefined> {
  const { rows, candidates: list } = await candidates(db, community);
  const chosen = pickSponsor(list, weekIndex(at, community.settings.timezone));
  return chosen && { sponsor: rows.find((r) => r.id === chosen.id)!, pick: chosen };
}

async function already(db: Db, community: Community, slotKey: string): Promise<ShoutOut | undefined> {
  const shown = await repo.impressionBySlot(db, community.id, slotKey);
  const sponsor = shown && (await repo.sponsorById(db, shown.sponsor_id));
  return sponsor ? toShoutOut(sponsor) : undefined;
}

/**
 * The sponsor for a rotation slot (the weekly digest's shout-out), recorded as one impression
 * keyed by `(community, slot.key)` in the caller's transaction — the digest's, so the post and the
 * impression commit together. Called again with the same slot (a restart, a retry, a second
 * process) it returns the same sponsor and records nothing more. Undefined when the community has
 * no active sponsor. The strings are as typed: show them with `shoutOutLine` or `memberText`.
 */
export async function nextShoutOut(trx: Transaction<Database>, community: Community, slot: ShoutOutSlot): Promise<ShoutOut | undefined> {
  const before = await already(trx, community, slot.key);
  if (before) return before;
  const chosen = await pick(trx, community, slot.at);
  if (!chosen) return undefined;
  const zone = community.settings.timezone;
  const first = await repo.insertImpression(trx, {
    community_id: community.id,
    slot_key: slot.key,
    sponsor_id: chosen.sponsor.id,
    source: "rotation",
    week: weekIndex(slot.at, zone),
    quarter: quarterOf(slot.at, zone),
    at: slot.at.toISOString(),
  });
  // Another writer recorded this slot between our read and our insert: theirs stands.
  return first ? toShoutOut(chosen.sponsor) : already(trx, community, slot.key);
}

/** What {@link nextShoutOut} would return for `slot`, recording nothing (`/digest preview`). */
export async function previewShoutOut(db: Db, community: Community, slot: ShoutOutSlot): Promise<ShoutOut | undefined> {
  const before = await already(db, community, slot.key);
  if (before) return before;
  const chosen = await pick(db, community, slot.at);
  return chosen && toShoutOut(chosen.sponsor);
}

/** Each active sponsor's rotation standing, for `/sponsor list`: effective period and last showing. */
export async function rotationStanding(db: Db, community: Community): Promise<{ stretch: number; sponsors: { row: SponsorRow; effectiveWeeks: number; lastAt?: string }[] }> {
  const { rows, candidates: list } = await candidates(db, community);
  const f = stretch(list.map((c) => c.periodWeeks));
  return {
    stretch: f,
    sponsors: rows.map((row, i) => ({ row, effectiveWeeks: list[i]!.periodWeeks * f, ...(list[i]!.lastAt ? { lastAt: list[i]!.lastAt! } : {}) })),
  };
}
