import type { Database } from "../../db/schema.js";

/**
 * What a community owns, table by table, in the order an export writes them and a restore inserts
 * them (a row's parent before it). Each table is in a group, one per capability: a restore
 * (`--from guildkeeper`) copies a group only into a community that has none of its rows yet, so
 * the derived rows of a group (wallet balances from wallet entries, say) never mix two histories.
 *
 * Left out on purpose: `totals_histogram` (derived from totals, rebuilt by the restore),
 * `link_codes` and `member_link_codes` (one-time codes, short-lived, and a code lets its holder
 * join or link). `totals` is exported for reading and for the restore's check, never copied: the
 * restore derives it from the ledger.
 */
export interface ExportedTable {
  name: keyof Database & string;
  group: ExportGroup;
  /** Columns that order the rows (the primary key, community first where it has one). */
  order: readonly string[];
  /** Rows belong to the community through their talk (`talk_id`), not a `community_id` of their own. */
  viaTalk?: true;
  /** Written by the database itself (Postgres' full-text column): never exported or inserted. */
  omit?: readonly string[];
}

/** One capability's tables, restored together or not at all. */
export type ExportGroup = "points" | "people" | "moderation" | "talks" | "sponsors" | "digest" | "economy" | "knowledge" | "reviews" | "feedback" | "operations";

export const EXPORTED_TABLES: readonly ExportedTable[] = [
  // Members, the recorded events, the ledger and the levels: restored through the points engine (restore.ts).
  { name: "members", group: "points", order: ["member_id"] },
  { name: "messages", group: "points", order: ["message_key"] },
  { name: "reactions", group: "points", order: ["key"] },
  { name: "thanks", group: "points", order: ["key"] },
  { name: "ledger", group: "points", order: ["at", "key"] },
  { name: "totals", group: "points", order: ["period", "member_id"] },
  { name: "level_ups", group: "points", order: ["member_id", "level"] },
  // Tombstones (a hash of each forgotten member's id, never the id): without them a restored copy
  // would count a forgotten member's old events again when a platform delivers them once more.
  // Merged whatever else the community has (the later forgetting wins), by restore.ts itself.
  { name: "forgotten_members", group: "points", order: ["member_hash"] },
  { name: "member_links", group: "people", order: ["key", "member_id"] },
  { name: "mod_stats", group: "moderation", order: ["community_id"] },
  { name: "mod_scores", group: "moderation", order: ["message_key"] },
  { name: "mod_items", group: "moderation", order: ["id"] },
  { name: "mod_reports", group: "moderation", order: ["message_key", "reporter_id"] },
  { name: "mod_reporters", group: "moderation", order: ["member_id"] },
  { name: "mod_audit", group: "moderation", order: ["key"] },
  { name: "talk_series", group: "talks", order: ["id"] },
  { name: "talks", group: "talks", order: ["id"] },
  { name: "talk_rsvps", group: "talks", order: ["talk_id", "member_id"], viaTalk: true },
  { name: "talk_reminders", group: "talks", order: ["talk_id", "reminder"], viaTalk: true },
  { name: "talk_attendance", group: "talks", order: ["talk_id", "member_id"], viaTalk: true },
  { name: "voice_sessions", group: "talks", order: ["key"] },
  { name: "talk_proposals", group: "talks", order: ["id"] },
  { name: "sponsors", group: "sponsors", order: ["id"] },
  { name: "sponsor_changes", group: "sponsors", order: ["key"] },
  { name: "sponsor_contributions", group: "sponsors", order: ["key"] },
  { name: "sponsor_impressions", group: "sponsors", order: ["slot_key"] },
  { name: "digest_honors", group: "digest", order: ["week", "honor"] },
  { name: "health_weeks", group: "digest", order: ["week"] },
  { name: "health_questions", group: "digest", order: ["message_key"] },
  { name: "wallet_entries", group: "economy", order: ["key"] },
  { name: "wallet_accounts", group: "economy", order: ["account"] },
  { name: "tips", group: "economy", order: ["key"] },
  { name: "bounties", group: "economy", order: ["id"] },
  { name: "shop_rewards", group: "economy", order: ["id"] },
  { name: "shop_orders", group: "economy", order: ["id"] },
  { name: "kb_entries", group: "knowledge", order: ["question_key"], omit: ["search"] },
  { name: "solved_questions", group: "knowledge", order: ["question_key"] },
  { name: "thread_questions", group: "knowledge", order: ["question_key"] },
  { name: "code_reviews", group: "reviews", order: ["number"] },
  { name: "feedback", group: "feedback", order: ["id"] },
  // What the bot has said and will say, and what it has done on schedule: a restored talk's card
  // is edited through its outbox row, and a digest already posted is not posted again.
  { name: "outbox", group: "operations", order: ["id"] },
  { name: "notices", group: "operations", order: ["key"] },
  { name: "job_runs", group: "operations", order: ["job", "period"] },
  { name: "job_timers", group: "operations", order: ["timer", "key"] },
];

export const EXPORTED_TABLE_NAMES: ReadonlySet<string> = new Set(EXPORTED_TABLES.map((t) => t.name));

/** The export file's `format` and `version`: a restore refuses any other. */
export const EXPORT_FORMAT = "guildkeeper-export";
export const EXPORT_VERSION = 1;
