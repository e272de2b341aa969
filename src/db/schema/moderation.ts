// Tables of the moderation capability (src/engine/moderation/, migration 20261201_1230_moderation).

/**
 * Welford's running statistics of the quality score q per community (engine/moderation): `n`
 * scores counted, their mean and the sum of squared deviations `m2` (variance = m2 / (n − 1)).
 * `seen` counts every scored message, flagged or not (the warm-up).
 */
export interface ModStatsTable {
  community_id: string;
  n: number;
  mean: number;
  m2: number;
  seen: number;
}

/**
 * The quality score of each message, once per message (a replay finds it and changes nothing). Only a
 * hash of the text is kept — never the text — to spot one member repeating it.
 */
export interface ModScoreTable {
  message_key: string;
  community_id: string;
  member_id: string;
  q: number;
  /** z against the community's statistics when it was scored (null during the warm-up). */
  z: number | null;
  /** 1 when q is one of the scores in the community's running statistics. */
  counted: number;
  flagged: number;
  at: string;
  /** The newest edit applied (time and natural key): an older or repeated edit changes nothing. */
  edit_at: string | null;
  edit_key: string | null;
}

/** A message in the moderators' review queue: flagged automatically, reported, or both. */
export interface ModItemTable {
  id: string;
  community_id: string;
  /** Per community, from 1: what moderators type (`/mod approve 12`). */
  number: number;
  message_key: string;
  member_id: string;
  /** JSON Place of the message. */
  place: string;
  /** A short excerpt for the card: the only message text the bot keeps. */
  excerpt: string;
  /** JSON array of reason labels. */
  reasons: string;
  q: number | null;
  z: number | null;
  auto_flag: number;
  report_weight: number;
  reporters: number;
  /** 1 once the card is in the outbox (flagged, or reports reached the threshold). */
  queued: number;
  /** How many times the card was edited (names each edit's outbox row). */
  revision: number;
  /** When the author edited the message after it was flagged. */
  edited_at: string | null;
  /** `open`, `approved` or `removed`. */
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  created_at: string;
}

/** One member's report of one message: a second report by the same member changes nothing. */
export interface ModReportTable {
  community_id: string;
  message_key: string;
  reporter_id: string;
  /** What the report weighed when made (reporter's level and past accuracy). */
  weight: number;
  /** `reaction`, `action` or `command`. */
  via: string;
  reason: string | null;
  at: string;
}

/** How a member's decided reports went: agreed (removed) and rejected (approved). */
export interface ModReporterTable {
  community_id: string;
  member_id: string;
  agreed: number;
  rejected: number;
}

/** Append-only: every automatic flag and every moderator action, never rewritten. */
export interface ModAuditTable {
  /** Natural key of the action (`flag:<message>:<at>:<reasons>`, `decide:<item>:r<revision>`, `warn:<command key>`). */
  key: string;
  /** Sorts in the order rows were written (time, then a counter): several actions share one `at`. */
  seq: string;
  community_id: string;
  at: string;
  /** Who acted: a moderator's member id, or `bot` for automatic flags. */
  actor_id: string;
  /** `flag`, `report-queued`, `approve`, `remove`, `remove-penalise`, `warn`, `adjust`. */
  action: string;
  member_id: string | null;
  message_key: string | null;
  item_number: number | null;
  reason: string | null;
  points_before: number | null;
  points_after: number | null;
}
