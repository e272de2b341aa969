import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { connect } from "../../../src/db/connect.js";
import { migrateToLatest } from "../../../src/db/migrate.js";
import { HANDLED_ELSEWHERE, NOT_PERSONAL, PERSONAL_TABLES } from "../../../src/engine/forget/personal-data.js";
import { IdRewriter } from "../../../src/engine/forget/pseudonyms.js";

/**
 * The list forgetting works from (personal-data.ts) against the migrated schema: a column that may
 * hold a member's id, name or words — by its name — is either in the list, in a table handled
 * elsewhere, or said not to be personal, with the reason. A new capability's `*_member_id`, `*_name`
 * or `note` column fails here until someone decides.
 */
const MEMBERISH = /(member|actor|author|giver|receiver|reporter|requester|claimer|released|poster|answerer|buyer|speaker|proposer|asker|person|account|grant_to|_by$|name$|excerpt|text|reason|description|subject|answer|memo|note|payload|destination|reply|detail|blurb)/;
const KEYISH = /(^|_)key$/;

/** Keys made only of message, channel, interaction, timer or entity ids: no member id in them. */
const KEYS_WITHOUT_MEMBERS = new Set([
  "bounties.cause_key", "bounties.question_key", "bounties.settle_key",
  "code_reviews.request_key", "code_reviews.card_key", "code_reviews.claim_key", "code_reviews.close_key",
  "feedback.key", "feedback.card_key", "feedback.decided_key",
  "health_questions.message_key", "level_ups.channel_key", "member_link_codes.cause_key", "member_links.key",
  "messages.message_key", "messages.channel_key", "messages.thread_parent_key",
  "mod_audit.message_key", "mod_items.message_key", "mod_reports.message_key", "mod_scores.message_key", "mod_scores.edit_key",
  "notices.key", "reactions.message_key", "shop_orders.key", "shop_rewards.name_key", "shop_rewards.added_key",
  "solved_questions.question_key", "solved_questions.answer_key", "solved_questions.channel_key", "solved_questions.award_key",
  "sponsor_changes.key", "sponsor_contributions.key", "sponsor_impressions.slot_key", "sponsors.name_key",
  "talk_proposals.card_key", "talks.announce_key", "thanks.source_key", "ledger.source_key", "tips.key", "tips.source_message_key", "voice_sessions.channel_key",
]);

describe("personal data: the list covers the schema", () => {
  it("GIVEN every table and column after all migrations THEN each one that may name a member is handled, or said not to be", async () => {
    const db = connect(":memory:");
    try {
      await migrateToLatest(db.kysely);
      const classified = new Set<string>();
      for (const t of PERSONAL_TABLES) {
        for (const c of [...(t.ids ?? []), ...(t.names ?? []).map((n) => n.column), ...(t.texts ?? []).map((n) => n.column), ...(t.embedded?.columns ?? []), ...(t.deleteWhere ?? [])]) classified.add(`${t.table}.${c}`);
      }
      const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name not like 'kb_fts%'`.execute(db.kysely)).rows.map((r) => r.name);
      const undecided: string[] = [];
      const columnsSeen = new Set<string>();
      for (const table of tables) {
        for (const { name } of (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db.kysely)).rows) {
          const column = `${table}.${name}`;
          columnsSeen.add(column);
          if (table in HANDLED_ELSEWHERE || classified.has(column) || column in NOT_PERSONAL || KEYS_WITHOUT_MEMBERS.has(column)) continue;
          if (MEMBERISH.test(name) || KEYISH.test(name)) undecided.push(column);
        }
      }
      expect(undecided).toEqual([]);
      // And the list names nothing that does not exist (a renamed column would be skipped silently).
      expect([...classified, ...Object.keys(NOT_PERSONAL), ...KEYS_WITHOUT_MEMBERS].filter((c) => !columnsSeen.has(c))).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe("personal data: ids inside longer values", () => {
  const rewriter = new IdRewriter(
    new Map([
      ["discord:g1:ada", "forgotten:aaaa"],
      ["slack:T1:U1", "forgotten:bbbb"],
      ["console:local:cy", "forgotten:cccc"],
    ]),
  );

  it.each([
    ["discord:msg:9:thanks:discord:g1:ada", "discord:msg:9:thanks:forgotten:aaaa"],
    ["discord:msg:9:thanks:discord:g1:ada:undo", "discord:msg:9:thanks:forgotten:aaaa:undo"],
    ["discord:msg:9:thanks:discord:g1:adam", "discord:msg:9:thanks:discord:g1:adam"],
    ["discord:react:9:ada:👍", "discord:react:9:forgotten-aaaa:👍"],
    ["discord:react:9:ada:👍:fix:1", "discord:react:9:forgotten-aaaa:👍:fix:1"],
    ["discord:react:9:adam:👍", "discord:react:9:adam:👍"],
    ["discord:react:ada:bob:👍", "discord:react:ada:bob:👍"],
    ["discord:voice:g1:ada:c7:s1:joined:5", "discord:voice:g1:forgotten-aaaa:c7:s1:joined:5"],
    ["slack:T1:C1:1700.1:react:U1:👍", "slack:T1:C1:1700.1:react:forgotten-bbbb:👍"],
    ["slack:T2:C1:1700.1:react:U1:👍", "slack:T2:C1:1700.1:react:U1:👍"],
    ["console:react:4:cy:👍", "console:react:4:forgotten-cccc:👍"],
    ['{"memberId":"discord:g1:ada"}', '{"memberId":"forgotten:aaaa"}'],
    ["unlink slack:T1:U1 from discord:g1:ada", "unlink forgotten:bbbb from forgotten:aaaa"],
  ])("GIVEN %j THEN it reads %j", (value, expected) => {
    expect(rewriter.rewrite(value)).toBe(expected);
  });

  it("GIVEN a stored reply about a forgotten member THEN their mention says 'forgotten member', quoted texts are gone, other members stay, pictures are dropped", () => {
    const reply = JSON.stringify({ text: "⟦m:discord:g1:ada|Ada⟧ thanked ⟦m:discord:g1:bob|bob⟧: “⟦l:you rock, from Ada⟧”", fields: [{ name: "By", value: "⟦m:discord:g1:ada|Ada⟧" }], attachments: [{ name: "x.png", contentType: "image/png", data: "AAAA", description: "Ada first" }] });
    expect(JSON.parse(rewriter.scrubReply(rewriter.rewrite(reply)))).toEqual({
      text: "⟦m:forgotten:aaaa|forgotten member⟧ thanked ⟦m:discord:g1:bob|bob⟧: “⟦l:(forgotten)⟧”",
      fields: [{ name: "By", value: "⟦m:forgotten:aaaa|forgotten member⟧" }],
    });
  });

  it("GIVEN the LIKE patterns THEN every value above that changes is among the candidates they find", () => {
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".")}$`, "s").test(value);
    for (const value of ["discord:react:9:ada:👍", "slack:T1:C1:1700.1:react:U1:👍", "console:react:4:cy:👍", "discord:voice:g1:ada:c7:s1:joined:5", "x:discord:g1:ada"]) {
      expect(rewriter.likes.some((p) => like(p, value))).toBe(true);
    }
  });
});
