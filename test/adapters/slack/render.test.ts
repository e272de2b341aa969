import { describe, expect, it } from "vitest";
import { channelMention, memberText, mention, type Reply, roleMention, time } from "../../../src/core/reply.js";
import { mrkdwn, plainText } from "../../../src/adapters/slack/mrkdwn.js";
import { LIMITS, renderMessage } from "../../../src/adapters/slack/render-blocks.js";
import { decodeOrigin, renderModal } from "../../../src/adapters/slack/render-modal.js";

const T = "T0GUILD001";

describe("Slack text: engine tokens become Slack markup, everything else is escaped", () => {
  it("GIVEN tokens for this workspace THEN they render as live mentions, channels, user groups and local times", () => {
    const at = new Date("2026-12-01T18:30:00Z");
    const text = `${mention({ id: `slack:${T}:U0ALICE001`, displayName: "alice" })} in ${channelMention({ id: `slack:${T}:C0GENERAL1` })} for ${roleMention({ id: `slack:${T}:&S0MODS0001` })} at ${time(at)}`;

    expect(mrkdwn(text, T)).toBe(`<@U0ALICE001> in <#C0GENERAL1> for <!subteam^S0MODS0001> at <!date^${at.getTime() / 1000}^{date_short_pretty} {time}|2026-12-01 18:30 UTC>`);
  });

  it("GIVEN members and channels from another workspace or platform THEN they are shown by name", () => {
    const text = `${mention({ id: "discord:g1:42", displayName: "Grace" })} and ${mention({ id: "slack:T0OTHER001:U0X000001", displayName: "Xi" })} in ${channelMention({ id: "discord:g1:7", name: "lobby" })}`;

    expect(mrkdwn(text, T)).toBe("Grace and Xi in #lobby");
  });

  it("GIVEN text with <, > and & (a usage line, a name) THEN they are escaped so Slack does not read them as markup", () => {
    expect(mrkdwn(`Usage: /thanks <member> [reason] — ${mention({ id: "discord:g1:1", displayName: "R&D <team>" })}`, T)).toBe(
      "Usage: /thanks &lt;member&gt; [reason] — R&amp;D &lt;team&gt;",
    );
    expect(plainText(`${mention({ id: `slack:${T}:U1`, displayName: "alice" })} at ${time(new Date("2026-12-01T18:30:00Z"), "date")}`)).toBe("alice at 2026-12-01");
  });
});

