// Tables of the economy's tips (src/engine/economy/tips.service.ts; migration 20261201_1810_tips).

/**
 * One tip, append-only, keyed like its wallet movement (the interaction). Members and persons are
 * both kept: the allowance and the pair cap count by person (linked platforms are one giver), the
 * history names the members who tipped. Names are as the platform gave them at the time.
 */
export interface TipTable {
  community_id: string;
  key: string;
  giver_id: string;
  giver_person: string;
  giver_name: string;
  receiver_id: string;
  receiver_person: string;
  receiver_name: string;
  amount: number;
  author_share: number;
  pool_share: number;
  /** `week:2026-W49`: the ISO week in the community's timezone when the tip was made. */
  week: string;
  at: string;
  reason: string | null;
  source_message_key: string | null;
}
