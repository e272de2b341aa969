import type { Generated } from "kysely";

// Tables of the talks capability (src/engine/talks/, migration 20261201_1400_talks).

/** A recurring talk: an RRULE read in `timezone`, so each occurrence keeps its local time across DST. */
export interface TalkSeriesTable {
  id: string;
  community_id: string;
  rrule: string;
  timezone: string;
  created_at: string;
}

/** A talk: a one-off, or one occurrence of a series (`series_id`, `occurrence` = its local wall time). */
export interface TalkTable {
  id: string;
  community_id: string;
  series_id: string | null;
  occurrence: string | null;
  title: string;
  description: string;
  speaker_id: string;
  speaker_name: string;
  starts_at: string;
  ends_at: string;
  where_channel: string | null;
  where_link: string | null;
  capacity: number | null;
  status: "scheduled" | "cancelled";
  /** JSON Place of the announcement; `announce_key` is its outbox dedupe key (edits name it). */
  announce_place: string | null;
  announce_key: string | null;
  /** Bumped on each change the announcement shows: every edit gets its own dedupe key. */
  version: Generated<number>;
  checkin_code: string;
  created_by: string;
  proposal_id: string | null;
  /** The Discord Guild Scheduled Event mirroring it, when the bot may manage events. */
  scheduled_event_id: string | null;
  /** The talk `version` the scheduled event last showed (null: never synced). */
  scheduled_event_version: number | null;
  created_at: string;
  updated_at: string;
}

/** One member's answer to one talk; `asked_at` orders the waitlist. */
export interface TalkRsvpTable {
  talk_id: string;
  member_id: string;
  display_name: string;
  status: "going" | "maybe" | "no" | "waitlist";
  remind: Generated<number>;
  asked_at: string;
  updated_at: string;
}

/** A reminder of a talk that was decided (`sent` or `skipped`), once. */
export interface TalkReminderTable {
  talk_id: string;
  reminder: string;
  outcome: "sent" | "skipped";
  decided_at: string;
}

/** Who attended a talk, once per member (`via`: checkin or voice). */
export interface TalkAttendanceTable {
  talk_id: string;
  member_id: string;
  display_name: string;
  via: "checkin" | "voice";
  at: string;
}

/** Time a member spent in a voice channel (Discord), keyed by the join event's natural key. */
export interface VoiceSessionTable {
  key: string;
  community_id: string;
  channel_key: string;
  member_id: string;
  display_name: string;
  joined_at: string;
  left_at: string | null;
}

/** A member's talk proposal (`/talk propose`), shown to organizers as a card. */
export interface TalkProposalTable {
  id: string;
  community_id: string;
  title: string;
  description: string;
  proposer_id: string;
  proposer_name: string;
  status: "open" | "scheduled" | "declined";
  card_key: string;
  created_at: string;
}
