/**
 * The Web API methods the fake answers, one small handler each.
 *
 * Response shapes follow the examples in Slack's method reference (see
 * README.md for sources). Errors use Slack's error strings with HTTP 200 and
 * `ok: false`, because that is what @slack/web-api turns into a
 * `slack_webapi_platform_error` — the same code path the app hits in prod.
 */
import type { FakeSlackConfig } from './config.js';
import { slackId } from './ids.js';
import { isRecord, stringParam, type Params } from './request-body.js';
import type { FakeWorkspace, StoredMessage } from './workspace.js';

export interface WebApiCall {
  method: string;
  /** From `Authorization: Bearer ...`, or the `token` param as Slack also allows. */
  token: string | undefined;
  params: Params;
  contentType: string;
  at: number;
}

export type WebApiBody = { ok: boolean } & Record<string, unknown>;

export type MethodHandler = (call: WebApiCall, workspace: FakeWorkspace) => WebApiBody;

export function fail(error: string, extra: Record<string, unknown> = {}): WebApiBody {
  return { ok: false, error, ...extra };
}

/**
 * Token rules from Slack's auth errors: no token -> `not_authed`, unknown ->
 * `invalid_auth`, app-level token on a non-app-level method ->
 * `not_allowed_token_type` (and the reverse for apps.connections.open).
 */
export function checkToken(method: string, token: string | undefined, config: FakeSlackConfig): string | undefined {
  if (!config.strictTokens) return undefined;
  if (token === undefined || token === '') return 'not_authed';
  const known = [config.bot.token, config.appToken, ...config.extraTokens];
  if (!known.includes(token)) return 'invalid_auth';
  const isAppToken = token.startsWith('xapp-');
  const needsAppToken = method.startsWith('apps.connections.');
  if (isAppToken !== needsAppToken) return 'not_allowed_token_type';
  return undefined;
}

/**
 * A required string argument, or the error Slack gives when it is missing.
 * Slack mostly reports a missing id as "not found" (`channel_not_found`,
 * `user_not_found`...), so callers pass that error; `invalid_arguments` otherwise.
 */
function requireString(params: Params, key: string, errorIfMissing = 'invalid_arguments'): string | WebApiBody {
  const value = stringParam(params, key);
  return value !== undefined && value !== '' ? value : fail(errorIfMissing);
}

function hasContent(params: Params): boolean {
  return (
    (typeof params.text === 'string' && params.text !== '') ||
    Array.isArray(params.blocks) ||
    Array.isArray(params.attachments)
  );
}

/**
 * The modal limits Slack enforces on views.open / views.update (docs.slack.dev/reference/views/
 * modal-views): a title, submit and close of at most 24 characters, at most 100 blocks. Slack
 * answers `invalid_arguments` with the reasons in `response_metadata.messages`.
 */
function checkModal(view: Record<string, unknown>): WebApiBody | undefined {
  const messages: string[] = [];
  for (const key of ['title', 'submit', 'close']) {
    const text = isRecord(view[key]) ? (view[key] as Record<string, unknown>).text : undefined;
    if (typeof text === 'string' && [...text].length > 24) messages.push(`[ERROR] must be less than 25 characters [json-pointer:/view/${key}/text]`);
  }
  if (Array.isArray(view.blocks) && view.blocks.length > 100) messages.push('[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]');
  return messages.length ? fail('invalid_arguments', { response_metadata: { messages } }) : undefined;
}

export interface MethodDeps {
  /** Mints a one-time Socket Mode URL (registers its ticket with the socket server). */
  openSocketUrl: () => string;
}

