/**
 * Proves the fake Slack is good enough to drive the REAL Bolt App, in HTTP
 * mode and in Socket Mode, on 127.0.0.1 with no internet. If one of these
 * fails after a Bolt upgrade, the fake (or README.md's notes) needs updating
 * before any e2e test built on it can be trusted.
 */
import { App, SocketModeReceiver, webApi, type AppOptions } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  boltEventsUrl,
  createQuietLogger,
  nowSeconds,
  postEvent,
  postInteraction,
  postSlashCommand,
  postUrlVerification,
  sign,
  signal,
  startFakeSlack,
  type FakeSlack,
  type RecordingLogger,
} from './index.js';

const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';
const GENERAL = 'C0GENERAL1';

let fake: FakeSlack;
let logger: RecordingLogger;
let app: App | undefined;

beforeEach(async () => {
  fake = await startFakeSlack({
    users: [
      { id: ALICE, name: 'alice', realName: 'Alice Admin', displayName: 'alice', isAdmin: true },
      { id: BOB, name: 'bob', realName: 'Bob Member', displayName: 'bobby' },
    ],
    channels: [{ id: GENERAL, name: 'general' }],
    usergroups: { S0MODS0001: [ALICE] },
  });
  logger = createQuietLogger();
});

afterEach(async () => {
  // Stop the app first: a Socket Mode client that loses the fake reconnects and fails loudly.
  try {
    await app?.stop();
  } finally {
    app = undefined;
    await fake.close();
  }
});

/** Starts a real Bolt App in HTTP mode against the fake and returns its events URL. */
async function startHttpApp(register: (app: App) => void, options: Partial<AppOptions> = {}): Promise<string> {
  const httpApp = new App({
    token: fake.config.bot.token,
    signingSecret: fake.config.signingSecret,
    clientOptions: fake.clientOptions(),
    logger,
    ...options,
  });
  register(httpApp);
  app = httpApp;
  return boltEventsUrl(await httpApp.start({ port: 0, host: '127.0.0.1' }));
}

/** Starts a real Bolt App in Socket Mode against the fake; resolves once Slack's `hello` arrived. */
async function startSocketApp(register: (app: App) => void): Promise<App> {
  const socketApp = new App({
    token: fake.config.bot.token,
    appToken: fake.config.appToken,
    socketMode: true,
    clientOptions: fake.clientOptions(),
    logger,
  });
  register(socketApp);
  app = socketApp;
  await socketApp.start();
  return socketApp;
}

