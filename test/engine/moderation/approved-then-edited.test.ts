import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { plainText } from "../../../src/core/reply.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, message, place } from "../../helpers/events.js";

const ada = member("ada", { isPlatformAdmin: true });
const bob = member("bob");

describe.each(dialects)("an approved message edited into spam on %s", (dialect) => {
  let te: TestEngine;
  beforeEach(async () => {
    te = await testEngine({ dialect });
    const community = await te.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    const settings = structuredClone(community.settings);
    settings.channels.modQueue = "discord:g1:mods";
    await te.engine.communities.updateSettings(community, settings);
  });
  afterEach(() => te.close());

  it("GIVEN a flagged message a moderator approved WHEN its author edits it into a scam THEN the item opens again with buttons and the new text, and can be removed", async () => {
    await te.ingest(message({ id: "m1", by: bob, at: "2026-11-26T11:00:00Z", text: "jkdfhgkjdfhg sdfkjhsdf" }));
    const approved = await te.engine.command(command({ name: "mod", subcommand: "approve", by: ada, options: { id: 1 } }));
    expect(plainText(approved.text)).toContain("Approved review #1");

    const key = naturalKeys.discordMessage("m1");
    await te.ingest({ kind: "message.edited", key: naturalKeys.edited(key, "e1"), messageKey: key, at: new Date("2026-11-26T12:00:00Z"), place: place(), author: bob, text: "FREE NITRO for everyone, claim now at https://dlscord-gift.com/claim" });

    const item = await te.db.kysely.selectFrom("mod_items").selectAll().executeTakeFirstOrThrow();
    expect(item.status).toBe("open");
    expect(item.excerpt).toContain("FREE NITRO");
    const cards = await te.db.kysely.selectFrom("outbox").select(["operation", "reply"]).orderBy("id").execute();
    const last = JSON.parse(cards.at(-1)!.reply!);
    expect(last.buttons?.map((b: { id: string }) => b.id)).toEqual(["mod:approve:1", "mod:remove:1", "mod:penalise:1"]);
    expect(plainText(last.text)).toContain("Edited by the author after it was flagged");
    const queue = await te.engine.command(command({ name: "mod", subcommand: "queue", by: ada }));
    expect(plainText(queue.text)).toContain("#1");

    const removed = await te.engine.command(command({ name: "mod", subcommand: "remove", by: ada, options: { id: 1 } }));
    expect(plainText(removed.text)).toContain("Removed review #1");
    const audit = await te.db.kysely.selectFrom("mod_audit").select("action").orderBy("seq").execute();
    expect(audit.map((a) => a.action)).toEqual(["flag", "approve", "flag", "remove"]);
  });
});
