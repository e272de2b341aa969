/**
 * Builders for the payloads Slack sends to apps, so tests read as intent
 * ("alice reacted :tada: to bob's message") rather than 40 lines of JSON.
 *
 * Shapes follow Slack's reference examples and Bolt's own payload types (the
 * return types below are Bolt's, so a drift is a compile error). Sources are
 * listed in README.md. Builders are bound to one fake workspace: ids, the
 * verification token and `response_url`s come from it.
 */
import type { BlockAction, ButtonAction, EnvelopedEvent, MessageShortcut, SlashCommand, ViewStateValue, ViewSubmitAction, types } from '@slack/bolt';
import type { FakeSlackConfig } from './config.js';
import { channelTypeOf, slackId, triggerId, uuid } from './ids.js';
import { richTextBlock } from './rich-text.js';

export interface PayloadContext {
  config: FakeSlackConfig;
  nextTs: () => string;
  /** A fresh URL on the fake's response_url sink. */
  responseUrl: () => string;
  /** The handle Slack would show for a user id (workspace table, else derived from the id). */
  userName: (userId: string) => string;
}

export interface MessageInput {
  channel: string;
  /** Author. For app/bot messages pass the bot's user id together with `botId`. */
  user?: string;
  text: string;
  ts?: string;
  /** Makes this a thread reply to the message with this ts. */
  threadTs?: string;
  /** Author of the thread's parent; Slack sends it on replies. */
  parentUserId?: string;
  team?: string;
  /** Marks the message as posted by an app/bot (Slack adds `bot_id`). */
  botId?: string;
  /**
   * Classic bots and incoming webhooks post with `subtype: 'bot_message'` and
   * often no `user`; modern apps post without a subtype but with `bot_id`.
   */
  classicBot?: boolean;
}

export interface MessageChangedInput {
  channel: string;
  /** Author (and editor) of the message. */
  user: string;
  /** ts of the edited message (it keeps its ts; the edit gets a new `event_ts`). */
  ts: string;
  text: string;
  previousText: string;
  editTs?: string;
  team?: string;
  threadTs?: string;
}

export interface MessageDeletedInput {
  channel: string;
  user: string;
  /** ts of the deleted message; Slack sends it as `deleted_ts`. */
  ts: string;
  previousText: string;
  deleteTs?: string;
  team?: string;
}

export interface AppMentionInput {
  channel: string;
  user: string;
  text: string;
  ts?: string;
  threadTs?: string;
  team?: string;
}

/** A modern app's message also carries `app_id`, which Bolt's type does not list. */
export type UserMessageEvent = types.GenericMessageEvent & { app_id?: string };
export type MessageEventPayload = UserMessageEvent | types.BotMessageEvent;

/** The message objects nested in `message_changed` / `message_deleted`: no `channel`, no `event_ts`. */
export interface NestedMessage {
  type: 'message';
  user: string;
  text: string;
  ts: string;
  team: string;
  client_msg_id: string;
  blocks: types.RichTextBlock[];
  thread_ts?: string;
  edited?: { user: string; ts: string };
  source_team?: string;
  user_team?: string;
}

export type MessageChangedPayload = Omit<types.MessageChangedEvent, 'message' | 'previous_message'> & {
  message: NestedMessage;
  previous_message: NestedMessage;
};

export type MessageDeletedPayload = Omit<types.MessageDeletedEvent, 'previous_message'> & {
  previous_message: NestedMessage;
};

/** Slack omits `item_user` when the message had no human author (webhooks). */
export type ReactionPayload<T extends types.ReactionAddedEvent | types.ReactionRemovedEvent> = Omit<T, 'item_user'> & {
  item_user?: string;
};

export interface ReactionInput {
  user: string;
  /** Emoji name without colons, e.g. `tada` or `+1`. */
  reaction: string;
  /** Author of the message reacted to; omit for webhook/bot messages without one. */
  itemUser?: string;
  channel: string;
  /** ts of the message reacted to. */
  ts: string;
  eventTs?: string;
}

export interface SlashCommandInput {
  command: string;
  text?: string;
  user: string;
  channel: string;
  channelName?: string;
  team?: string;
  /** Defaults to a fresh URL on the fake's response_url sink. */
  responseUrl?: string;
}

