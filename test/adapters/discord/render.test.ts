/**
 * Rendering neutral replies as Discord messages and modals: tokens, tones, Discord's size limits.
 */
import { ButtonStyle, ComponentType, TextInputStyle } from "discord.js";
import { describe, expect, it } from "vitest";
import { renderForm } from "../../../src/adapters/discord/render-form.js";
import { LIMITS, renderReply, TONE_COLOURS } from "../../../src/adapters/discord/render-reply.js";
import { channelMention, memberText, mention, roleMention, time } from "../../../src/core/reply.js";

const GUILD = "42";

describe("tokens", () => {
  it("GIVEN members, channels and roles of this server THEN they render as native mentions", () => {
    const text = `${mention({ id: `discord:${GUILD}:7`, displayName: "Ada" })} in ${channelMention({ id: `discord:${GUILD}:8`, name: "general" })} got ${roleMention({ id: `discord:${GUILD}:&9` })}`;

    expect(renderReply({ text }, GUILD).content).toBe("<@7> in <#8> got <@&9>");
  });

  it("GIVEN a member of another server or platform THEN their display name is shown, markdown escaped", () => {
    const text = `${mention({ id: "slack:T1:U1", displayName: "grace_h*" })} and ${mention({ id: "discord:99:5", displayName: "Lin" })}`;

    expect(renderReply({ text }, GUILD).content).toBe("grace\\_h\\* and Lin");
  });

  it("GIVEN times in each style THEN each becomes a Discord timestamp every reader sees in their own timezone", () => {
    const at = new Date("2026-12-01T18:30:00Z");
    const text = [time(at), time(at, "short"), time(at, "date"), time(at, "relative")].join(" ");

    expect(renderReply({ text }, GUILD).content).toBe("<t:1796149800:F> <t:1796149800:f> <t:1796149800:D> <t:1796149800:R>");
  });
});

describe("member text", () => {
  it("GIVEN member text with mention markup, a forged token, a masked link and block markdown THEN it shows as typed and nothing in it is live", () => {
    const typed = `<@7> <@&9> <#8> </points:1> @everyone @here ⟦m:discord:${GUILD}:7|x⟧ [x](http://e.co)\n# big\n> quote\n-# small\n- item`;
    const content = renderReply({ text: `said: ${memberText(typed)}` }, GUILD).content!;

    expect(content).not.toMatch(/<[@#/]/);
    expect(content).not.toMatch(/@(everyone|here)/);
    expect(content).toContain("\\[x](http://e.co)");
    expect(content.split("\n").slice(1)).toEqual(["\\# big", "\\> quote", "\\-# small", "\\- item"]);
    expect(content).toContain(`⟦m:discord:${GUILD}:7|x⟧`);
  });

  it("GIVEN channels and roles of another server named like mentions THEN their names are shown inert", () => {
    const text = `${channelMention({ id: "slack:T1:C1", name: "<@7>" })} ${roleMention({ id: "discord:99:&5", name: "everyone" })} ${mention({ id: "slack:T1:U1", displayName: "@here" })}`;

    expect(renderReply({ text }, GUILD).content).toBe("#<\u200b@7> @\u200beveryone @\u200bhere");
  });

  it("GIVEN member text in a footer and a button label THEN they show as plain text (neither renders markdown or mentions)", () => {
    const rendered = renderReply({ text: "x", footer: `by ${memberText("*me*")}`, buttons: [{ id: "a:b", label: `Vote ${memberText("<@7>")}` }] }, GUILD);

    expect(rendered.embeds[0]?.footer?.text).toBe("by *me*");
    expect(rendered.components[0]?.components[0]?.label).toBe("Vote <@7>");
  });
});

describe("messages", () => {
  it("GIVEN a plain reply THEN it is plain content with no embed", () => {
    expect(renderReply({ text: "pong" }, GUILD)).toEqual({ content: "pong", embeds: [], components: [] });
  });

  it("GIVEN a tone THEN the embed takes its colour", () => {
    expect(renderReply({ text: "nope", tone: "error" }, GUILD).embeds[0]?.color).toBe(TONE_COLOURS.error);
    expect(renderReply({ text: "yay", tone: "success" }, GUILD).embeds[0]?.color).toBe(TONE_COLOURS.success);
  });

  it("GIVEN oversized parts THEN each is clipped to Discord's limit and the embed stays within 6000 characters", () => {
    const reply = {
      title: "t".repeat(300),
      text: "d".repeat(5000),
      footer: "f".repeat(3000),
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `n${i}`.repeat(200), value: "v".repeat(2000) })),
    };

    const embed = renderReply(reply, GUILD).embeds[0]!;
    const size = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

    expect(embed.title).toHaveLength(LIMITS.title);
    expect(embed.title?.endsWith("…")).toBe(true);
    expect(embed.description?.length).toBeLessThanOrEqual(LIMITS.description);
    expect(embed.footer?.text).toHaveLength(LIMITS.footer);
    expect(embed.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const field of embed.fields!) {
      expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(size).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it("GIVEN content over 2000 characters THEN it is clipped", () => {
    expect(renderReply({ text: "x".repeat(2500) }, GUILD).content).toHaveLength(LIMITS.content);
  });

  it("GIVEN buttons THEN they fill rows of five with their id as custom_id, style and disabled; an id over 100 characters is left out", () => {
    const warnings: string[] = [];
    const buttons = [
      ...Array.from({ length: 6 }, (_, i) => ({ id: `board:page:${i}`, label: `Page ${i}`, style: i === 0 ? ("primary" as const) : undefined, disabled: i === 1 })),
      { id: "x".repeat(101), label: "Too long" },
    ];

    const rows = renderReply({ text: "board", buttons }, GUILD, (w) => warnings.push(w)).components;

    expect(rows.map((r) => r.components.length)).toEqual([5, 1]);
    expect(rows[0]!.components[0]).toEqual({ type: ComponentType.Button, style: ButtonStyle.Primary, label: "Page 0", custom_id: "board:page:0" });
    expect(rows[0]!.components[1]).toMatchObject({ style: ButtonStyle.Secondary, disabled: true });
    expect(warnings).toHaveLength(1);
  });
});

describe("forms", () => {
  it("GIVEN a form THEN it becomes a modal with Discord's title and label limits and a value within max_length", () => {
    const modal = renderForm({
      id: "config:set:roles.moderators",
      title: "Set the roles and members who moderate this community",
      fields: [{ id: "value", label: "New value (roles or members, separated by spaces)", style: "paragraph", required: true, value: "y".repeat(600), placeholder: "p".repeat(150), maxLength: 500 }],
    });

    expect(modal.custom_id).toBe("config:set:roles.moderators");
    expect(modal.title).toHaveLength(45);
    const row = modal.components[0] as unknown as { components: Record<string, unknown>[] };
    expect(row.components[0]).toMatchObject({ type: ComponentType.TextInput, custom_id: "value", style: TextInputStyle.Paragraph, required: true, max_length: 500 });
    expect((row.components[0]!.label as string).length).toBe(45);
    expect((row.components[0]!.value as string).length).toBe(500);
    expect((row.components[0]!.placeholder as string).length).toBe(100);
  });
});