describe('HTTP mode: Slack posts signed requests to the Bolt HTTP receiver', () => {
  const signed = (): { signingSecret: string } => ({ signingSecret: fake.config.signingSecret });

  it('GIVEN an app.message listener, WHEN Slack posts a correctly signed message event, THEN the listener gets the message and Slack gets a 200', async () => {
    const heard = signal<{ text: string | undefined; user: string | undefined }>('app.message');
    const url = await startHttpApp((a) =>
      a.message(async ({ message }) => {
        heard.resolve({ text: 'text' in message ? message.text : undefined, user: 'user' in message ? message.user : undefined });
      }),
    );

    const event = fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: 'hello guild' });
    const res = await postEvent(url, fake.payloads.eventCallback(event), signed());

    expect(res.status).toBe(200);
    expect(await heard.wait()).toEqual({ text: 'hello guild', user: ALICE });
  });

  it('GIVEN an app.event(reaction_added) listener, WHEN Slack posts a reaction, THEN the listener sees who reacted to which message', async () => {
    const heard = signal<{ reaction: string; user: string; itemUser: string | undefined; item: unknown }>('reaction_added');
    const url = await startHttpApp((a) =>
      a.event('reaction_added', async ({ event }) => {
        heard.resolve({ reaction: event.reaction, user: event.user, itemUser: event.item_user, item: event.item });
      }),
    );

    const reaction = fake.payloads.reactionAdded({ user: ALICE, reaction: 'tada', itemUser: BOB, channel: GENERAL, ts: '1700000000.000100' });
    await postEvent(url, fake.payloads.eventCallback(reaction), signed());

    expect(await heard.wait()).toEqual({
      reaction: 'tada',
      user: ALICE,
      itemUser: BOB,
      item: { type: 'message', channel: GENERAL, ts: '1700000000.000100' },
    });
  });

  it.each([
    ['a wrong signature', { badSignature: true }],
    ['no signature at all', { unsigned: true }],
    ['a timestamp six minutes old', { timestamp: nowSeconds() - 6 * 60 }],
  ])('GIVEN an event with %s, WHEN Slack posts it, THEN Bolt answers 401 and no listener runs', async (_label, tampering) => {
    let listenerRan = false;
    const url = await startHttpApp((a) =>
      a.message(async () => {
        listenerRan = true;
      }),
    );

    const event = fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: 'forged' });
    const res = await postEvent(url, fake.payloads.eventCallback(event), { ...signed(), ...tampering });

    expect(res.status).toBe(401);
    // Verification happens before dispatch, so once the 401 is back nothing can run any more.
    expect(listenerRan).toBe(false);
  });

  it('GIVEN Slack retries a delivery, WHEN it sends X-Slack-Retry-Num and -Reason, THEN the listener sees them as context.retryNum and retryReason', async () => {
    const heard = signal<{ retryNum: number | undefined; retryReason: string | undefined }>('retried event');
    const url = await startHttpApp((a) =>
      a.event('reaction_added', async ({ context }) => {
        heard.resolve({ retryNum: context.retryNum, retryReason: context.retryReason });
      }),
    );

    const reaction = fake.payloads.reactionAdded({ user: ALICE, reaction: '+1', itemUser: BOB, channel: GENERAL, ts: '1700000000.000200' });
    await postEvent(url, fake.payloads.eventCallback(reaction), { ...signed(), retryNum: 1, retryReason: 'http_timeout' });

    expect(await heard.wait()).toEqual({ retryNum: 1, retryReason: 'http_timeout' });
  });

  it('GIVEN a url_verification handshake, WHEN Slack posts it, THEN Bolt echoes the challenge', async () => {
    const url = await startHttpApp(() => undefined);

    const res = await postUrlVerification(url, 'challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', signed());

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('GIVEN processBeforeResponse, WHEN Slack posts an event, THEN the HTTP answer only comes after the listener finished its Web API calls', async () => {
    const url = await startHttpApp(
      (a) =>
        a.message(async ({ say }) => {
          await say('working on it');
        }),
      { processBeforeResponse: true },
    );

    const event = fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: 'ping' });
    const res = await postEvent(url, fake.payloads.eventCallback(event), signed());

    expect(res.status).toBe(200);
    // No waiting needed: with processBeforeResponse the listener is done before Slack hears back.
    expect(fake.calls('chat.postMessage').map((c) => c.params.text)).toEqual(['working on it']);
  });

  it("GIVEN messages from the app's own bot and from another bot, WHEN Slack posts them, THEN Bolt's ignoreSelf drops only the app's own", async () => {
    const heard: string[] = [];
    const url = await startHttpApp(
      (a) =>
        a.message(async ({ message }) => {
          heard.push('text' in message && typeof message.text === 'string' ? message.text : '?');
        }),
      // The HTTP answer then waits for dispatch to finish, so "not heard" needs no sleep.
      { processBeforeResponse: true },
    );
    const { userId, botId } = fake.config.bot;

    for (const event of [
      fake.payloads.messageEvent({ channel: GENERAL, user: userId, botId, text: 'own app message' }),
      fake.payloads.messageEvent({ channel: GENERAL, botId, classicBot: true, text: 'own classic bot message' }),
      fake.payloads.messageEvent({ channel: GENERAL, botId: 'B0OTHERBOT', classicBot: true, text: 'another bot says hi' }),
    ]) {
      expect((await postEvent(url, fake.payloads.eventCallback(event), signed())).status).toBe(200);
    }

    expect(heard).toEqual(['another bot says hi']);
  });

  it('GIVEN an app.command listener, WHEN Slack posts the slash command, THEN ack() content is the HTTP answer and respond() lands on the response_url', async () => {
    const url = await startHttpApp((a) =>
      a.command('/points', async ({ ack, respond, command }) => {
        await ack({ text: `Looking up points for ${command.text}…` });
        await respond({ text: `${command.text} has 42 points`, response_type: 'ephemeral' });
      }),
    );

    const command = fake.payloads.slashCommand({ command: '/points', text: '<@U0BOB00001|bob>', user: ALICE, channel: GENERAL });
    const res = await postSlashCommand(url, command, signed());
    const response = await fake.waitForResponse((r) => r.url === command.response_url);

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ text: 'Looking up points for <@U0BOB00001|bob>…' });
    expect(response.body).toEqual({ text: '<@U0BOB00001|bob> has 42 points', response_type: 'ephemeral' });
  });

  it('GIVEN an app.action listener, WHEN a user clicks the button, THEN the listener updates the message through chat.update with the bot token', async () => {
    const url = await startHttpApp((a) =>
      a.action('approve_talk', async ({ ack, body, client, action }) => {
        await ack();
        if (body.type !== 'block_actions' || body.channel === undefined || body.message === undefined) return;
        await client.chat.update({
          channel: body.channel.id,
          ts: body.message.ts,
          text: `Approved by <@${body.user.id}>`,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `value=${'value' in action ? String(action.value) : ''}` } }],
        });
      }),
    );

    const click = fake.payloads.blockActions({ actionId: 'approve_talk', value: 'talk-17', user: ALICE, channel: GENERAL, messageTs: '1700000000.000300' });
    const res = await postInteraction(url, click, signed());
    const update = await fake.waitForCall('chat.update');

    expect(res.status).toBe(200);
    expect(update.token).toBe(fake.config.bot.token);
    expect(update.params).toMatchObject({ channel: GENERAL, ts: '1700000000.000300', text: `Approved by <@${ALICE}>` });
    // blocks arrive as a JSON string inside the form body; the fake decodes them.
    expect(update.params.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'value=talk-17' } }]);
  });

  it('GIVEN an app.view listener, WHEN the modal is submitted, THEN the listener reads the values and its ack(errors) is the HTTP answer', async () => {
    const submitted = signal<{ title: string | null | undefined; metadata: string; user: string }>('view_submission');
    const url = await startHttpApp((a) =>
      a.view('propose_talk', async ({ ack, view, body }) => {
        submitted.resolve({ title: view.state.values.title_block?.title_input?.value, metadata: view.private_metadata, user: body.user.id });
        await ack({ response_action: 'errors', errors: { title_block: 'Title is too short' } });
      }),
    );

    const submission = fake.payloads.viewSubmission({
      callbackId: 'propose_talk',
      values: { title_block: { title_input: 'TS' } },
      user: BOB,
      privateMetadata: JSON.stringify({ channel: GENERAL }),
    });
    const res = await postInteraction(url, submission, signed());

    expect(await submitted.wait()).toEqual({ title: 'TS', metadata: `{"channel":"${GENERAL}"}`, user: BOB });
    expect(res.json).toEqual({ response_action: 'errors', errors: { title_block: 'Title is too short' } });
  });
});

