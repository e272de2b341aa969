import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { plainText } from "../../../src/core/reply.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, message, reaction } from "../../helpers/events.js";

const ada = member("ada", { isPlatformAdmin: true });
const bob = member("bob");
const carol = member("carol");
const dan = member("dan");
const erin = member("erin");

async function outboxRows(te: TestEngine) {
  return te.db.kysely.selectFrom("outbox").select(["dedupe_key", "operation", "reply", "destination", "target_message_id"]).orderBy("id").execute();
}

async function points(te: TestEngine, who: string): Promise<number> {
  const row = await te.db.kysely.selectFrom("totals").select("points").where("period", "=", "all").where("member_id", "=", `discord:g1:${who}`).executeTakeFirst();
  return row?.points ?? 0;
}

describe.each(dialects)("review queue on %s", (dialect) => {
  let te: TestEngine;
  beforeEach(async () => {
    te = await testEngine({ dialect });
    const community = await te.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    const settings = structuredClone(community.settings);
    settings.channels.modQueue = "discord:g1:mods";
    await te.engine.communities.updateSettings(community, settings);
  });
  afterEach(() => te.close());

  it("GIVEN a keyboard-mash post THEN one card with three buttons is queued, and Remove claws back its points, deletes it, edits the card and audits", async () => {
    await te.ingest(message({ id: "m1", by: bob, at: "2026-11-26T11:59:00Z", text: "jkdfhgkjdfhg sdfkjhsdf" }));
    // Replayed: still one card.
    await te.ingest(message({ id: "m1", by: bob, at: "2026-11-26T11:59:00Z", text: "jkdfhgkjdfhg sdfkjhsdf" }));
    expect(await points(te, "bob")).toBe(5);
    const rows = await outboxRows(te);
    expect(rows).toHaveLength(1);
    const card = JSON.parse(rows[0]!.reply!);
    expect(card.buttons.map((b: { id: string }) => b.id)).toEqual(["mod:approve:1", "mod:remove:1", "mod:penalise:1"]);
    expect(JSON.parse(rows[0]!.destination!).channelId).toBe("mods");

    const refused = await te.engine.press({ kind: "button", key: "p1", at: new Date(), place: { platform: "discord", workspaceId: "g1", channelId: "mods" }, actor: carol, buttonId: "mod:remove:1" });
    expect(refused.ephemeral).toBe(true);
    expect(plainText(refused.text)).toContain("Only moderators");

    const decided = await te.engine.press({ kind: "button", key: "p2", at: new Date(), place: { platform: "discord", workspaceId: "g1", channelId: "mods" }, actor: ada, buttonId: "mod:remove:1" });
    expect(decided.ephemeral).toBe(true);
    expect(plainText(decided.text)).toContain("Removed review #1");
    expect(await points(te, "bob")).toBe(0);
    const after = await outboxRows(te);
    const edited = JSON.parse(after[2]!.reply!);
    expect(plainText(edited.text)).toContain("Removed by @ada");
    expect(edited.buttons).toBeUndefined();
    expect(after.map((r) => [r.operation, r.dedupe_key])).toEqual([
      ["post", "modq:" + (await te.engine.communities.resolve({ platform: "discord", workspaceId: "g1" })).id + ":1"],
      ["delete", `mod:delete:${naturalKeys.discordMessage("m1")}`],
      ["edit", expect.stringMatching(/:1:r1$/)],
    ]);
    expect(after[1]!.target_message_id).toBe("m1");
    const again = await te.engine.press({ kind: "button", key: "p3", at: new Date(), place: { platform: "discord", workspaceId: "g1", channelId: "mods" }, actor: ada, buttonId: "mod:approve:1" });
    expect(plainText(again.text)).toMatch(/already removed by @ada/);
    const audit = await te.db.kysely.selectFrom("mod_audit").selectAll().orderBy("seq").execute();
    expect(audit.map((a) => [a.action, a.points_before, a.points_after])).toEqual([
      ["flag", null, null],
      ["remove", 5, 0],
    ]);
  });

  it("GIVEN three members report a message with 🚩 THEN it is queued; one member reporting three times is not", async () => {
    await te.ingest(message({ id: "m2", by: bob, at: "2026-11-26T11:00:00Z", text: "Has anyone tried the new release? It looks fine to me." }));
    for (let i = 0; i < 3; i++) await te.ingest(reaction({ message: "m2", by: carol, at: `2026-11-26T11:0${i + 1}:00Z`, emoji: "🚩" }));
    const viaAction = await te.engine.messageAction({ kind: "message.action", key: "a1", at: new Date(), place: { platform: "discord", workspaceId: "g1", channelId: "general" }, actor: carol, action: "report-message", target: { messageKey: naturalKeys.discordMessage("m2"), author: { id: bob.id }, text: "x", place: { platform: "discord", workspaceId: "g1", channelId: "general" } } });
    expect(plainText(viaAction.text)).toContain("already reported");
    expect(await outboxRows(te)).toHaveLength(0);
    const self = await te.engine.messageAction({ kind: "message.action", key: "a2", at: new Date(), place: { platform: "discord", workspaceId: "g1", channelId: "general" }, actor: bob, action: "report-message", target: { messageKey: naturalKeys.discordMessage("m2"), author: { id: bob.id }, text: "x", place: { platform: "discord", workspaceId: "g1", channelId: "general" } } });
    expect(plainText(self.text)).toContain("your own message");
    await te.ingest(reaction({ message: "m2", by: dan, at: "2026-11-26T11:05:00Z", emoji: "🚩" }));
    expect(await outboxRows(te)).toHaveLength(0);
    const viaLink = await te.engine.command(command({ name: "report", by: erin, options: { link: "https://discord.com/channels/g1/general/m2", reason: "rude" } }));
    expect(plainText(viaLink.text)).toContain("not a message link");
    const ok = await te.engine.command(command({ name: "report", by: erin, options: { link: "https://discord.com/channels/11111/22222/33333" } }));
    expect(plainText(ok.text)).toContain("haven't seen");
    await te.ingest(reaction({ message: "m2", by: erin, at: "2026-11-26T11:06:00Z", emoji: "🚩" }));
    const rows = await outboxRows(te);
    expect(rows).toHaveLength(1);
    expect(plainText(JSON.parse(rows[0]!.reply!).text)).toContain("3 reports (weight 3.0)");
    // Approving a report counts against each reporter's accuracy.
    const approved = await te.engine.command(command({ name: "mod", subcommand: "approve", by: ada, options: { id: 1 } }));
    expect(plainText(approved.text)).toContain("Approved review #1");
    const record = await te.db.kysely.selectFrom("mod_reporters").select(["member_id", "rejected"]).orderBy("member_id").execute();
    expect(record.map((r) => r.rejected)).toEqual([1, 1, 1]);
    const unknown = await te.engine.command(command({ name: "mod", subcommand: "approve", by: ada, options: { id: 99 } }));
    expect(plainText(unknown.text)).toContain("no queue item #99");
  });
});