export function createDefaultMethods(deps: MethodDeps): Record<string, MethodHandler> {
  return {
    'auth.test': (_call, ws) => ({
      ok: true,
      url: `https://${ws.config.team.domain}.slack.com/`,
      team: ws.config.team.name,
      user: ws.config.bot.name,
      team_id: ws.config.team.id,
      user_id: ws.config.bot.userId,
      bot_id: ws.config.bot.botId,
      is_enterprise_install: false,
    }),

    'apps.connections.open': () => ({ ok: true, url: deps.openSocketUrl() }),

    'chat.postMessage': (call, ws) => {
      const channel = requireString(call.params, 'channel', 'channel_not_found');
      if (typeof channel !== 'string') return channel;
      if (!hasContent(call.params)) return fail('no_text');
      const message = ws.botMessage(ws.clock.next(), call.params);
      ws.storeMessage(channel, message);
      return { ok: true, channel, ts: message.ts, message };
    },

    'chat.postEphemeral': (call, ws) => {
      const channel = requireString(call.params, 'channel', 'channel_not_found');
      if (typeof channel !== 'string') return channel;
      const user = requireString(call.params, 'user', 'user_not_found');
      if (typeof user !== 'string') return user;
      if (!hasContent(call.params)) return fail('no_text');
      // Ephemeral messages are not stored: nobody else can ever see them.
      return { ok: true, message_ts: ws.clock.next() };
    },

    'chat.update': (call, ws) => {
      const channel = requireString(call.params, 'channel', 'channel_not_found');
      if (typeof channel !== 'string') return channel;
      const ts = requireString(call.params, 'ts', 'message_not_found');
      if (typeof ts !== 'string') return ts;
      // Lenient on purpose: tests often update a message the fake never saw
      // (e.g. the one a block_actions payload says was clicked).
      const previous = ws.messages.get(channel)?.get(ts);
      const updated: StoredMessage = {
        ...(previous ?? ws.botMessage(ts, {})),
        ...ws.botMessage(ts, call.params),
        edited: { user: ws.config.bot.userId, ts: ws.clock.next() },
      };
      if (previous?.thread_ts !== undefined) updated.thread_ts = previous.thread_ts;
      ws.storeMessage(channel, updated);
      const { bot_profile: _profile, ...message } = updated;
      return { ok: true, channel, ts, text: updated.text, message };
    },

    'chat.delete': (call, ws) => {
      const channel = requireString(call.params, 'channel', 'channel_not_found');
      if (typeof channel !== 'string') return channel;
      const ts = requireString(call.params, 'ts', 'message_not_found');
      if (typeof ts !== 'string') return ts;
      // A bot token deletes only the bot's own messages (chat.delete: `cant_delete_message`); a user
      // token from extraTokens may delete anything, as a workspace admin's would.
      const stored = ws.messages.get(channel)?.get(ts);
      if (stored === undefined && ws.strictDeletes) return fail('message_not_found');
      if (stored !== undefined && stored.bot_id !== ws.config.bot.botId && call.token === ws.config.bot.token) return fail('cant_delete_message');
      ws.messages.get(channel)?.delete(ts);
      return { ok: true, channel, ts };
    },

    'users.info': (call, ws) => {
      const id = requireString(call.params, 'user', 'user_not_found');
      if (typeof id !== 'string') return id;
      const user = ws.users.get(id);
      return user === undefined ? fail('user_not_found') : { ok: true, user: ws.renderUser(user) };
    },

    'usergroups.users.list': (call, ws) => {
      const id = requireString(call.params, 'usergroup', 'no_such_subteam');
      if (typeof id !== 'string') return id;
      const members = ws.usergroups.get(id);
      return members === undefined ? fail('no_such_subteam') : { ok: true, users: [...members] };
    },

    'conversations.info': (call, ws) => {
      const id = requireString(call.params, 'channel', 'channel_not_found');
      if (typeof id !== 'string') return id;
      const channel = ws.channels.get(id);
      return channel === undefined ? fail('channel_not_found') : { ok: true, channel: ws.renderChannel(channel) };
    },

    'views.open': (call, ws) => {
      const trigger = requireString(call.params, 'trigger_id');
      if (typeof trigger !== 'string') return trigger;
      const view = call.params.view;
      if (!isRecord(view)) return fail('invalid_arguments');
      return checkModal(view) ?? { ok: true, view: ws.storeView(view) };
    },

    'views.update': (call, ws) => {
      const view = call.params.view;
      if (!isRecord(view)) return fail('invalid_arguments');
      const viewId = stringParam(call.params, 'view_id');
      const externalId = stringParam(call.params, 'external_id');
      const existing =
        viewId !== undefined
          ? ws.views.get(viewId)
          : [...ws.views.values()].find((v) => externalId !== undefined && v.external_id === externalId);
      if (existing === undefined) return fail('not_found');
      const hash = stringParam(call.params, 'hash');
      if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
      return checkModal(view) ?? { ok: true, view: ws.storeView(view, existing) };
    },

    'views.publish': (call, ws) => {
      const user = requireString(call.params, 'user_id');
      if (typeof user !== 'string') return user;
      const view = call.params.view;
      if (!isRecord(view)) return fail('invalid_arguments');
      return { ok: true, view: ws.storeView({ ...view, type: 'home' }) };
    },

    'reactions.add': (call) => {
      const name = requireString(call.params, 'name', 'invalid_name');
      return typeof name === 'string' ? { ok: true } : name;
    },

    'conversations.open': (call, ws) => {
      const users = requireString(call.params, 'users', 'users_list_not_supplied');
      if (typeof users !== 'string') return users;
      // Slack hands back the same DM for the same user, so derive the id from it.
      const ids = users.split(',');
      // A deactivated member, or one the bot may not see (a guest, Slack Connect): what Slack answers.
      if (ids.some((id) => ws.users.get(id)?.deleted === true)) return fail('user_disabled');
      if (ids.some((id) => ws.hiddenFromBot.has(id))) return fail('user_not_visible');
      const id = ids.length === 1 ? `D${ids[0]?.slice(1) ?? ''}` : slackId('G');
      return { ok: true, channel: { id } };
    },
  };
}