describe('Socket Mode: the fake is the WebSocket that apps.connections.open points at', () => {
  it('GIVEN a Socket Mode app, WHEN it starts, THEN it opened a connection with the app-level token and got hello', async () => {
    await startSocketApp(() => undefined);

    const open = await fake.waitForCall('apps.connections.open');
    expect(open.token).toBe(fake.config.appToken);
    expect(open.response).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/) as unknown });
    expect(fake.openConnections).toBe(1);
    // Bolt verified the bot token on its own, against the fake, not the real Slack.
    expect((await fake.waitForCall('auth.test')).token).toBe(fake.config.bot.token);
  });

  it('GIVEN a connected app, WHEN an events_api envelope arrives, THEN it is acked with its envelope_id', async () => {
    await startSocketApp((a) => a.event('reaction_added', async () => undefined));

    const reaction = fake.payloads.reactionAdded({ user: ALICE, reaction: 'eyes', itemUser: BOB, channel: GENERAL, ts: '1700000000.000400' });
    const ack = await fake.sendEvent(reaction, { envelopeId: 'env-reaction-1' });

    expect(ack.envelopeId).toBe('env-reaction-1');
    expect(ack.payload).toEqual({});
  });

  it('GIVEN an app.message listener that says hi, WHEN a message envelope arrives, THEN say() becomes chat.postMessage with the bot token in that thread', async () => {
    await startSocketApp((a) =>
      a.message('hello', async ({ message, say }) => {
        await say({ text: 'hi there!', thread_ts: message.ts });
      }),
    );

    const message = fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: 'hello bot' });
    await fake.sendEvent(message);
    const post = await fake.waitForCall('chat.postMessage');

    expect(post.token).toBe(fake.config.bot.token);
    expect(post.params).toMatchObject({ channel: GENERAL, text: 'hi there!', thread_ts: message.ts });
    expect(post.response).toMatchObject({ ok: true, channel: GENERAL, message: { text: 'hi there!', bot_id: fake.config.bot.botId } });
    expect(fake.channelMessages(GENERAL).map((m) => m.text)).toEqual(['hi there!']);
  });

  it('GIVEN an app.message listener, WHEN a thread reply, an edit and a delete arrive, THEN it sees all three with their Slack subtypes', async () => {
    const seen: unknown[] = [];
    const allSeen = signal('three message events');
    await startSocketApp((a) =>
      a.message(async ({ message }) => {
        if (message.subtype === undefined) seen.push({ kind: 'reply', text: message.text, thread_ts: message.thread_ts });
        else if (message.subtype === 'message_changed') seen.push({ kind: 'edit', previous: message.previous_message, now: message.message });
        else if (message.subtype === 'message_deleted') seen.push({ kind: 'delete', deleted_ts: message.deleted_ts });
        if (seen.length === 3) allSeen.resolve();
      }),
    );
    const parent = '1700000000.000600';

    await fake.sendEvent(fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: 'me too', threadTs: parent, parentUserId: ALICE }));
    await fake.sendEvent(fake.payloads.messageChanged({ channel: GENERAL, user: ALICE, ts: parent, text: 'TypeScript meetup on Friday', previousText: 'TS meetup on Friday' }));
    await fake.sendEvent(fake.payloads.messageDeleted({ channel: GENERAL, user: ALICE, ts: parent, previousText: 'TypeScript meetup on Friday' }));
    await allSeen.wait();

    // Bolt dispatches envelopes concurrently, so the arrival order is not part of the contract.
    expect(seen).toHaveLength(3);
    expect(seen).toEqual(expect.arrayContaining([
      { kind: 'reply', text: 'me too', thread_ts: parent },
      {
        kind: 'edit',
        previous: expect.objectContaining({ text: 'TS meetup on Friday', ts: parent, user: ALICE }) as unknown,
        now: expect.objectContaining({ text: 'TypeScript meetup on Friday', ts: parent, edited: expect.objectContaining({ user: ALICE }) as unknown }) as unknown,
      },
      { kind: 'delete', deleted_ts: parent },
    ]));
  });

  it('GIVEN an app.command listener, WHEN a slash_commands envelope arrives, THEN ack({text}) comes back as the ack payload', async () => {
    await startSocketApp((a) =>
      a.command('/leaderboard', async ({ ack, command }) => {
        await ack({ text: `Top 3 for ${command.text || 'all time'}` });
      }),
    );

    const ack = await fake.sendEnvelope('slash_commands', fake.payloads.slashCommand({ command: '/leaderboard', text: 'this week', user: ALICE, channel: GENERAL }));

    expect(ack.payload).toEqual({ text: 'Top 3 for this week' });
  });

  it('GIVEN a slash command that opens a modal, WHEN it arrives, THEN views.open is called with its trigger_id and the decoded view', async () => {
    await startSocketApp((a) =>
      a.command('/propose', async ({ ack, client, command }) => {
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: { type: 'modal', callback_id: 'propose_talk', title: { type: 'plain_text', text: 'Propose a talk' }, blocks: [] },
        });
      }),
    );

    const command = fake.payloads.slashCommand({ command: '/propose', user: BOB, channel: GENERAL });
    await fake.sendEnvelope('slash_commands', command);
    const open = await fake.waitForCall('views.open');

    expect(open.params.trigger_id).toBe(command.trigger_id);
    expect(open.params.view).toMatchObject({ callback_id: 'propose_talk' });
    expect(open.response).toMatchObject({ ok: true, view: { callback_id: 'propose_talk', id: expect.stringMatching(/^V/) as unknown } });
  });

  it('GIVEN Slack redelivers an event, WHEN the envelope has retry_attempt and retry_reason, THEN the listener sees them as context.retryNum and retryReason', async () => {
    const heard = signal<{ retryNum: number | undefined; retryReason: string | undefined }>('retried envelope');
    await startSocketApp((a) =>
      a.event('app_mention', async ({ context }) => {
        heard.resolve({ retryNum: context.retryNum, retryReason: context.retryReason });
      }),
    );

    await fake.sendEvent(fake.payloads.appMention({ channel: GENERAL, user: ALICE, text: 'leaderboard please' }), { retryAttempt: 2, retryReason: 'timeout' });

    expect(await heard.wait()).toEqual({ retryNum: 2, retryReason: 'timeout' });
  });

  it('GIVEN a first delivery, WHEN the envelope has retry_attempt 0, THEN context.retryNum is 0 (not undefined as in HTTP mode)', async () => {
    const heard = signal<{ retryNum: number | undefined; retryReason: string | undefined }>('first delivery');
    await startSocketApp((a) =>
      a.event('app_mention', async ({ context }) => {
        heard.resolve({ retryNum: context.retryNum, retryReason: context.retryReason });
      }),
    );

    await fake.sendEvent(fake.payloads.appMention({ channel: GENERAL, user: BOB, text: 'hi' }));

    expect(await heard.wait()).toEqual({ retryNum: 0, retryReason: '' });
  });

  it('GIVEN a connected app, WHEN the connection drops, THEN it fetches a new URL, reconnects and keeps acking', async () => {
    // A receiver of our own only to shorten the reconnect delay (clientPingTimeout x failures).
    // With installerOptions given, clientOptions must be repeated inside them, or Socket Mode
    // would call the real slack.com for apps.connections.open.
    const receiver = new SocketModeReceiver({
      appToken: fake.config.appToken,
      clientPingTimeout: 250,
      logger,
      installerOptions: { clientOptions: fake.clientOptions() },
    });
    const socketApp = new App({ token: fake.config.bot.token, receiver, clientOptions: fake.clientOptions(), logger });
    socketApp.event('reaction_added', async () => undefined);
    app = socketApp;
    await socketApp.start();

    fake.dropConnection();
    await fake.waitForConnection(2);
    const ack = await fake.sendEvent(fake.payloads.reactionAdded({ user: BOB, reaction: 'wave', itemUser: ALICE, channel: GENERAL, ts: '1700000000.000500' }));

    expect(fake.calls('apps.connections.open')).toHaveLength(2);
    expect(ack.payload).toEqual({});
  });
});

