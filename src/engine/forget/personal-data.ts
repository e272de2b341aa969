import type { Database } from "../../db/schema.js";

/**
 * Where a member's personal data is, table by table: the one list forgetting works from (and that
 * `test/engine/forget/personal-data.test.ts` checks against the migrated schema, so a new table or
 * column that holds a member id, a name or a member's words cannot be missed silently).
 *
 * - `ids`: columns that hold a member id. Renamed to the member's pseudonym: the row stays (a ledger
 *   row keeps its amount, a vote its count) but no longer says whose it is.
 * - `names`: a display name copied at the time, of the member in the `of` column: becomes "forgotten member".
 * - `texts`: what the member in `of` wrote, or was written about them (a moderator's reason, an
 *   organizer's answer): replaced by "(forgotten)".
 * - `embedded`: text whose value may carry the id inside a longer one — natural keys
 *   (`<message>:thanks:<member id>`, reaction keys with the platform user id), JSON, memos —
 *   rewritten in place, rows found by `key` (the primary key).
 * - `deleteWhere`: rows deleted outright when any of these columns is the member: `/link` codes and
 *   the link history, which are only about the member.
 *
 * Rows are scoped to the community through `community_id`, or for `talk_rsvps` and `talk_attendance`
 * (which have only a talk id) through their talk.
 */
export interface PersonalTable {
  table: keyof Database;
  scope?: "talk";
  ids?: readonly string[];
  names?: readonly { column: string; of: string }[];
  texts?: readonly { column: string; of: string }[];
  embedded?: { key: readonly string[]; columns: readonly string[] };
  deleteWhere?: readonly string[];
}

export const PERSONAL_TABLES: readonly PersonalTable[] = [
  { table: "members", ids: ["member_id", "person_id"], names: [{ column: "display_name", of: "member_id" }], embedded: { key: ["community_id", "member_id"], columns: ["watermark_key"] } },
  { table: "messages", ids: ["member_id"] },
  { table: "reactions", ids: ["actor_id", "member_id"], embedded: { key: ["key"], columns: ["key"] } },
  { table: "thanks", ids: ["giver_id", "receiver_id"], embedded: { key: ["key"], columns: ["key"] } },
  // source_key is a message, interaction, question, talk or review key: never a member id.
  { table: "ledger", ids: ["member_id"], embedded: { key: ["key"], columns: ["key", "reverses"] } },
  { table: "totals", ids: ["member_id"] },
  { table: "level_ups", ids: ["member_id"] },
  { table: "link_codes", ids: ["created_by"] },
  { table: "job_timers", embedded: { key: ["timer", "community_id", "key"], columns: ["key", "payload"] } },
  { table: "talks", ids: ["speaker_id", "created_by"], names: [{ column: "speaker_name", of: "speaker_id" }] },
  { table: "talk_rsvps", scope: "talk", ids: ["member_id"], names: [{ column: "display_name", of: "member_id" }] },
  { table: "talk_attendance", scope: "talk", ids: ["member_id"], names: [{ column: "display_name", of: "member_id" }] },
  { table: "voice_sessions", ids: ["member_id"], names: [{ column: "display_name", of: "member_id" }], embedded: { key: ["key"], columns: ["key"] } },
  {
    table: "talk_proposals",
    ids: ["proposer_id"],
    names: [{ column: "proposer_name", of: "proposer_id" }],
    texts: [
      { column: "title", of: "proposer_id" },
      { column: "description", of: "proposer_id" },
    ],
  },
  { table: "sponsor_changes", ids: ["actor_id"] },
  { table: "sponsor_contributions", ids: ["actor_id"] },
  { table: "mod_scores", ids: ["member_id"] },
  {
    table: "mod_items",
    ids: ["member_id", "decided_by"],
    texts: [
      { column: "excerpt", of: "member_id" },
      { column: "decision_reason", of: "member_id" },
    ],
  },
  { table: "mod_reports", ids: ["reporter_id"], texts: [{ column: "reason", of: "reporter_id" }] },
  { table: "mod_reporters", ids: ["member_id"] },
  { table: "mod_audit", ids: ["actor_id", "member_id"], texts: [{ column: "reason", of: "member_id" }], embedded: { key: ["key"], columns: ["key"] } },
  { table: "digest_honors", ids: ["member_id"], names: [{ column: "display_name", of: "member_id" }] },
  { table: "health_questions", ids: ["member_id"] },
  { table: "wallet_entries", ids: ["account"], embedded: { key: ["community_id", "key"], columns: ["key", "cause_key", "memo"] } },
  { table: "wallet_accounts", ids: ["account"] },
  { table: "shop_orders", ids: ["buyer_id", "grant_to", "closed_by"], names: [{ column: "buyer_name", of: "buyer_id" }], texts: [{ column: "reason", of: "buyer_id" }] },
  {
    table: "bounties",
    ids: ["poster_id", "answerer_id", "settled_by"],
    names: [
      { column: "poster_name", of: "poster_id" },
      { column: "answerer_name", of: "answerer_id" },
    ],
  },
  {
    table: "tips",
    ids: ["giver_id", "giver_person", "receiver_id", "receiver_person"],
    names: [
      { column: "giver_name", of: "giver_id" },
      { column: "receiver_name", of: "receiver_id" },
    ],
    texts: [
      { column: "reason", of: "giver_id" },
      { column: "reason", of: "receiver_id" },
    ],
  },
  {
    table: "feedback",
    ids: ["member_id", "decided_by"],
    names: [
      { column: "member_name", of: "member_id" },
      { column: "decided_by_name", of: "decided_by" },
    ],
    texts: [
      { column: "text", of: "member_id" },
      { column: "answer", of: "member_id" },
      { column: "reason", of: "member_id" },
    ],
  },
  {
    table: "code_reviews",
    ids: ["requester_id", "claimer_id", "released_id", "closed_by"],
    names: [
      { column: "requester_name", of: "requester_id" },
      { column: "claimer_name", of: "claimer_id" },
      { column: "released_name", of: "released_id" },
    ],
    texts: [
      { column: "subject", of: "requester_id" },
      { column: "description", of: "requester_id" },
    ],
  },
  { table: "solved_questions", ids: ["answer_author_id", "asker_id", "marked_by"] },
  { table: "member_link_codes", deleteWhere: ["member_id", "used_by"] },
  { table: "member_links", deleteWhere: ["member_id", "person_id"] },
];

