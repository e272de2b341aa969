import { normalizeEmoji } from "../../core/emoji.js";
import { type MessageCreated, type MessageDeleted, type MessageEdited, naturalKeys, type ReactionChanged } from "../../core/events.js";
import type { Actor, MemberRef, Place } from "../../core/identity.js";
import type { AppMention, MessageEvent, ReactionEvent } from "./payloads.js";

/**
 * Slack events → neutral events. Keys come only from `naturalKeys`, so a message that arrives as
 * both `message` and `app_mention`, or twice because Slack retried, is the same message to the
 * engine. Returns undefined for what earns nothing and needs no record: bots, joins and other
 * system messages, DMs, reactions on files.
 */
export interface People {
  actor(team: string, userId: string): Promise<Actor>;
  mention(team: string, userId: string, nameInMarkup?: string): MemberRef;
}

export type ActivityEvent = MessageCreated | MessageEdited | MessageDeleted | ReactionChanged;

/** Subtypes that are a person writing something; every other subtype is Slack talking. */
const AUTHORED_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share", "me_message"]);

/** Slack's `ts` is the message's id and its time: seconds with microseconds. */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

function place(team: string, channel: string, threadTs?: string): Place {
  return { platform: "slack", workspaceId: team, channelId: channel, ...(threadTs ? { threadId: threadTs } : {}) };
}

const MENTION = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g;

/** Members mentioned as `<@U…>` (or `<@U…|name>`), once each. */
export function mentionsIn(text: string, team: string, people: People): MemberRef[] {
  const seen = new Map<string, MemberRef>();
  for (const m of text.matchAll(MENTION)) if (!seen.has(m[1]!)) seen.set(m[1]!, people.mention(team, m[1]!, m[2] || undefined));
  return [...seen.values()];
}

async function created(team: string, m: { channel: string; user: string; text: string; ts: string; thread_ts?: string | undefined; channel_type?: string | undefined }, people: People): Promise<MessageCreated> {
  const key = naturalKeys.slackMessage(team, m.channel, m.ts);
  // A thread's parent carries thread_ts equal to its own ts; only a reply has a different one.
  const parentTs = m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : undefined;
  return {
    kind: "message.created",
    key,
    messageKey: key,
    at: tsToDate(m.ts),
    place: place(team, m.channel, parentTs),
    author: await people.actor(team, m.user),
    text: m.text,
    mentions: mentionsIn(m.text, team, people),
    ...(parentTs ? { threadParentKey: naturalKeys.slackMessage(team, m.channel, parentTs) } : {}),
    // Slack says "channel" for a public channel, "group" for a private one, "mpim" for a group DM.
    ...(m.channel_type ? { restricted: m.channel_type !== "channel" } : {}),
  };
}

export async function fromMessage(team: string, e: MessageEvent, people: People): Promise<ActivityEvent | undefined> {
  if (e.channel_type === "im") return undefined;
  if (e.subtype === "message_deleted") {
    if (!e.deleted_ts) return undefined;
    const messageKey = naturalKeys.slackMessage(team, e.channel, e.deleted_ts);
    return { kind: "message.deleted", key: naturalKeys.deleted(messageKey), messageKey, at: tsToDate(e.ts), place: place(team, e.channel) };
  }
  if (e.subtype === "message_changed") {
    const m = e.message;
    if (!m?.user || m.bot_id) return undefined;
    const messageKey = naturalKeys.slackMessage(team, e.channel, m.ts);
    // The edit's own ts tells one edit from the next.
    return { kind: "message.edited", key: naturalKeys.edited(messageKey, e.ts), messageKey, at: tsToDate(e.ts), place: place(team, e.channel), author: await people.actor(team, m.user), text: m.text ?? "" };
  }
  if (!AUTHORED_SUBTYPES.has(e.subtype) || e.bot_id || !e.user) return undefined;
  return created(team, { channel: e.channel, user: e.user, text: e.text ?? "", ts: e.ts, thread_ts: e.thread_ts, channel_type: e.channel_type }, people);
}

/** An `app_mention` is the same message as its `message` event: same key, so one award. */
export async function fromAppMention(team: string, e: AppMention, people: People): Promise<MessageCreated | undefined> {
  if (e.bot_id) return undefined;
  return created(team, e, people);
}

export async function fromReaction(team: string, e: ReactionEvent, people: People): Promise<ReactionChanged | undefined> {
  if (e.item.type !== "message") return undefined;
  const emoji = normalizeEmoji(e.reaction);
  const author = e.item_user ? people.mention(team, e.item_user) : undefined;
  return {
    kind: e.type === "reaction_added" ? "reaction.added" : "reaction.removed",
    // Added and removed share one key; the emoji is normalised, so `+1::skin-tone-2` is 👍.
    key: naturalKeys.slackReaction(team, e.item.channel, e.item.ts, e.user, emoji),
    messageKey: naturalKeys.slackMessage(team, e.item.channel, e.item.ts),
    at: tsToDate(e.event_ts),
    place: place(team, e.item.channel),
    actor: await people.actor(team, e.user),
    emoji,
    ...(author ? { messageAuthor: author } : {}),
  };
}
