import { sql } from "kysely";
import { type ActivityEvent } from "../../../src/engine/capability.js";
import { naturalKeys } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import { plainText, type Reply } from "../../../src/core/reply.js";
import type { Dialect } from "../../../src/db/connect.js";
import type { TestEngine } from "../../helpers/engine.js";
import { command, member, message, place, reaction } from "../../helpers/events.js";
import { configure, RecordingOutbox, settle } from "../talks/harness.js";
import { link, slackMember, slackMessage, twoPlatformEngine } from "../people/world.js";

/**
 * One community on Discord (`g1`) and Slack (`T1`) where Ophelia — on both, linked — has done a bit
 * of everything the bot keeps: posts, thanks and reactions both ways, a flagged message (a
 * moderation excerpt), feedback, a code-review request, a tip, an accepted answer (a knowledge-base
 * entry). Her names and ids are spelled with letters that are not hex digits, so no pseudonym can
 * contain them by chance and a scan of every stored value can look for them.
 */
export const ophelia = member("ophelia", { displayName: "Ophelia" });
export const opheliaSlack = slackMember("UOPH", { displayName: "Ophelia on Slack" });
export const bob = member("bob");
export const FOUND = /ophelia|UOPH/i;

export interface World {
  t: TestEngine;
  outbox: RecordingOutbox;
  communityId: string;
  /** Every activity event the world was built from, in order: replayed later, same keys. */
  events: ActivityEvent[];
}

let n = 0;
const at = (t: TestEngine) => t.clock.advance(2 * 60_000);

export async function buildWorld(dialect: Dialect): Promise<World> {
  const t = await twoPlatformEngine(dialect);
  const outbox = new RecordingOutbox();
  t.engine.registerOutbox(outbox);
  const community = await t.engine.communities.resolve(place());
  const settings = structuredClone(community.settings);
  settings.channels.modQueue = "discord:g1:mods";
  settings.channels.feedback = "discord:g1:feedback";
  settings.channels.reviews = "discord:g1:reviews";
  await t.engine.communities.updateSettings(community, settings);
  await configure(t, { "moderation.bannedWords": "spamcoin" });
  const events: ActivityEvent[] = [];
  const ingest = async (e: ActivityEvent) => {
    events.push(e);
    await t.engine.ingest(e);
  };
  const cmd = async (by: Actor, name: string, subcommand: string | undefined, options: Record<string, unknown>): Promise<Reply> => {
    const reply = await t.engine.command({ ...command({ name, by, options, id: `w${++n}`, ...(subcommand ? { subcommand } : {}) }), at: t.clock.now() });
    if (reply.tone === "error") throw new Error(`/${name} ${subcommand ?? ""}: ${plainText(reply.text)}`);
    return reply;
  };

  await ingest(message({ id: "100", by: ophelia, at: at(t), text: "Hello everyone, I'm new here" }));
  await ingest(message({ id: "101", by: bob, at: at(t), text: "thanks @ophelia for joining!", mentions: [{ id: ophelia.id, displayName: "Ophelia" }] }));
  await ingest(reaction({ message: "100", by: bob, at: at(t) }));
  await ingest(reaction({ message: "101", by: ophelia, at: at(t) }));
  await ingest(message({ id: "102", by: ophelia, at: at(t), text: "buy spamcoin now, Ophelia says" }));
  // A question by bob, answered in its thread by Ophelia, solved by bob's ✅.
  await ingest(message({ id: "200", by: bob, at: at(t), text: "How do I pin a message in a thread?" }));
  await ingest(message({ id: "201", by: ophelia, at: at(t), thread: "200", text: "Right-click it and choose Pin, says Ophelia" }));
  await ingest(reaction({ message: "201", by: bob, at: at(t), emoji: "✅" }));
  at(t);
  await cmd(ophelia, "feedback", "send", { text: "Ophelia here: I love this server" });
  await cmd(ophelia, "review", "request", { link: "https://github.com/ophelia/site/pull/1", description: "Ophelia's first pull request" });
  await cmd(bob, "thanks", undefined, { member: { id: ophelia.id, displayName: "Ophelia" }, reason: "for the pin tip" });
  await cmd(ophelia, "tip", undefined, { member: { id: bob.id, displayName: "bob" }, amount: 5, reason: "thanks from Ophelia" });
  await link(t, ophelia, opheliaSlack);
  await ingest(slackMessage({ ts: "1700000000.000100", by: opheliaSlack, at: at(t).toISOString(), text: "Ophelia says hi from Slack" }));
  await settle(t);
  const communityId = (await t.engine.communities.resolve(place())).id;
  return { t, outbox, communityId, events };
}

/** `/forget-me` by `who`, then a press of its "Forget me" button; returns both replies. */
export async function forgetMe(t: TestEngine, who: Actor): Promise<{ asked: Reply; done: Reply }> {
  const asked = await t.engine.command({ ...command({ name: "forget-me", by: who, id: `fm${++n}` }), at: t.clock.now() });
  const confirm = asked.buttons?.find((b) => b.label === "Forget me");
  if (!confirm) throw new Error(`no confirmation: ${plainText(asked.text)}`);
  const done = await t.engine.press({ kind: "button", key: naturalKeys.discordInteraction(`fmp${++n}`), at: t.clock.now(), place: place(), actor: who, buttonId: confirm.id });
  return { asked, done };
}

/**
 * Every value stored in the database, as `table.column: value` — to look for a name or an id
 * anywhere. Full-text index internals are left out (they hold tokens of rows, kept in step by
 * triggers), and so is kysely's bookkeeping.
 */
export async function everyValue(t: TestEngine): Promise<string[]> {
  const db = t.db.kysely;
  const tables =
    t.db.dialect === "sqlite"
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name not like 'kb_fts%'`.execute(db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${t.schema} and table_name not like 'kysely_%'`.execute(db)).rows.map((r) => r.name);
  const values: string[] = [];
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    for (const row of rows) for (const [column, value] of Object.entries(row)) if (typeof value === "string") values.push(`${table}.${column}: ${value}`);
  }
  return values;
}

/** The values that give Ophelia away (by name or id). */
export async function traces(t: TestEngine): Promise<string[]> {
  return (await everyValue(t)).filter((v) => FOUND.test(v));
}
