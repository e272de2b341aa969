import type { Generated } from "kysely";

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
  ledger: LedgerTable;
  totals: TotalTable;
  level_ups: LevelUpTable;
  notices: NoticeTable;
  link_codes: LinkCodeTable;
  outbox: OutboxTable;
  job_runs: JobRunTable;
  job_timers: JobTimerTable;
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
 * A member's profile and the running state the anti-farming rules need. The rule state only ever
 * moves forward in event time, which is what makes a replayed event unable to earn again.
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
  /** Thanks given on `activity_day` (daily thanks budget). */
  thanks_given: Generated<number>;
  /**
   * All-time points, kept with the rest of the row the rules already read and write, so a level-up
   * is seen without reading totals back. Always equal to the `all` totals row (both follow the ledger).
   */
  points: Generated<number>;
}

/** Messages the engine has seen: who wrote them (reactions on Discord do not say) and whether deleted. */
export interface MessageTable {
  message_key: string;
  community_id: string;
  member_id: string;
  channel_key: string;
  thread_parent_key: string | null;
  created_at: string;
  deleted_at: string | null;
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
  /** For a reversal: the key of the row it takes back. */
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
