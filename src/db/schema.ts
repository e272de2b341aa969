import type { Generated } from "kysely";
import type { KbEntryTable, ThreadQuestionTable } from "./schema/knowledge.js";
import type { FeedbackTable } from "./schema/feedback.js";
import type { ForgottenMemberTable } from "./schema/forget.js";
import type { CodeReviewTable } from "./schema/reviews.js";
import type { SolvedQuestionTable } from "./schema/solutions.js";
import type { BountyTable } from "./schema/bounties.js";
import type { WalletAccountTable, WalletEntryTable } from "./schema/economy.js";
import type { ShopOrderTable, ShopRewardTable } from "./schema/shop.js";
import type { MemberLinkCodeTable, MemberLinkTable } from "./schema/people.js";
import type { DigestHonorTable, HealthQuestionTable, HealthWeekTable } from "./schema/digest.js";
import type { ModAuditTable, ModItemTable, ModReporterTable, ModReportTable, ModScoreTable, ModStatsTable } from "./schema/moderation.js";
import type { TotalsHistogramTable } from "./schema/points.js";
import type { SponsorChangeTable, SponsorContributionTable, SponsorImpressionTable, SponsorTable } from "./schema/sponsors.js";
import type { TipTable } from "./schema/tips.js";
import type { CommunityWriteEpochTable } from "./schema/engine.js";
import type { TalkAttendanceTable, TalkProposalTable, TalkReminderTable, TalkRsvpTable, TalkSeriesTable, TalkTable, VoiceSessionTable } from "./schema/talks.js";

// A capability's tables live in schema/<capability>.ts; every table type is reached from here.
export type * from "./schema/digest.js";
export type * from "./schema/moderation.js";
export type * from "./schema/points.js";
export type * from "./schema/talks.js";
export type * from "./schema/sponsors.js";
export type * from "./schema/economy.js";
export type * from "./schema/knowledge.js";
export type * from "./schema/feedback.js";
export type * from "./schema/reviews.js";
export type * from "./schema/solutions.js";
export type * from "./schema/shop.js";
export type * from "./schema/bounties.js";
export type * from "./schema/people.js";
export type * from "./schema/tips.js";
export type * from "./schema/engine.js";
export type * from "./schema/forget.js";

/**
 * Table types for kysely. Times are ISO-8601 UTC strings (`2026-11-26T15:30:00.000Z`): they sort
 * as text, read the same on SQLite and Postgres, and need no driver-specific date handling. Flags are
 * 0/1 integers because SQLite has no boolean type and better-sqlite3 will not bind `true`.
 */
export interface Database {
  communities: CommunityTable;
  community_workspaces: CommunityWorkspaceTable;
  members: MemberTable;
  messages: MessageTable;
  reactions: ReactionTable;
  thanks: ThanksTable;
  ledger: LedgerTable;
  totals: TotalTable;
  totals_histogram: TotalsHistogramTable;
  level_ups: LevelUpTable;
  notices: NoticeTable;
  link_codes: LinkCodeTable;
  outbox: OutboxTable;
  job_runs: JobRunTable;
  job_timers: JobTimerTable;
  talk_series: TalkSeriesTable;
  talks: TalkTable;
  talk_rsvps: TalkRsvpTable;
  talk_reminders: TalkReminderTable;
  talk_attendance: TalkAttendanceTable;
  voice_sessions: VoiceSessionTable;
  talk_proposals: TalkProposalTable;
  sponsors: SponsorTable;
  sponsor_changes: SponsorChangeTable;
  sponsor_contributions: SponsorContributionTable;
  sponsor_impressions: SponsorImpressionTable;
  mod_stats: ModStatsTable;
  mod_scores: ModScoreTable;
  mod_items: ModItemTable;
  mod_reports: ModReportTable;
  mod_reporters: ModReporterTable;
  mod_audit: ModAuditTable;
  digest_honors: DigestHonorTable;
  health_weeks: HealthWeekTable;
  health_questions: HealthQuestionTable;
  wallet_entries: WalletEntryTable;
  wallet_accounts: WalletAccountTable;
  shop_rewards: ShopRewardTable;
  shop_orders: ShopOrderTable;
  bounties: BountyTable;
  member_link_codes: MemberLinkCodeTable;
  member_links: MemberLinkTable;
  tips: TipTable;
  kb_entries: KbEntryTable;
  feedback: FeedbackTable;
  code_reviews: CodeReviewTable;
  solved_questions: SolvedQuestionTable;
  thread_questions: ThreadQuestionTable;
  community_write_epochs: CommunityWriteEpochTable;
  forgotten_members: ForgottenMemberTable;
}

