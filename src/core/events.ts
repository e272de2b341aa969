import type { Actor, MemberRef, Place } from "./identity.js";

/**
 * Platform-neutral events. Adapters build these from gateway dispatches or Slack events; the engine
 * never sees a platform payload.
 *
 * Every event carries `key`, its **natural key**: the same real-world thing always gets the same key
 * however many times, and by whichever route, the platform delivers it. Awards are keyed by it, so a
 * re-delivered event changes nothing. Build keys with {@link naturalKeys}; never use a delivery id
 * (Slack's `event_id`, a gateway sequence number) — Slack sends one message as a `message` and an
 * `app_mention` with different event ids.
 */
export type ChatEvent =
  | MessageCreated
  | MessageEdited
  | MessageDeleted
  | ReactionChanged
  | CommandInvoked
  | ButtonPressed
  | FormSubmitted
  | MessageActionInvoked
  | VoicePresenceChanged;

interface EventBase {
  /** Natural key of the event (see {@link naturalKeys}). */
  key: string;
  /** When it happened, by the platform's clock where it gives one (UTC). */
  at: Date;
  place: Place;
}

/** A new message; a thread reply when `threadParentKey` is set. */
export interface MessageCreated extends EventBase {
  kind: "message.created";
  /** Natural key of the message itself (equal to `key`). */
  messageKey: string;
  author: Actor;
  text: string;
  /** The message key of the thread's parent; present exactly when this message is a reply. */
  threadParentKey?: string;
  /** Members mentioned in the text, already resolved by the adapter. */
  mentions: MemberRef[];
  /**
   * True when the platform says not every member of the workspace can read the channel (a Discord
   * channel or thread @everyone can't view, a private thread; a Slack private channel or group DM).
   * Absent when the adapter can't tell. What is said there must not be shown elsewhere (the knowledge base).
   */
  restricted?: boolean;
}

/** A message's text changed; `key` names this edit, `messageKey` the message. */
export interface MessageEdited extends EventBase {
  kind: "message.edited";
  messageKey: string;
  author?: Actor;
  text: string;
}

/** A message was deleted (by its author, a moderator or the bot). */
export interface MessageDeleted extends EventBase {
  kind: "message.deleted";
  messageKey: string;
}

/** A reaction added or removed. Added and removed share the same `key`. */
export interface ReactionChanged extends EventBase {
  kind: "reaction.added" | "reaction.removed";
  messageKey: string;
  /** Who reacted. */
  actor: Actor;
  /** Normalised emoji (see `normalizeEmoji`): `👍` whether Slack said `+1` or Discord said `👍`. */
  emoji: string;
  /** The reacted message's author when the platform says (Slack's `item_user`); else looked up. */
  messageAuthor?: MemberRef;
}

/** A slash command with its typed, not-yet-validated options. */
export interface CommandInvoked extends EventBase {
  kind: "command";
  actor: Actor;
  name: string;
  subcommand?: string;
  /** Raw option values by option name: numbers, booleans, strings, {@link MemberRef}s, channel refs. */
  options: Record<string, unknown>;
}

/** A button on one of the bot's messages was pressed. */
export interface ButtonPressed extends EventBase {
  kind: "button";
  actor: Actor;
  /** The button id the engine gave it (`<command>:<action>[:<arg>]`). */
  buttonId: string;
  messageKey?: string;
}

/** A dialog the engine opened (a `Reply.form`) was submitted. */
export interface FormSubmitted extends EventBase {
  kind: "form";
  actor: Actor;
  /** The form id the engine gave it (`<command>:<action>[:<arg>]`). */
  formId: string;
  /** Text of each field, by field id. */
  values: Record<string, string>;
}

/** The message a message action was used on, as the platform described it. */
export interface MessageTarget {
  /** Natural key of the message. */
  messageKey: string;
  /** Its author, confirmed by the platform (never typed by a member). */
  author: MemberRef & { isBot?: boolean };
  text: string;
  place: Place;
}

/** A declared message action ("Thank the author") was used on a message: Discord's message menu, Slack's message shortcut. */
export interface MessageActionInvoked extends EventBase {
  kind: "message.action";
  actor: Actor;
  /** The declaration's id (Slack's callback_id). */
  action: string;
  target: MessageTarget;
}

/**
 * A member joined or left a voice or stage channel (`place`): Discord's voice states, translated by
 * the adapter. A move between channels is a left then a joined. Delivery may repeat: handlers treat a
 * join while already in the channel, or a leave while not in it, as nothing.
 */
export interface VoicePresenceChanged extends EventBase {
  kind: "voice.joined" | "voice.left";
  actor: Actor;
}

/** Events that ask the bot something and get a reply: commands, buttons, forms and message actions. */
export type Interaction = CommandInvoked | ButtonPressed | FormSubmitted | MessageActionInvoked;

/**
 * The one place natural keys are spelled, so adapters and the engine always agree.
 *
 * Discord snowflakes are unique across Discord, so a message id alone names a message; Slack's `ts`
 * is unique only within a channel, so Slack keys carry team and channel.
 */
export const naturalKeys = {
  discordMessage: (messageId: string) => `discord:msg:${messageId}`,
  discordReaction: (messageId: string, userId: string, emoji: string) => `discord:react:${messageId}:${userId}:${emoji}`,
  discordInteraction: (interactionId: string) => `discord:interaction:${interactionId}`,
  slackMessage: (teamId: string, channelId: string, ts: string) => `slack:${teamId}:${channelId}:${ts}`,
  slackReaction: (teamId: string, channelId: string, ts: string, userId: string, emoji: string) =>
    `slack:${teamId}:${channelId}:${ts}:react:${userId}:${emoji}`,
  slackCommand: (teamId: string, triggerId: string) => `slack:${teamId}:command:${triggerId}`,
  /** A button press or modal submission: every Slack interaction gets a fresh trigger id. */
  slackInteraction: (teamId: string, triggerId: string) => `slack:${teamId}:interaction:${triggerId}`,
  /** One voice join or leave: the member's voice session, the channel and when the adapter saw it. */
  discordVoice: (guildId: string, userId: string, channelId: string, sessionId: string, change: "joined" | "left", atMs: number) =>
    `discord:voice:${guildId}:${userId}:${channelId}:${sessionId}:${change}:${atMs}`,
  consoleMessage: (id: string) => `console:msg:${id}`,
  consoleReaction: (messageId: string, userId: string, emoji: string) => `console:react:${messageId}:${userId}:${emoji}`,
  consoleCommand: (id: string) => `console:command:${id}`,
  /** The deletion of a message happens once, whichever platform reports it. */
  deleted: (messageKey: string) => `${messageKey}:deleted`,
  /** One edit of a message, named by the platform's edit id (Slack's event ts, Discord's edited_timestamp). */
  edited: (messageKey: string, editId: string) => `${messageKey}:edited:${editId}`,
} as const;
