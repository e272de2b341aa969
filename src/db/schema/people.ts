// Tables of the people capability (src/engine/people/; migration 20261201_1840_member_links).
// Who belongs to which person is `members.person_id` (migration 20261201_1800_wallet).

/** A one-time `/link` code: kept as a hash, single use, valid for ten minutes. */
export interface MemberLinkCodeTable {
  /** sha256 hex of the normalised code. */
  code_hash: string;
  community_id: string;
  /** Who asked for it: their member becomes the person (or their person, if already linked). */
  member_id: string;
  /** The platform it was made on: it can only be spent on another one. */
  platform: string;
  /** The interaction that asked for it (a replay makes no second code). */
  cause_key: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
}

/** Append-only history of links and unlinks, keyed by the interaction (and member) that made them. */
export interface MemberLinkTable {
  community_id: string;
  key: string;
  kind: "link" | "unlink";
  person_id: string;
  member_id: string;
  at: string;
}