describe('Web API: the fake answers like Slack does', () => {
  function client(token = fake.config.bot.token): webApi.WebClient {
    return new webApi.WebClient(token, { slackApiUrl: fake.apiUrl, logger, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  }

  it('GIVEN a user table, WHEN users.info is called, THEN admin/owner flags and profile names come back', async () => {
    const res = await client().users.info({ user: ALICE });

    expect(res.user).toMatchObject({
      id: ALICE,
      name: 'alice',
      real_name: 'Alice Admin',
      is_admin: true,
      is_owner: false,
      is_bot: false,
      profile: { display_name: 'alice', real_name: 'Alice Admin' },
    });
  });

  it('GIVEN no such user, WHEN users.info is called, THEN the client throws user_not_found', async () => {
    await expect(client().users.info({ user: 'U0NOBODY01' })).rejects.toMatchObject({ data: { ok: false, error: 'user_not_found' } });
  });

  it('GIVEN a method Slack does not have, WHEN it is called, THEN the answer is unknown_method', async () => {
    await expect(client().apiCall('guild.summon', {})).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('GIVEN a scripted rate limit, WHEN chat.postMessage is called, THEN Slack answers 429 with Retry-After and the next call succeeds', async () => {
    fake.rateLimitNext('chat.postMessage', { retryAfterSec: 7 });

    await expect(client().chat.postMessage({ channel: GENERAL, text: 'first' })).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
    const second = await client().chat.postMessage({ channel: GENERAL, text: 'second' });

    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(second.ok).toBe(true);
  });

  it('GIVEN two posts, WHEN chat.postMessage answers, THEN each gets a fresh, increasing ts', async () => {
    const first = await client().chat.postMessage({ channel: GENERAL, text: 'one' });
    const second = await client().chat.postMessage({ channel: GENERAL, text: 'two' });

    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
  });

  it('GIVEN a scripted failure, WHEN the method is called, THEN that error is returned once', async () => {
    fake.failNext('chat.postEphemeral', 'user_not_in_channel');

    await expect(client().chat.postEphemeral({ channel: GENERAL, user: BOB, text: 'psst' })).rejects.toMatchObject({ data: { error: 'user_not_in_channel' } });
    await expect(client().chat.postEphemeral({ channel: GENERAL, user: BOB, text: 'psst' })).resolves.toMatchObject({ ok: true, message_ts: expect.any(String) as unknown });
  });

  it('GIVEN the app-level token, WHEN it is used for chat.postMessage, THEN Slack refuses it with not_allowed_token_type', async () => {
    await expect(client(fake.config.appToken).chat.postMessage({ channel: GENERAL, text: 'nope' })).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
  });

  it('GIVEN an app POSTing JSON or passing the token as a param, WHEN the call arrives, THEN params and token are recorded either way', async () => {
    await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.config.bot.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: GENERAL, text: 'as json', blocks: [{ type: 'divider' }] }),
    });
    await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: fake.config.bot.token }).toString(),
    });

    expect(fake.calls('chat.postMessage')[0]).toMatchObject({ contentType: 'application/json', params: { text: 'as json', blocks: [{ type: 'divider' }] } });
    expect(fake.calls('auth.test')[0]).toMatchObject({ token: fake.config.bot.token, response: { ok: true, user_id: fake.config.bot.userId } });
  });

  it('GIVEN an open modal, WHEN views.update is called with its id, THEN the hash changes and a stale hash is refused with hash_conflict', async () => {
    const opened = await client().views.open({ trigger_id: '1.2.abc', view: { type: 'modal', callback_id: 'rsvp', title: { type: 'plain_text', text: 'RSVP' }, blocks: [] } });
    const viewId = opened.view?.id ?? '';
    const staleHash = opened.view?.hash ?? '';

    const updated = await client().views.update({ view_id: viewId, hash: staleHash, view: { type: 'modal', callback_id: 'rsvp', title: { type: 'plain_text', text: 'Thanks' }, blocks: [] } });

    expect(updated.view).toMatchObject({ id: viewId, root_view_id: viewId, title: { text: 'Thanks' } });
    expect(updated.view?.hash).not.toBe(staleHash);
    await expect(client().views.update({ view_id: viewId, hash: staleHash, view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
  });

  it('GIVEN a modal title over 24 characters, WHEN views.open is called, THEN Slack refuses it with invalid_arguments', async () => {
    const view = { type: 'modal' as const, callback_id: 'long', title: { type: 'plain_text' as const, text: 'Set points.messageCooldown' }, blocks: [] };

    await expect(client().views.open({ trigger_id: '1.2.abc', view })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    expect(fake.calls('views.open')[0]?.response).toMatchObject({ response_metadata: { messages: [expect.stringContaining('/view/title/text')] } });
  });

  it('GIVEN a posted message, WHEN it is updated and then deleted, THEN the channel shows the edit and then nothing', async () => {
    const posted = await client().chat.postMessage({ channel: GENERAL, text: 'draft' });
    await client().chat.update({ channel: GENERAL, ts: posted.ts ?? '', text: 'final' });
    const afterUpdate = fake.channelMessages(GENERAL).map((m) => ({ text: m.text, edited: m.edited !== undefined }));
    await client().chat.delete({ channel: GENERAL, ts: posted.ts ?? '' });

    expect(afterUpdate).toEqual([{ text: 'final', edited: true }]);
    expect(fake.channelMessages(GENERAL)).toEqual([]);
  });

  it('GIVEN Slack\'s documented signing example, WHEN sign() computes it, THEN the signature matches byte for byte', () => {
    // From "Verifying requests from Slack" (docs.slack.dev/authentication/verifying-requests-from-slack).
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

    expect(sign('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('GIVEN a response_url the fake never issued, WHEN something posts to it, THEN it answers 404 so respond() would throw', async () => {
    const res = await fetch(`${fake.baseUrl}/response/not-a-real-hook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });

    expect(res.status).toBe(404);
    expect(fake.responses()).toEqual([]);
  });

  it('GIVEN a usergroup and a channel, WHEN they are looked up, THEN members and channel info come back', async () => {
    const group = await client().usergroups.users.list({ usergroup: 'S0MODS0001' });
    const channel = await client().conversations.info({ channel: GENERAL });

    expect(group.users).toEqual([ALICE]);
    expect(channel.channel).toMatchObject({ id: GENERAL, name: 'general', is_member: true, is_private: false });
  });
});