/**
 * Tables with member data that are handled elsewhere, and why (the schema check accepts them):
 * the knowledge base's rows go through `services.knowledge.forgetMember`, which also forgets the
 * texts it remembers in memory; the outbox has its own pass (forget-outbox.ts: replies are JSON
 * with mention tokens, and a pending DM to the member is refused).
 */
export const HANDLED_ELSEWHERE: Readonly<Partial<Record<keyof Database, string>>> = {
  kb_entries: "services.knowledge.forgetMember deletes the entries the member asked or answered",
  thread_questions: "services.knowledge.forgetMember deletes the questions the member asked",
  outbox: "forget-outbox.ts rewrites ids, names and member texts in stored replies, and refuses pending DMs",
  forgotten_members: "the tombstones themselves: a hash, no id",
};

/**
 * Columns that look personal but are not (or are left on purpose), with the reason. Community
 * settings may name a member in `roles.*`: they are left for an admin to change with /config, since
 * rewriting them would make the settings refuse to parse (docs/forget-me.md).
 */
export const NOT_PERSONAL: Readonly<Record<string, string>> = {
  "communities.name": "the workspace's name",
  "communities.settings": "may name members in roles.*: left for an admin (/config set roles.… none)",
  "shop_rewards.name": "a reward's name",
  "shop_rewards.role_name": "a role's name",
  "shop_orders.reward_name": "a reward's name",
  "shop_orders.role_name": "a role's name",
  "sponsors.name": "a sponsor's name",
  "talks.title": "written by organizers",
  "talks.description": "written by organizers",
  "sponsor_contributions.note": "an organizer's note about a sponsor",
  "shop_orders.problem": "the bot's own words about a role grant",
  "notices.key": "what the bot told moderators about (roles, channels)",
  "ledger.reason": "the rules' name for an award (post, thanks, undo:…)",
  "mod_items.reasons": "labels of why a message was flagged",
  "mod_items.reporters": "a count",
  "sponsors.blurb": "a sponsor's text, written by organizers",
  "sponsor_changes.detail": "what an organizer changed about a sponsor",
  "health_questions.first_reply_at": "a time",
  "totals_histogram.members": "a count",
  "tips.author_share": "an amount",
  "code_reviews.subject_kind": "url or snippet",
  "code_reviews.released_how": "lapsed or released",
};
