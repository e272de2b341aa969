import { type MessageActionInvoked, type MessageCreated, naturalKeys, type ReactionChanged } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import type { TestEngine } from "../../helpers/engine.js";
import { GUILD, member } from "../economy/bounties-harness.js";

export { ada, bob, cat, configure, earn, GUILD, linkTo, mod, robot, text, thread, bounty, bountyRows, balanceOf } from "../economy/bounties-harness.js";
export { RecordingOutbox, settle } from "../talks/harness.js";
export { member };

/** Builders for one Discord-like guild: a question starts a thread (its id), replies are in it. */
const at = (t: TestEngine) => t.clock.now();

export function question(t: TestEngine, id: string, by: Actor, body = `question ${id}`): MessageCreated {
  const key = naturalKeys.discordMessage(id);
  return { kind: "message.created", key, messageKey: key, at: at(t), place: { platform: "discord", workspaceId: GUILD, channelId: "general" }, author: by, text: body, mentions: [] };
}

export function reply(t: TestEngine, id: string, threadId: string, by: Actor, body = `answer ${id}`): MessageCreated {
  const key = naturalKeys.discordMessage(id);
  return { kind: "message.created", key, messageKey: key, at: at(t), place: { platform: "discord", workspaceId: GUILD, channelId: "general", threadId }, author: by, text: body, mentions: [], threadParentKey: naturalKeys.discordMessage(threadId) };
}

export function check(t: TestEngine, o: { message: string; threadId: string; by: Actor; added?: boolean; emoji?: string; at?: Date }): ReactionChanged {
  const emoji = o.emoji ?? "✅";
  return {
    kind: o.added === false ? "reaction.removed" : "reaction.added",
    key: naturalKeys.discordReaction(o.message, o.by.userId, emoji),
    messageKey: naturalKeys.discordMessage(o.message),
    at: o.at ?? at(t),
    place: { platform: "discord", workspaceId: GUILD, channelId: "general", threadId: o.threadId },
    actor: o.by,
    emoji,
  };
}

let n = 0;
export function markAction(t: TestEngine, o: { message: string; threadId: string; by: Actor; author: Actor; text?: string; id?: string }): MessageActionInvoked {
  const place = { platform: "discord" as const, workspaceId: GUILD, channelId: "general", threadId: o.threadId };
  return {
    kind: "message.action",
    key: naturalKeys.discordInteraction(o.id ?? `ma${++n}`),
    at: at(t),
    place,
    actor: o.by,
    action: "mark-solution",
    target: { messageKey: naturalKeys.discordMessage(o.message), author: { id: o.author.id, displayName: o.author.displayName, isBot: o.author.isBot }, text: o.text ?? `answer ${o.message}`, place },
  };
}

export function solvedCommand(t: TestEngine, o: { by: Actor; threadId?: string; options?: Record<string, unknown>; id?: string }) {
  return t.engine.command({
    kind: "command",
    key: naturalKeys.discordInteraction(o.id ?? `sc${++n}`),
    at: at(t),
    place: { platform: "discord", workspaceId: GUILD, channelId: "general", ...(o.threadId ? { threadId: o.threadId } : {}) },
    actor: o.by,
    name: "solved",
    options: o.options ?? {},
  });
}

/** Sum of solution ledger rows per member (awards and reversals). */
export async function solutionPoints(t: TestEngine): Promise<Record<string, number>> {
  const rows = await t.db.kysely.selectFrom("ledger").select(["member_id", "amount"]).where("reason", "like", "knowledge:%").execute();
  const sums: Record<string, number> = {};
  for (const r of rows) sums[r.member_id] = (sums[r.member_id] ?? 0) + r.amount;
  return Object.fromEntries(Object.entries(sums).filter(([, v]) => v !== 0));
}

/** All-time totals by member, without zeros. */
export async function allTotals(t: TestEngine): Promise<Record<string, number>> {
  const rows = await t.db.kysely.selectFrom("totals").select(["member_id", "points"]).where("period", "=", "all").execute();
  return Object.fromEntries(rows.filter((r) => r.points !== 0).map((r) => [r.member_id, r.points]));
}

export async function solvedRows(t: TestEngine) {
  return t.db.kysely.selectFrom("solved_questions").selectAll().execute();
}

/** The knowledge base's rows, without Postgres' generated search column (the index, not the entry). */
export async function kbRows(t: TestEngine) {
  const rows = await t.db.kysely.selectFrom("kb_entries").selectAll().execute();
  return rows.map(({ search: _index, ...row }: typeof rows[number] & { search?: unknown }) => row);
}
