import { naturalKeys } from "../../core/events.js";
import type { Place } from "../../core/identity.js";

/**
 * Between a message's natural key, its platform id, the link a moderator clicks, and the link a
 * member pastes into `/report`. The platform id is what the outbox needs to delete a member's message.
 */

/** The platform's own id of the message (Discord's snowflake, Slack's ts, the console's id). */
export function platformMessageId(messageKey: string): string | undefined {
  if (messageKey.startsWith("discord:msg:")) return messageKey.slice("discord:msg:".length);
  if (messageKey.startsWith("console:msg:")) return messageKey.slice("console:msg:".length);
  const slack = /^slack:[^:]+:[^:]+:(\d+\.\d+)$/.exec(messageKey);
  return slack?.[1];
}

/** A link that opens the message, where the platform has one. */
export function messageLink(messageKey: string, place: Place): string | undefined {
  const id = platformMessageId(messageKey);
  if (!id) return undefined;
  if (place.platform === "discord") return `https://discord.com/channels/${place.workspaceId}/${place.threadId ?? place.channelId}/${id}`;
  if (place.platform === "slack") {
    const thread = place.threadId ? `?thread_ts=${place.threadId}&cid=${place.channelId}` : "";
    return `https://slack.com/archives/${place.channelId}/p${id.replace(".", "")}${thread}`;
  }
  return undefined;
}

const DISCORD_LINK = /^<?https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/channels\/(\d{5,25})\/(\d{5,25})\/(\d{5,25})\/?>?$/;
const SLACK_LINK = /^<?https:\/\/[a-z0-9-]+\.(?:enterprise\.)?slack\.com\/archives\/([A-Z0-9]{5,20})\/p(\d{10})(\d{6})(?:\?[^\s>|]*)?(?:\|[^>]*)?>?$/;
const CONSOLE_REF = /^console:msg:([\w-]{1,64})$/;

/** A message link a member pasted, as the message it names (within the workspace `place`); undefined if it names none. */
export function parseMessageLink(text: string, place: Pick<Place, "platform" | "workspaceId">): { messageKey: string; place: Place } | undefined {
  const t = text.trim();
  const discord = DISCORD_LINK.exec(t);
  if (discord) return { messageKey: naturalKeys.discordMessage(discord[3]!), place: { platform: "discord", workspaceId: discord[1]!, channelId: discord[2]! } };
  const slack = SLACK_LINK.exec(t.replace(/^<|>$/g, "").replace(/&amp;/g, "&")) ?? SLACK_LINK.exec(t);
  if (slack && place.platform === "slack") {
    const ts = `${slack[2]}.${slack[3]}`;
    return { messageKey: naturalKeys.slackMessage(place.workspaceId, slack[1]!, ts), place: { platform: "slack", workspaceId: place.workspaceId, channelId: slack[1]! } };
  }
  const local = CONSOLE_REF.exec(t);
  if (local && place.platform === "console") return { messageKey: t, place: { platform: "console", workspaceId: place.workspaceId, channelId: "general" } };
  return undefined;
}