describe("Slack text: what members wrote stays inert", () => {
  it("GIVEN member text with mention markup, forged tokens and bare @-mentions THEN nothing in it is live", () => {
    const typed = `⟦r:slack:${T}:&S0MODS0001|mods⟧ ⟦m:slack:${T}:U0ADAADM01|x⟧ <!subteam^S0MODS0001> <@U0ADAADM01> <!here> @channel @everyone mail@example.com`;
    const text = mrkdwn(`said: ${memberText(typed)}`, T);

    expect(text).not.toMatch(/<[@!#]/);
    expect(text).not.toMatch(/(^|\s)@(channel|everyone|here)/);
    expect(text).toContain(`⟦m:slack:${T}:U0ADAADM01|x⟧ &lt;!subteam^S0MODS0001&gt; &lt;@\u200bU0ADAADM01&gt;`);
    expect(text).toContain("mail@example.com");
  });

  it("GIVEN names from another platform that look like special mentions THEN they are shown inert", () => {
    const text = `${mention({ id: "discord:g1:1", displayName: "@here" })} ${roleMention({ id: "discord:g1:&2", name: "channel" })} ${channelMention({ id: "discord:g1:3", name: "<!everyone>" })}`;

    expect(mrkdwn(text, T)).toBe("@\u200bhere @\u200bchannel #&lt;!everyone&gt;");
  });

  it("GIVEN a reply with no text whose title holds member text THEN the notification text does not decode it into a mention", () => {
    const message = renderMessage({ text: "", title: `Talk: ${memberText(`⟦m:slack:${T}:U0ADAADM01|x⟧ ⟦r:slack:${T}:&S0MODS0001|mods⟧`)}` }, T);

    expect(message.text).not.toContain("<@U0ADAADM01>");
    expect(message.text).not.toContain("<!subteam^");
    expect(message.text).toContain("⟦m:slack:");
  });
});

describe("Block Kit rendering stays inside Slack's limits", () => {
  it("GIVEN a reply with title, tone, fields, footer and buttons THEN it has a header, field sections, a context and an actions block, and fallback text", () => {
    const reply: Reply = {
      title: "Ada — level 2",
      tone: "success",
      text: "Ada has 160 points",
      fields: [
        { name: "Points", value: "160", inline: true },
        { name: "Level", value: "2", inline: true },
        { name: "Progress", value: "▰▰▱▱" },
      ],
      footer: "Keep going",
      buttons: [
        { id: "points:refresh", label: "Refresh", style: "primary" },
        { id: "points:current", label: "Current", disabled: true },
      ],
    };

    const { text, blocks } = renderMessage(reply, T);

    expect(text).toBe("Ada has 160 points");
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "context", "actions"]);
    expect(blocks[0]).toMatchObject({ text: { text: ":white_check_mark: Ada — level 2" } });
    expect(blocks[2]).toMatchObject({ fields: [{ text: "*Points*\n160" }, { text: "*Level*\n2" }] });
    // Slack buttons cannot be disabled, so the disabled one is left out.
    expect(blocks[5]).toEqual({ type: "actions", elements: [{ type: "button", action_id: "points:refresh", text: { type: "plain_text", text: "Refresh", emoji: true }, style: "primary" }] });
  });

  it("GIVEN an oversized reply THEN no block, field, header or button breaks a limit and there are at most 50 blocks", () => {
    const reply: Reply = {
      title: "t".repeat(400),
      text: `${"word ".repeat(2000)}\n${"x".repeat(7000)}`,
      fields: Array.from({ length: 130 }, (_, i) => ({ name: `f${i}`, value: "v".repeat(2500), inline: true })),
      buttons: Array.from({ length: 30 }, (_, i) => ({ id: `c:b:${i}`, label: "L".repeat(100) })),
    };

    const { text, blocks } = renderMessage(reply, T);

    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    for (const block of blocks) {
      if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
      if (block.type === "section") {
        expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.sectionText);
        expect(block.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fieldsPerSection);
        for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
      }
      if (block.type === "actions") {
        expect(block.elements.length).toBeLessThanOrEqual(LIMITS.buttonsPerActions);
        for (const e of block.elements) if (e.type === "button") expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
      }
    }
    expect(blocks.at(-1)?.type).toBe("actions");
  });

  it("GIVEN a reply whose text only lists its fields (/config show) THEN the blocks show the fields once", () => {
    const { blocks } = renderMessage({ text: "a = 1\nb = none", fields: [{ name: "a", value: "1", inline: true }, { name: "b", value: "none", inline: true }] }, T);

    expect(blocks).toEqual([{ type: "section", fields: [{ type: "mrkdwn", text: "*a*\n1" }, { type: "mrkdwn", text: "*b*\nnone" }] }]);
  });

  it("GIVEN a form with a long title THEN the modal's title is clipped to 24 characters and the origin survives the round trip", () => {
    const view = renderModal(
      { id: "config:set:points.messageCooldownSeconds", title: "Set points.messageCooldownSeconds", fields: [{ id: "value", label: "New value", style: "short", required: true, value: "" }] },
      { channel: "C0GENERAL1", responseUrl: "https://hooks.slack.com/commands/T/1/x" },
    );

    expect(view.title.text).toHaveLength(24);
    expect(view.blocks[0]).toMatchObject({ type: "input", block_id: "value", optional: false, element: { action_id: "value", multiline: false } });
    expect(view.blocks[0]).not.toHaveProperty("element.initial_value");
    expect(decodeOrigin(view.private_metadata ?? "")).toEqual({ channel: "C0GENERAL1", responseUrl: "https://hooks.slack.com/commands/T/1/x" });
  });
});
