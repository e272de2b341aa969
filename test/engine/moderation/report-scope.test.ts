import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import { plainText } from "../../../src/core/reply.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, message, reaction } from "../../helpers/events.js";

const bob = member("bob");
const erin = member("erin");
/** A member of another server the bot is also in. */
const zed: Actor = { id: "discord:77777:zed", platform: "discord", workspaceId: "77777", userId: "zed", displayName: "zed", isBot: false };

describe.each(dialects)("reports stay inside their community on %s", (dialect) => {
  let te: TestEngine;
  beforeEach(async () => {
    te = await testEngine({ dialect });
  });
  afterEach(() => te.close());

  it("GIVEN a /report link to a message of another server THEN it is refused, and no item nor text lands in this community", async () => {
    const secret = "a private message in another server about the release";
    const elsewhere = message({ id: "44444", by: zed, at: "2026-11-26T11:00:00Z", text: secret });
    await te.ingest({ ...elsewhere, place: { platform: "discord", workspaceId: "77777", channelId: "55555" } });
    await te.ingest(message({ id: "m1", by: bob, at: "2026-11-26T11:01:00Z", text: "Has anyone tried the new release? It looks fine to me." }));

    const answer = await te.engine.command(command({ name: "report", by: erin, options: { link: "https://discord.com/channels/77777/55555/44444" } }));
    expect(answer.ephemeral).toBe(true);
    expect(plainText(answer.text)).toMatch(/not in this community/);
    const items = await te.db.kysely.selectFrom("mod_items").select(["community_id", "excerpt"]).execute();
    expect(items).toEqual([]);
    expect(await te.db.kysely.selectFrom("mod_reports").selectAll().execute()).toEqual([]);
    // A moderator here can therefore never remove (delete, claw back) the other server's message.
    const key = naturalKeys.discordMessage("44444");
    expect((await te.db.kysely.selectFrom("messages").select("deleted_at").where("message_key", "=", key).executeTakeFirst())?.deleted_at).toBeNull();
  });

  it("GIVEN a member reports a bot's message (its review card, an announcement) by action or 🚩 THEN it is refused and no item is made", async () => {
    const where = { platform: "discord" as const, workspaceId: "g1", channelId: "mods" };
    const card = naturalKeys.discordMessage("90001");
    const answer = await te.engine.messageAction({ kind: "message.action", key: "a1", at: new Date("2026-11-26T12:00:00Z"), place: where, actor: erin, action: "report-message", target: { messageKey: card, author: { id: "discord:g1:bot", isBot: true }, text: "Review #1: low quality", place: where } });
    expect(answer.ephemeral).toBe(true);
    expect(plainText(answer.text)).toMatch(/posted by a bot/);
    await te.ingest(reaction({ message: "90001", by: erin, at: "2026-11-26T12:01:00Z", emoji: "🚩", channel: "mods", author: { id: "discord:g1:bot", isBot: true } }));
    expect(await te.db.kysely.selectFrom("mod_items").selectAll().execute()).toEqual([]);
    expect(await te.db.kysely.selectFrom("mod_reports").selectAll().execute()).toEqual([]);
  });

  it("GIVEN moderation is turned off THEN /report and Report to moderators are refused, saying so, and nothing is queued", async () => {
    const community = await te.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    const settings = structuredClone(community.settings);
    settings.moderation.enabled = false;
    await te.engine.communities.updateSettings(community, settings);
    await te.ingest(message({ id: "m1", by: bob, at: "2026-11-26T11:01:00Z", text: "Has anyone tried the new release? It looks fine to me." }));
    const where = { platform: "discord" as const, workspaceId: "g1", channelId: "general" };
    const viaAction = await te.engine.messageAction({ kind: "message.action", key: "a1", at: new Date("2026-11-26T12:00:00Z"), place: where, actor: erin, action: "report-message", target: { messageKey: naturalKeys.discordMessage("m1"), author: { id: bob.id }, text: "x", place: where } });
    expect(viaAction.ephemeral).toBe(true);
    expect(plainText(viaAction.text)).toMatch(/turned off/);
    expect(await te.db.kysely.selectFrom("mod_items").selectAll().execute()).toEqual([]);
    expect(await te.db.kysely.selectFrom("mod_reports").selectAll().execute()).toEqual([]);
  });
});