/** A message shortcut ("More actions → …") used by `user` on a message. */
export interface MessageActionInput {
  /** The shortcut's callback_id, as the manifest declares it. */
  callbackId: string;
  /** Who used the shortcut. */
  user: string;
  channel: string;
  channelName?: string;
  /** ts of the message it was used on. */
  messageTs: string;
  /**
   * The message's author. Omit it for a message no member wrote: Slack then sends no `user` (a
   * classic bot or webhook, `subtype: 'bot_message'`, with `botId`).
   */
  messageUser?: string;
  messageText?: string;
  /** Marks the message as an app's or bot's (`bot_id`); modern apps send it with their bot `user`. */
  botId?: string;
  /** The thread the message is in (a reply's parent ts). */
  threadTs?: string;
  team?: string;
}

export interface BlockActionsInput {
  actionId: string;
  value?: string;
  user: string;
  channel: string;
  channelName?: string;
  /** ts of the message holding the button. */
  messageTs: string;
  team?: string;
  blockId?: string;
  buttonText?: string;
  /** The clicked message as Slack echoes it back; defaults to a bot message with `messageText`. */
  messageText?: string;
  messageBlocks?: unknown[];
}

/** Either a plain string (a plain_text_input's value) or a full Slack state value. */
export type ViewValueInput = string | ViewStateValue;

export interface ViewSubmissionInput {
  callbackId: string;
  /** block_id -> action_id -> value. */
  values?: Record<string, Record<string, ViewValueInput>>;
  user: string;
  team?: string;
  privateMetadata?: string;
  viewId?: string;
  title?: string;
  blocks?: unknown[];
}

export interface EventCallbackOptions {
  eventId?: string;
  teamId?: string;
  eventTime?: number;
}

