import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { plainText } from "../../../src/core/reply.js";
import type { Settings } from "../../../src/engine/communities/settings.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { member, message } from "../../helpers/events.js";

const people = ["ana", "ben", "cy", "dee", "eli"].map((n) => member(n));

/** Ordinary developer chat: what the baseline learns from. */
const GOOD = [
  "How do I get vite to resolve path aliases from tsconfig?",
  "You need vite-tsconfig-paths, then add it to the plugins array.",
  "Thanks, that worked on the first try.",
  "Is anyone else seeing timeouts from the registry this morning?",
  "Yes, the status page says they are degraded in Europe.",
  "I moved the job to a worker thread and the event loop stopped lagging.",
  "Does kysely support returning on SQLite? The docs mention Postgres only.",
  "It does since 3.35, as long as the driver is recent enough.",
  "Here is the config I use, maybe it helps someone else.",
  "Good morning everyone, the meetup notes are in the wiki now.",
  "Can someone review my PR when they have a minute?",
  "Merged, thanks for the fix and the tests.",
];

async function flaggedKeys(te: TestEngine): Promise<string[]> {
  const rows = await te.db.kysely.selectFrom("mod_scores").select("message_key").where("flagged", "=", 1).orderBy("message_key").execute();
  return rows.map((r) => r.message_key);
}

async function stats(te: TestEngine) {
  return te.db.kysely.selectFrom("mod_stats").selectAll().executeTakeFirstOrThrow();
}

describe.each(dialects)("the adaptive threshold on %s", (dialect) => {
  let te: TestEngine;
  let at = 0;
  const post = (id: string, text: string, o: { by?: number; channel?: string; mentions?: number } = {}) =>
    te.engine.ingest(
      message({
        id,
        by: people[o.by ?? at % people.length]!,
        at: new Date(Date.parse("2026-11-26T09:00:00Z") + ++at * 61_000),
        text,
        ...(o.channel ? { channel: o.channel } : {}),
        ...(o.mentions ? { mentions: people.slice(0, o.mentions).map((p) => ({ id: p.id })) } : {}),
      }),
    );

  beforeEach(async () => {
    at = 0;
    te = await testEngine({ dialect });
    const community = await te.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    const settings: Settings = structuredClone(community.settings);
    settings.moderation.warmup = 12;
    settings.moderation.bannedWords = ["spamcoin"];
    settings.channels.modQueue = "discord:g1:mods";
    await te.engine.communities.updateSettings(community, settings);
  });
  afterEach(() => te.close());

  it("GIVEN a fixed stream THEN exactly the expected messages are flagged, and replaying it changes nothing", async () => {
    // Warm-up: the fixed threshold (q < 0.3) and the hard rules.
    for (const [i, text] of GOOD.slice(0, 10).entries()) await post(`w${i}`, text);
    await post("w-mash", "asdfghjkl");
    await post("w-banned", "everyone should buy sp4mc0in today");
    // After the warm-up (12 seen): z = (q − μ) / σ below −2.
    for (const [i, text] of GOOD.slice(10).entries()) await post(`g${i}`, text);
    await post("a-bump", "bump");
    await post("a-caps", "WHY DOES NOTHING IN THIS FRAMEWORK EVER WORK");
    await post("a-ok", "ok");
    await post("a-thanks", "thanks!");
    await post("a-code", "Try this:\n```ts\nexport default defineConfig({ plugins: [tsconfigPaths()] });\n```");
    await post("a-de", "Hallo zusammen, weiß jemand, wie man Vite dazu bringt, die Pfad-Aliase zu lesen?");
    await post("a-storm", "look at this everyone", { mentions: 5 });
    await post("a-invite", "discord.gg/freestuff");
    // "ok" and "thanks!" sit about one σ below the mean; five mentions in a line of chat, two.
    const expected = ["w-mash", "w-banned", "a-bump", "a-caps", "a-storm", "a-invite"].map(naturalKeys.discordMessage).sort();
    expect(await flaggedKeys(te)).toEqual(expected);
    const before = await stats(te);
    expect(before.seen).toBe(22);
    // Flagged scores stay out of μ and σ.
    expect(before.n).toBe(16);

    at = 0;
    for (const [i, text] of GOOD.slice(0, 10).entries()) await post(`w${i}`, text);
    await post("w-mash", "asdfghjkl");
    expect(await stats(te)).toEqual(before);
    expect(await flaggedKeys(te)).toEqual(expected);
    const cards = await te.db.kysely.selectFrom("outbox").select("dedupe_key").where("operation", "=", "post").execute();
    expect(cards).toHaveLength(6);
  });

  it("GIVEN the same question in three channels within ten minutes THEN the repeat is low quality, the third duplicate spam; ten minutes later neither", async () => {
    const text = "Is anyone around who knows how to configure nginx as a reverse proxy?";
    await post("d1", text, { by: 0, channel: "a" });
    await post("d2", text, { by: 0, channel: "b" });
    await post("d3", text, { by: 0, channel: "c" });
    at += 20;
    await post("d4", text, { by: 0, channel: "d" });
    expect(await flaggedKeys(te)).toEqual([naturalKeys.discordMessage("d2"), naturalKeys.discordMessage("d3")]);
    const reasons = await te.db.kysely.selectFrom("mod_items").select("reasons").orderBy("number").execute();
    expect(reasons.map((r) => JSON.parse(r.reasons))).toEqual([["low-quality"], ["duplicate-spam", "low-quality"]]);
  });

  it("GIVEN a flagged message edited THEN its card says so, once per edit; an edit only replaces its score in μ and σ", async () => {
    await post("e0", GOOD[0]!, { by: 1 });
    await post("e1", "asdfghjkl", { by: 1 });
    const edit = (n: number, text: string, messageId = "e1") =>
      te.engine.ingest({ kind: "message.edited", key: naturalKeys.edited(naturalKeys.discordMessage(messageId), String(n)), messageKey: naturalKeys.discordMessage(messageId), at: new Date(Date.parse("2026-11-26T10:00:00Z") + n * 1000), place: { platform: "discord", workspaceId: "g1", channelId: "general" }, author: people[1]!, text });
    await edit(1, "Sorry, cat on the keyboard: how do I pin a dependency version in pnpm?");
    await edit(1, "Sorry, cat on the keyboard: how do I pin a dependency version in pnpm?");
    const rows = await te.db.kysely.selectFrom("outbox").select(["operation", "reply"]).orderBy("id").execute();
    expect(rows.map((r) => r.operation)).toEqual(["post", "edit"]);
    expect(plainText(JSON.parse(rows[1]!.reply!).text)).toContain("Edited by the author after it was flagged");
    const s1 = await stats(te);
    await edit(2, GOOD[1]!, "e0");
    await edit(2, GOOD[1]!, "e0");
    const s2 = await stats(te);
    expect([s2.n, s2.seen]).toEqual([s1.n, s1.seen]);
    // An older edit arriving late changes nothing.
    await edit(0, "asdfghjkl", "e0");
    expect(await stats(te)).toEqual(s2);
  });
});
