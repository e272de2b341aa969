import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";

/**
 * What the digest uses from capabilities built alongside it (pictures, sponsors), as small
 * interfaces: the digest works without them (no image, no shout-out) and takes them when present.
 */

/** A rendered image, as `Reply.attachments` carries it. */
export interface DigestAttachment {
  name: string;
  contentType: "image/png";
  /** Base64 PNG. */
  data: string;
  /** Alt text: what the image shows, for screen readers and platforms that show no image. */
  description: string;
}

/** The renderers of `src/engine/pictures/`. */
export interface DigestPictures {
  renderLeaderboard(input: { title: string; subtitle?: string; rows: { rank: number; name: string; points: number; level: number }[] }): DigestAttachment;
  renderWeeklyChart(input: { title: string; weeks: { label: string; value: number }[] }): DigestAttachment;
}

/** A sponsor's shout-out (src/engine/sponsors/). */
export interface ShoutOut {
  name: string;
  url: string;
  tier: string;
  blurb: string;
}

/** The sponsors service: `nextShoutOut` records one impression per slot key; `previewShoutOut` records nothing. */
export interface ShoutOutSource {
  nextShoutOut(trx: Transaction<Database>, community: Community, slot: { key: string; at: Date }): Promise<ShoutOut | undefined>;
  previewShoutOut(db: Kysely<Database>, community: Community, slot: { key: string; at: Date }): Promise<ShoutOut | undefined>;
}