export function createPayloadBuilders(ctx: PayloadContext) {
  const { config } = ctx;
  const teamOf = (team: string | undefined): string => team ?? config.team.id;

  function nested(user: string, text: string, ts: string, team: string): NestedMessage {
    return { type: 'message', user, text, ts, team, client_msg_id: uuid(), blocks: [richTextBlock(text)] };
  }

  function interactionUser(user: string, team: string): { id: string; username: string; name: string; team_id: string } {
    const name = ctx.userName(user);
    return { id: user, username: name, name, team_id: team };
  }

  return {
    /** A `message` event: a human message, a thread reply, or an app/bot message. */
    messageEvent(input: MessageInput): MessageEventPayload {
      const ts = input.ts ?? ctx.nextTs();
      const base = { type: 'message' as const, channel: input.channel, channel_type: channelTypeOf(input.channel), ts, event_ts: ts };
      if (input.classicBot === true) {
        const bot: types.BotMessageEvent = {
          ...base,
          subtype: 'bot_message',
          text: input.text,
          bot_id: input.botId ?? slackId('B'),
          ...(input.user !== undefined ? { user: input.user } : {}),
          ...(input.threadTs !== undefined ? { thread_ts: input.threadTs } : {}),
        };
        return bot;
      }
      if (input.user === undefined) throw new Error('messageEvent: `user` is required unless classicBot is set');
      const message: UserMessageEvent = {
        ...base,
        subtype: undefined,
        user: input.user,
        text: input.text,
        team: teamOf(input.team),
        blocks: [richTextBlock(input.text)],
      };
      if (input.botId === undefined) message.client_msg_id = uuid();
      else {
        message.bot_id = input.botId;
        message.app_id = input.botId === config.bot.botId ? config.appId : slackId('A');
      }
      if (input.threadTs !== undefined) {
        message.thread_ts = input.threadTs;
        if (input.parentUserId !== undefined) message.parent_user_id = input.parentUserId;
      }
      return message;
    },

    /** `message_changed`: `user` edited their message `ts` from `previousText` to `text`. */
    messageChanged(input: MessageChangedInput): MessageChangedPayload {
      const editTs = input.editTs ?? ctx.nextTs();
      const team = teamOf(input.team);
      const message: NestedMessage = {
        ...nested(input.user, input.text, input.ts, team),
        edited: { user: input.user, ts: editTs },
        source_team: team,
        user_team: team,
      };
      const previous = nested(input.user, input.previousText, input.ts, team);
      previous.client_msg_id = message.client_msg_id;
      if (input.threadTs !== undefined) {
        message.thread_ts = input.threadTs;
        previous.thread_ts = input.threadTs;
      }
      return {
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: input.channel,
        channel_type: channelTypeOf(input.channel),
        ts: editTs,
        event_ts: editTs,
        message,
        previous_message: previous,
      };
    },

    /** `message_deleted`: the message `ts` (by `user`, saying `previousText`) was deleted. */
    messageDeleted(input: MessageDeletedInput): MessageDeletedPayload {
      const deleteTs = input.deleteTs ?? ctx.nextTs();
      return {
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel: input.channel,
        channel_type: channelTypeOf(input.channel),
        ts: deleteTs,
        event_ts: deleteTs,
        deleted_ts: input.ts,
        previous_message: nested(input.user, input.previousText, input.ts, teamOf(input.team)),
      };
    },

    reactionAdded(input: ReactionInput): ReactionPayload<types.ReactionAddedEvent> {
      return { type: 'reaction_added', ...reactionFields(input, ctx) };
    },

    reactionRemoved(input: ReactionInput): ReactionPayload<types.ReactionRemovedEvent> {
      return { type: 'reaction_removed', ...reactionFields(input, ctx) };
    },

    /** `app_mention`; prefixes `<@bot>` to `text` unless it already mentions the bot. */
    appMention(input: AppMentionInput): types.AppMentionEvent {
      const ts = input.ts ?? ctx.nextTs();
      const mention = `<@${config.bot.userId}>`;
      const text = input.text.includes(mention) ? input.text : `${mention} ${input.text}`;
      const event: types.AppMentionEvent = {
        type: 'app_mention',
        client_msg_id: uuid(),
        text,
        user: input.user,
        ts,
        team: teamOf(input.team),
        blocks: [richTextBlock(text)],
        channel: input.channel,
        event_ts: ts,
      };
      if (input.threadTs !== undefined) event.thread_ts = input.threadTs;
      return event;
    },

    /** Wraps an event in the Events API envelope (the HTTP body / Socket Mode `payload`). */
    eventCallback<E>(event: E, opts: EventCallbackOptions = {}): EnvelopedEvent<E> {
      const teamId = opts.teamId ?? config.team.id;
      return {
        token: config.verificationToken,
        team_id: teamId,
        context_team_id: teamId,
        api_app_id: config.appId,
        event,
        type: 'event_callback',
        event_id: opts.eventId ?? slackId('Ev'),
        event_time: opts.eventTime ?? Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: teamId, user_id: config.bot.userId, is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
        event_context: `4-${slackId('', 24).toLowerCase()}`,
      };
    },

    /** Slash command fields (form-encoded over HTTP, the object itself over Socket Mode). */
    slashCommand(input: SlashCommandInput): SlashCommand {
      const team = teamOf(input.team);
      return {
        token: config.verificationToken,
        team_id: team,
        team_domain: config.team.domain,
        channel_id: input.channel,
        channel_name: input.channelName ?? (channelTypeOf(input.channel) === 'im' ? 'directmessage' : 'general'),
        user_id: input.user,
        user_name: ctx.userName(input.user),
        command: input.command,
        text: input.text ?? '',
        api_app_id: config.appId,
        is_enterprise_install: 'false',
        response_url: input.responseUrl ?? ctx.responseUrl(),
        trigger_id: triggerId(),
      };
    },

    /** A button click in a message (`block_actions`). */
    blockActions(input: BlockActionsInput): BlockAction<ButtonAction> {
      const team = teamOf(input.team);
      const blockId = input.blockId ?? slackId('', 5).toLowerCase();
      return {
        type: 'block_actions',
        user: interactionUser(input.user, team),
        api_app_id: config.appId,
        token: config.verificationToken,
        container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel, is_ephemeral: false },
        trigger_id: triggerId(),
        team: { id: team, domain: config.team.domain },
        is_enterprise_install: false,
        channel: { id: input.channel, name: input.channelName ?? 'general' },
        message: {
          type: 'message',
          user: config.bot.userId,
          bot_id: config.bot.botId,
          app_id: config.appId,
          text: input.messageText ?? '',
          ts: input.messageTs,
          team,
          blocks: input.messageBlocks ?? [],
        },
        state: { values: {} },
        response_url: ctx.responseUrl(),
        actions: [
          {
            type: 'button',
            action_id: input.actionId,
            block_id: blockId,
            text: { type: 'plain_text', text: input.buttonText ?? input.actionId, emoji: true },
            ...(input.value !== undefined ? { value: input.value } : {}),
            action_ts: ctx.nextTs(),
          },
        ],
      };
    },

    /**
     * A message shortcut (`message_action`): the used-on message is nested with its author (`user`,
     * absent for a bot's or webhook's message), text, ts and blocks, as Slack sends it; delivered
     * as an `interactive` envelope or a form-encoded `payload`.
     */
    messageAction(input: MessageActionInput): MessageShortcut {
      const team = teamOf(input.team);
      const text = input.messageText ?? '';
      const message: MessageShortcut['message'] = { type: 'message', text, ts: input.messageTs, team, blocks: [richTextBlock(text)] };
      if (input.messageUser !== undefined) message.user = input.messageUser;
      if (input.botId !== undefined) {
        message.bot_id = input.botId;
        if (input.messageUser === undefined) message.subtype = 'bot_message';
      } else message.client_msg_id = uuid();
      if (input.threadTs !== undefined) message.thread_ts = input.threadTs;
      return {
        type: 'message_action',
        token: config.verificationToken,
        action_ts: ctx.nextTs(),
        team: { id: team, domain: config.team.domain },
        user: interactionUser(input.user, team),
        channel: { id: input.channel, name: input.channelName ?? 'general' },
        is_enterprise_install: false,
        callback_id: input.callbackId,
        trigger_id: triggerId(),
        message_ts: input.messageTs,
        message,
        response_url: ctx.responseUrl(),
      };
    },

    /** A modal submitted by `user` (`view_submission`). */
    viewSubmission(input: ViewSubmissionInput): ViewSubmitAction {
      const team = teamOf(input.team);
      const viewId = input.viewId ?? slackId('V');
      return {
        type: 'view_submission',
        team: { id: team, domain: config.team.domain },
        user: interactionUser(input.user, team),
        api_app_id: config.appId,
        token: config.verificationToken,
        trigger_id: triggerId(),
        view: {
          id: viewId,
          team_id: team,
          type: 'modal',
          blocks: (input.blocks ?? []) as ViewSubmitAction['view']['blocks'],
          private_metadata: input.privateMetadata ?? '',
          callback_id: input.callbackId,
          state: { values: toStateValues(input.values ?? {}) },
          hash: `${Math.floor(Date.now() / 1000)}.${slackId('', 8).toLowerCase()}`,
          title: { type: 'plain_text', text: input.title ?? 'Modal', emoji: true },
          clear_on_close: false,
          notify_on_close: false,
          close: { type: 'plain_text', text: 'Cancel', emoji: true },
          submit: { type: 'plain_text', text: 'Submit', emoji: true },
          previous_view_id: null,
          root_view_id: viewId,
          app_id: config.appId,
          external_id: '',
          app_installed_team_id: team,
          bot_id: config.bot.botId,
        },
        response_urls: [],
        is_enterprise_install: false,
      };
    },
  };
}

export type PayloadBuilders = ReturnType<typeof createPayloadBuilders>;

function reactionFields(input: ReactionInput, ctx: PayloadContext) {
  return {
    user: input.user,
    reaction: input.reaction,
    ...(input.itemUser !== undefined ? { item_user: input.itemUser } : {}),
    item: { type: 'message' as const, channel: input.channel, ts: input.ts },
    event_ts: input.eventTs ?? ctx.nextTs(),
  };
}

function toStateValues(values: Record<string, Record<string, ViewValueInput>>): Record<string, Record<string, ViewStateValue>> {
  const out: Record<string, Record<string, ViewStateValue>> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const block: Record<string, ViewStateValue> = {};
    for (const [actionId, value] of Object.entries(actions)) {
      block[actionId] = typeof value === 'string' ? { type: 'plain_text_input', value } : value;
    }
    out[blockId] = block;
  }
  return out;
}