export interface CommunityTable {
  id: string;
  name: string;
  /** JSON, validated by the community settings schema on every read and write. */
  settings: string;
  created_at: string;
}

/** Which community a Discord guild, Slack team or console workspace belongs to. */
export interface CommunityWorkspaceTable {
  platform: string;
  workspace_id: string;
  community_id: string;
}

/**
 * A member's profile and the rules' day state as of the member's newest points event (the
 * watermark). An event after the watermark is decided from this state alone; an older one makes
 * the points service recompute the member's affected days from the recorded events
 * (`engine/points/recompute.ts`), so the result never depends on the order events arrived in.
 */
export interface MemberTable {
  community_id: string;
  member_id: string;
  display_name: string;
  is_bot: number;
  first_seen_at: string;
  /** Event time of the member's last message that earned points (cooldown). */
  last_message_award_at: string | null;
  /** The community-local day the two counters below belong to. */
  activity_day: string | null;
  /** Activity points earned on `activity_day`, gross of reversals (daily cap). */
  activity_points: Generated<number>;
  /** Counted thanks given on `activity_day` (daily thanks budget). */
  thanks_given: Generated<number>;
  /** Time and natural key of the newest event the state above has counted (null: none yet). */
  watermark_at: string | null;
  watermark_key: string | null;
  /**
   * All-time points of this member account alone: the sum of its own ledger rows, kept with the
   * rest of the row the rules already read and write. Equal to the `all` totals row of an unlinked
   * member; a linked person's `all` row is the sum of its members' `points` (docs/linked-identities.md).
   */
  points: Generated<number>;
  /**
   * The canonical member id of the person this member linked with on another platform (`/link`),
   * or null: the member is their own person. Totals, levels and balances are the person's.
   */
  person_id: Generated<string | null>;
  /**
   * 1: the member ran `/privacy hide`, and the public web leaderboard leaves their person out
   * (migration 20261201_2000_web_privacy; src/engine/web/). Chat boards are not affected.
   */
  web_hidden: Generated<number>;
}

/**
 * Messages the engine has seen: who wrote them (reactions on Discord do not say), whether deleted,
 * and what the points rules made of them. A delete that overtakes its create leaves a row with
 * `member_id` '' (a tombstone) that the create later fills in; so does a reaction whose message is
 * unknown (a placeholder, `deleted_at` null), so the create knows reactions are waiting for it.
 *
 * The last four columns are the message as a points event; reactions and thanks have the same
 * ones. `gross` is what the rules grant it in canonical order (null: refused), counted against the
 * daily cap even if it is later reversed; `net` is the sum of its ledger rows and `ledger_rows`
 * how many there are (they name the next correction, `<key>:fix:<n>`).
 */
export interface MessageTable {
  message_key: string;
  community_id: string;
  member_id: string;
  channel_key: string;
  thread_parent_key: string | null;
  created_at: string;
  deleted_at: string | null;
  /** 1 when the points rules judge it (0: a tombstone, a no-points channel, an impossible timestamp). */
  scored: Generated<number>;
  gross: number | null;
  net: Generated<number>;
  ledger_rows: Generated<number>;
}

/**
 * Every reaction that could earn, including ones that earned nothing, so a day can be recomputed.
 * Adds and removals share the natural key: the earliest add and the earliest end (its removal or
 * the message's deletion) are what count, whatever order they arrived in.
 */
export interface ReactionTable {
  key: string;
  community_id: string;
  message_key: string;
  /** Who reacted. */
  actor_id: string;
  /** The reacted message's author, who earns; '' until known (the message has not arrived). */
  member_id: string;
  /** Earliest add; null while only a removal has arrived. */
  added_at: string | null;
  /** Earliest removal or message deletion; null while it stands. */
  ended_at: string | null;
  gross: number | null;
  net: Generated<number>;
  ledger_rows: Generated<number>;
}

/**
 * Thanks that counted against the giver's daily budget when they arrived (in a message or by
 * `/thanks`). A thanks refused by the budget is not kept: events can only add thanks ahead of it,
 * so it could never count later. One that stops counting (an earlier thanks arrived late) is kept
 * with `counted` 0.
 */
