// Tables of the forget capability (src/engine/forget/; migration 20261201_2010_forget_me).

/**
 * A member who was forgotten: no id, only `member_hash` = sha256 hex of `<community>|<member id>`,
 * which is enough to recognise their old events when a platform delivers them again, and nothing
 * more. Events of theirs stamped at or before `forgotten_at` are dropped before any handler sees them.
 */
export interface ForgottenMemberTable {
  community_id: string;
  member_hash: string;
  forgotten_at: string;
}
