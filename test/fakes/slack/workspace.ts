/**
 * The fake workspace's mutable state and how Slack renders it.
 *
 * Web API handlers read and write this; tests seed it (users with admin
 * flags, channels, usergroups) and inspect it (what is in a channel now).
 * Rendering follows the examples in Slack's method docs (see README.md).
 */
import type { FakeChannel, FakeSlackConfig, FakeUser } from './config.js';
import { TsClock, slackId } from './ids.js';
import type { Params } from './request-body.js';

/** A message as the fake stores it, in the shape Slack returns from chat.* methods. */
export interface StoredMessage {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  thread_ts?: string;
  blocks?: unknown;
  attachments?: unknown;
  edited?: { user: string; ts: string };
  /** chat.postMessage's `metadata` ({event_type, event_payload}), as conversations.history returns it. */
  metadata?: unknown;
  bot_profile?: Record<string, unknown>;
}

export interface StoredView {
  id: string;
  team_id: string;
  type: string;
  title: unknown;
  submit: unknown;
  close: unknown;
  blocks: unknown;
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, unknown> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
}

export class FakeWorkspace {
  readonly clock = new TsClock();
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly usergroups = new Map<string, string[]>();
  /** channel id -> (ts -> message). Insertion order is posting order. */
  readonly messages = new Map<string, Map<string, StoredMessage>>();
  readonly views = new Map<string, StoredView>();
  /** Members conversations.open refuses with `user_not_visible` (FakeSlack.hideFromBot). */
  readonly hiddenFromBot = new Set<string>();
  /**
   * chat.delete of a ts the fake never stored answers `message_not_found`, as Slack does. Off by
   * default: older tests delete messages the fake never saw.
   */
  strictDeletes = false;

  constructor(readonly config: FakeSlackConfig) {
    // The bot is a workspace member too: users.info on it must work, and code
    // often checks `is_bot` on the author of a message.
    this.users.set(config.bot.userId, {
      id: config.bot.userId,
      name: config.bot.name,
      realName: config.bot.name,
      isBot: true,
      botId: config.bot.botId,
    });
  }

  // ---- users -------------------------------------------------------------

  renderUser(user: FakeUser): Record<string, unknown> {
    const realName = user.realName ?? user.name ?? user.id;
    const displayName = user.displayName ?? '';
    const profile: Record<string, unknown> = {
      avatar_hash: 'g0000fake000',
      real_name: realName,
      real_name_normalized: realName,
      display_name: displayName,
      display_name_normalized: displayName,
      first_name: realName.split(' ')[0] ?? realName,
      last_name: realName.split(' ').slice(1).join(' '),
      team: this.config.team.id,
      image_24: `https://avatars.example.invalid/${user.id}_24.png`,
      image_48: `https://avatars.example.invalid/${user.id}_48.png`,
      image_72: `https://avatars.example.invalid/${user.id}_72.png`,
      image_192: `https://avatars.example.invalid/${user.id}_192.png`,
    };
    if (user.email !== undefined) profile.email = user.email;
    if (user.isBot === true) {
      profile.bot_id = user.botId;
      profile.api_app_id = user.id === this.config.bot.userId ? this.config.appId : '';
      profile.always_active = false;
    }
    return {
      id: user.id,
      team_id: this.config.team.id,
      name: user.name ?? user.id.toLowerCase(),
      deleted: user.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz: user.tz ?? 'Europe/Amsterdam',
      tz_label: 'Central European Time',
      tz_offset: 3600,
      profile,
      is_admin: user.isAdmin ?? false,
      is_owner: user.isOwner ?? false,
      is_primary_owner: user.isPrimaryOwner ?? false,
      is_restricted: user.isRestricted ?? false,
      is_ultra_restricted: false,
      is_bot: user.isBot ?? false,
      is_app_user: false,
      updated: 1_700_000_000,
      is_email_confirmed: user.isBot !== true,
      who_can_share_contact_card: 'EVERYONE',
    };
  }

  // ---- channels ----------------------------------------------------------

  renderChannel(channel: FakeChannel): Record<string, unknown> {
    const isPrivate = channel.isPrivate ?? false;
    const rendered: Record<string, unknown> = {
      id: channel.id,
      name: channel.name,
      is_channel: !isPrivate,
      is_group: isPrivate,
      is_im: false,
      is_mpim: false,
      is_private: isPrivate,
      created: 1_600_000_000,
      creator: this.config.bot.userId,
      is_archived: false,
      is_general: channel.name === 'general',
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      pending_shared: [],
      is_pending_ext_shared: false,
      is_member: channel.isMember ?? true,
      topic: { value: channel.topic ?? '', creator: '', last_set: 0 },
      purpose: { value: channel.purpose ?? '', creator: '', last_set: 0 },
      previous_names: [],
    };
    if (channel.numMembers !== undefined) rendered.num_members = channel.numMembers;
    return rendered;
  }

  // ---- messages ----------------------------------------------------------

  /** A message authored by our bot, as chat.postMessage returns it. */
  botMessage(ts: string, params: Params): StoredMessage {
    const message: StoredMessage = {
      type: 'message',
      ts,
      text: typeof params.text === 'string' ? params.text : '',
      user: this.config.bot.userId,
      bot_id: this.config.bot.botId,
      app_id: this.config.appId,
      team: this.config.team.id,
      bot_profile: {
        id: this.config.bot.botId,
        app_id: this.config.appId,
        name: this.config.bot.name,
        icons: { image_36: '', image_48: '', image_72: '' },
        deleted: false,
        updated: 1_700_000_000,
        team_id: this.config.team.id,
      },
    };
    if (typeof params.thread_ts === 'string') message.thread_ts = params.thread_ts;
    if (params.blocks !== undefined) message.blocks = params.blocks;
    if (params.attachments !== undefined) message.attachments = params.attachments;
    if (params.metadata !== undefined) message.metadata = params.metadata;
    return message;
  }

  storeMessage(channel: string, message: StoredMessage): void {
    let inChannel = this.messages.get(channel);
    if (inChannel === undefined) {
      inChannel = new Map();
      this.messages.set(channel, inChannel);
    }
    inChannel.set(message.ts, message);
  }

  channelMessages(channel: string): StoredMessage[] {
    return [...(this.messages.get(channel)?.values() ?? [])];
  }

  // ---- views -------------------------------------------------------------

  storeView(view: Record<string, unknown>, existing?: StoredView): StoredView {
    const id = existing?.id ?? slackId('V');
    const stored: StoredView = {
      id,
      team_id: this.config.team.id,
      type: typeof view.type === 'string' ? view.type : 'modal',
      title: view.title ?? null,
      submit: view.submit ?? null,
      close: view.close ?? null,
      blocks: view.blocks ?? [],
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      external_id: typeof view.external_id === 'string' ? view.external_id : '',
      state: { values: {} },
      // Slack changes the hash on every update; apps pass it back to avoid races.
      hash: `${Math.floor(Date.now() / 1000)}.${slackId('', 8).toLowerCase()}`,
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      root_view_id: existing?.root_view_id ?? id,
      previous_view_id: null,
      app_id: this.config.appId,
      bot_id: this.config.bot.botId,
    };
    this.views.set(id, stored);
    return stored;
  }
}
