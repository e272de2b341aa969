import { naturalKeys, type CommandInvoked, type MessageCreated, type ReactionChanged } from "../../../src/core/events.js";
import type { Actor, Place } from "../../../src/core/identity.js";
import type { Reply } from "../../../src/core/reply.js";
import type { Dialect } from "../../../src/db/connect.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, member, place as discordPlace } from "../../helpers/events.js";

/**
 * One community spanning a Discord server (`g1`, from test/helpers/events.ts) and a Slack team
 * (`T1`, joined with `/config link` + `/config join`), and builders for both platforms' events.
 */
export const TEAM = "T1";
export const slackPlace: Place = { platform: "slack", workspaceId: TEAM, channelId: "C1" };

export function slackMember(user: string, extra: Partial<Actor> = {}): Actor {
  return { id: `slack:${TEAM}:${user}`, platform: "slack", workspaceId: TEAM, userId: user, displayName: user.toLowerCase(), isBot: false, ...extra };
}

export function slackMessage(o: { ts: string; by: Actor; at: string; text?: string }): MessageCreated {
  const key = naturalKeys.slackMessage(TEAM, slackPlace.channelId, o.ts);
  return { kind: "message.created", key, messageKey: key, at: new Date(o.at), place: slackPlace, author: o.by, text: o.text ?? `slack ${o.ts}`, mentions: [] };
}

export function slackReaction(o: { ts: string; by: Actor; at: string; author?: Actor; added?: boolean }): ReactionChanged {
  return {
    kind: o.added === false ? "reaction.removed" : "reaction.added",
    key: naturalKeys.slackReaction(TEAM, slackPlace.channelId, o.ts, o.by.userId, "👍"),
    messageKey: naturalKeys.slackMessage(TEAM, slackPlace.channelId, o.ts),
    at: new Date(o.at),
    place: slackPlace,
    actor: o.by,
    emoji: "👍",
    ...(o.author ? { messageAuthor: { id: o.author.id, displayName: o.author.displayName } } : {}),
  };
}

let counter = 0;
/** A command on either platform, by `by` (its platform decides the place and the key). */
export function commandBy(by: Actor, name: string, options: Record<string, unknown> = {}, subcommand?: string): CommandInvoked {
  const id = `p${++counter}`;
  const base = command({ name, by, options, id, ...(subcommand ? { subcommand } : {}) });
  if (by.platform !== "slack") return { ...base, place: discordPlace() };
  return { ...base, key: naturalKeys.slackCommand(TEAM, id), place: slackPlace };
}

export const discordOwner = member("olga", { isPlatformAdmin: true });
const slackAdmin = slackMember("UADMIN", { isPlatformAdmin: true });

/** A fresh engine whose Discord community has the Slack team joined to it. */
export async function twoPlatformEngine(dialect: Dialect | "sqlite-memory" = "sqlite", start?: string): Promise<TestEngine> {
  const t = await testEngine({ dialect, ...(start ? { start } : {}) });
  const reply = await t.engine.command(command({ name: "config", subcommand: "link", by: discordOwner }));
  const code = /`\/config join ([A-Z0-9-]+)`/.exec(reply.text)?.[1];
  if (!code) throw new Error(`no code in: ${reply.text}`);
  const joined = await t.engine.command(commandBy(slackAdmin, "config", { code }, "join"));
  if (joined.tone !== "success") throw new Error(`join failed: ${joined.text}`);
  return t;
}

/** The code in a `/link` answer. */
export function codeIn(reply: Reply): string {
  const code = /`\/link ([A-Z0-9-]+)`/.exec(reply.text)?.[1];
  if (!code) throw new Error(`no code in: ${reply.text}`);
  return code;
}

/** `/link` by `maker`, then `/link CODE` by `joiner`; returns the second answer. */
export async function link(t: TestEngine, maker: Actor, joiner: Actor): Promise<Reply> {
  const code = codeIn(await t.engine.command(commandBy(maker, "link")));
  return t.engine.command(commandBy(joiner, "link", { code }));
}