export interface ThanksTable {
  key: string;
  community_id: string;
  /** The message or command that carried it; deleting that message takes the thanks back. */
  source_key: string;
  giver_id: string;
  receiver_id: string;
  at: string;
  ended_at: string | null;
  counted: number;
  gross: number | null;
  net: Generated<number>;
  ledger_rows: Generated<number>;
}

/** Append-only. Every row is keyed by the natural key of what caused it. */
export interface LedgerTable {
  key: string;
  community_id: string;
  member_id: string;
  amount: number;
  reason: string;
  /** The message (or command) this row is about; deleting that message reverses rows by it. */
  source_key: string;
  /** Event time, UTC. */
  at: string;
  /** Community-local date (yyyy-MM-dd) the points count toward; weeks and months derive from it. */
  day: string;
  /**
   * For a reversal (`<key>:undo`) or a correction (`<key>:fix:<n>`): the key of the award row it
   * takes back or corrects.
   */
  reverses: string | null;
}

/** Derived from the ledger in the same transaction: one row per community, period and member. */
export interface TotalTable {
  community_id: string;
  /** `all`, `week:2026-W48` or `month:2026-11`. */
  period: string;
  member_id: string;
  points: number;
}

/** Each level each member has reached, once; `announced_at` is set after the announcement posted. */
export interface LevelUpTable {
  community_id: string;
  member_id: string;
  level: number;
  reached_at: string;
  channel_key: string;
  announced_at: string | null;
}

/** One-time notices (e.g. "I lack permission to grant roles"), so moderators are told once. */
export interface NoticeTable {
  community_id: string;
  key: string;
  created_at: string;
}

/** A one-time code that lets a second workspace join a community (`/config link`, `/config join`). */
export interface LinkCodeTable {
  code: string;
  community_id: string;
  /** Member id of the admin who made it. */
  created_by: string;
  expires_at: string;
}

/**
 * The engine's durable outbox (src/engine/outbox/): one row per thing to say on one platform,
 * written in the transaction of the decision that caused it and delivered once by the loop.
 */
export interface OutboxTable {
  id: string;
  community_id: string;
  platform: string;
  /** `post`, `edit`, `delete` or `dm`. */
  operation: string;
  /** JSON: a Place (post, edit, delete) or `{ memberId }` (dm); null when `ref_key` names our post. */
  destination: string | null;
  /** JSON Reply; null for deletes. */
  reply: string | null;
  /** Unique: enqueueing the same key again is a no-op. */
  dedupe_key: string;
  /** Edits and deletes of our own post: that post's dedupe key, resolved when delivered. */
  ref_key: string | null;
  /** Edits and deletes of a message known by its platform id. */
  target_message_id: string | null;
  /** `pending`, `sending`, `sent`, `refused` (the platform said no) or `failed` (gave up). */
  state: string;
  attempts: Generated<number>;
  /** Of `attempts`, those the platform answered with a rate limit: they do not count towards giving up. */
  rate_limited: Generated<number>;
  /** Re-sends that may repeat a post the platform cannot de-duplicate; at most one. */
  risked_repeats: Generated<number>;
  /** 1 when the last attempt may have taken effect without being confirmed. */
  last_attempt_uncertain: Generated<number>;
  /** When due; while `sending`, when the claim lapses and another loop may take the row. */
  next_attempt_at: string;
  last_attempt_at: string | null;
  platform_message_id: string | null;
  /** JSON Place the message landed in (a DM's conversation). */
  delivered_to: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** What one slot of a recurring job did in one community (src/jobs); the key is the claim. */
export interface JobRunTable {
  job: string;
  community_id: string;
  /** The slot's local wall time and zone: `2026-12-07T09:00[Europe/Berlin]`. */
  period: string;
  scheduled_for: string;
  state: "done" | "failed" | "skipped";
  attempts: number;
  /** For `failed`: when the next attempt is due; null once attempts or the grace window ran out. */
  retry_at: string | null;
  error: string | null;
  recorded_at: string;
}

/** A one-off timer ("at T, key K, payload P") and whether it has fired (src/jobs). */
export interface JobTimerTable {
  timer: string;
  community_id: string;
  key: string;
  fire_at: string;
  /** When it is next tried: `fire_at`, or later after a failed attempt. */
  due_at: string;
  /** JSON, validated by the timer's zod schema when scheduled and again when fired. */
  payload: string;
  state: "pending" | "fired" | "failed" | "skipped" | "cancelled";
  attempts: number;
  error: string | null;
  updated_at: string;
}
