import { describe, expect, it } from "vitest";
import { discordTokens } from "../../../src/adapters/discord/render-reply.js";
import { mrkdwn } from "../../../src/adapters/slack/mrkdwn.js";
import { renderTokens } from "../../../src/core/reply.js";
import type { ItemRow } from "../../../src/engine/moderation/moderation.repo.js";
import { excerptOf, reviewCard, shownExcerpt } from "../../../src/engine/moderation/review-card.js";

function item(text: string): ItemRow {
  return {
    id: "c:1", community_id: "c", number: 1, message_key: "discord:msg:1", member_id: "discord:g1:bob",
    place: JSON.stringify({ platform: "discord", workspaceId: "g1", channelId: "general" }), excerpt: excerptOf(text),
    reasons: JSON.stringify(["scam-link"]), q: 0.1, z: null, auto_flag: 1, report_weight: 0, reporters: 0, queued: 1, revision: 0,
    edited_at: null, status: "open", decided_by: null, decided_at: null, decision_reason: null, created_at: "2026-11-26T12:00:00.000Z",
  };
}

describe("the card's excerpt", () => {
  const scam = "FREE NITRO claim now https://dlscord-gift.com/claim?x=1 or discord.gg/abcdef <@123> @everyone [click](https://evil.example) **bold**";

  it("GIVEN a scam message THEN its links are not clickable on Discord nor Slack, and nothing pings or becomes markup", () => {
    const card = reviewCard({ item: item(scam) });
    const discord = renderTokens(card.text, discordTokens("g1"));
    const slack = mrkdwn(card.text, "T1");
    // The excerpt's line (the card's own link to the message, on the next line, stays a link).
    for (const shown of [discord, slack].map((t) => t.split("\n").find((l) => l.includes("“"))!)) {
      expect(shown).not.toMatch(/https?:\/\//);
      expect(shown).not.toMatch(/discord\.gg/);
      expect(shown).toContain("dlscord-gift[.]com");
      expect(shown).not.toContain("<@123>");
      expect(shown).not.toMatch(/@everyone/);
    }
    expect(discord).toContain("\\*\\*bold\\*\\*");
  });

  it("GIVEN an excerpt cut for /mod queue THEN no emoji is split in half", () => {
    const cut = shownExcerpt("🚩".repeat(100), 80);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
