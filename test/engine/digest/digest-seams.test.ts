/**
 * The digest's seams to the pictures renderers and the sponsors' rotation: when they are present,
 * the posted digest carries the top-10 picture and the shout-out, the job records the impression
 * in its own transaction (nextShoutOut) and /digest preview only peeks (previewShoutOut).
 */
import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { DigestService } from "../../../src/engine/digest/digest.service.js";
import type { DigestAttachment, DigestPictures, ShoutOutSource } from "../../../src/engine/digest/seams.js";
import { weeklyDigestJob } from "../../../src/engine/digest/weekly-digest.job.js";
import { communitiesFromDb, Scheduler } from "../../../src/jobs/index.js";
import { silentLog, testEngine, type TestEngine } from "../../helpers/engine.js";
import { configure } from "../talks/harness.js";
import { DIGEST_SLOT, fixedCommunity } from "./harness.js";

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const drawn: Parameters<DigestPictures["renderLeaderboard"]>[0][] = [];
const picture: DigestAttachment = { name: "digest-top-10.png", contentType: "image/png", data: "iVBORw0KGgo=", description: "The top 10 of the week" };
const pictures: DigestPictures = {
  renderLeaderboard: (input) => (drawn.push(input), picture),
  renderWeeklyChart: () => picture,
};

const calls: string[] = [];
const sponsors: ShoutOutSource = {
  async nextShoutOut(trx, _community, slot) {
    calls.push(`next ${slot.key} in a transaction: ${trx.isTransaction}`);
    return { name: "Acme <b>", url: "https://acme.test", tier: "gold", blurb: "Builds *things*" };
  },
  async previewShoutOut(_db, _community, slot) {
    calls.push(`preview ${slot.key}`);
    return { name: "Acme <b>", url: "https://acme.test", tier: "gold", blurb: "Builds *things*" };
  },
};

describe("digest seams", () => {
  it("GIVEN pictures and sponsors THEN the digest posts the top-10 picture and the shout-out, recording the impression in the job's transaction; the preview only peeks", async () => {
    t = await testEngine({ start: "2026-11-17T12:00:00Z" });
    await fixedCommunity(t);
    await configure(t, { "channels.announcements": "<#500>" });
    const digest = new DigestService({ db: t.db.kysely, clock: t.clock, log: silentLog, outbox: t.engine.outbox, shoutOuts: () => sponsors, pictures: () => pictures });
    const scheduler = new Scheduler({ db: t.db.kysely, clock: t.clock, log: silentLog, jobs: [weeklyDigestJob(digest)], communities: communitiesFromDb(t.db.kysely, silentLog) });
    t.clock.set(DIGEST_SLOT);

    const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
    const preview = await digest.preview(community);
    expect(preview.reply.attachments).toEqual([picture]);
    expect(calls).toEqual([`preview digest:${community.id}:2026-W48`]);

    await scheduler.tick();
    expect(calls).toEqual([`preview digest:${community.id}:2026-W48`, `next digest:${community.id}:2026-W48 in a transaction: true`]);
    const row = await t.db.kysely.selectFrom("outbox").select("reply").where("dedupe_key", "like", "digest:%").executeTakeFirstOrThrow();
    const reply = JSON.parse(row.reply!) as { text: string; attachments?: DigestAttachment[] };
    expect(reply.attachments).toEqual([picture]);
    expect(plainText(reply.text)).toContain("Thanks to our sponsor:\nAcme <b> — Builds *things* https://acme.test");
    expect(drawn.at(-1)).toEqual({
      title: "Top 10",
      subtitle: "week 48 of 2026 (23 Nov – 29 Nov)",
      rows: [
        { rank: 1, name: "ada", points: 27, level: 0 },
        { rank: 2, name: "bob", points: 10, level: 0 },
        { rank: 3, name: "carol", points: 5, level: 0 },
      ],
    });
  });

  it("GIVEN a renderer that throws THEN the digest is posted without its picture", async () => {
    t = await testEngine({ start: "2026-11-17T12:00:00Z" });
    await fixedCommunity(t);
    await configure(t, { "channels.announcements": "<#500>" });
    const broken: DigestPictures = { renderLeaderboard: () => { throw new Error("no font"); }, renderWeeklyChart: () => picture };
    const digest = new DigestService({ db: t.db.kysely, clock: t.clock, log: silentLog, outbox: t.engine.outbox, shoutOuts: () => undefined, pictures: () => broken });
    const scheduler = new Scheduler({ db: t.db.kysely, clock: t.clock, log: silentLog, jobs: [weeklyDigestJob(digest)], communities: communitiesFromDb(t.db.kysely, silentLog) });
    t.clock.set(DIGEST_SLOT);
    await scheduler.tick();
    const row = await t.db.kysely.selectFrom("outbox").select("reply").where("dedupe_key", "like", "digest:%").executeTakeFirstOrThrow();
    const reply = JSON.parse(row.reply!) as { text: string; attachments?: unknown[] };
    expect(reply.attachments).toBeUndefined();
    expect(plainText(reply.text)).toContain("1. @ada — 27 points (level 0)");
  });
});
