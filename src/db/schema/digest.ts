// Tables of the digest capability (src/engine/digest/, migration 20261201_1710_digest).

/** An honor the weekly digest awarded: once per community, ISO week (`2026-W49`) and honor. */
export interface DigestHonorTable {
  community_id: string;
  week: string;
  /** `contributor`, `helpful`, `newcomer` or `attendee`. */
  honor: string;
  member_id: string;
  display_name: string;
  /** What won it: points, thanks received or talks attended that week. */
  value: number;
  awarded_at: string;
}

/** Messages and thread replies per community-local ISO week, counted once per message as they arrive. */
export interface HealthWeekTable {
  community_id: string;
  week: string;
  messages: number;
  replies: number;
}

/** A top-level message that asks something, and when someone else first replied in its thread. */
export interface HealthQuestionTable {
  message_key: string;
  community_id: string;
  member_id: string;
  asked_at: string;
  first_reply_at: string | null;
}
