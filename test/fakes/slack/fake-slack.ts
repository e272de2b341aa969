/**
 * FakeSlack: one HTTP server on 127.0.0.1 that is "Slack" for end-to-end tests.
 *
 *   /api/<method>   the Web API (point Bolt at it with clientOptions.slackApiUrl)
 *   /response/<id>  response_url sink (what `respond()` posts to)
 *   /link/?ticket=  the Socket Mode WebSocket apps.connections.open hands out
 *
 * Everything the app sends is recorded and can be awaited, so tests never sleep.
 * For HTTP mode the reverse direction (Slack -> app) lives in http-client.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig, type FakeChannel, type FakeSlackConfig, type FakeSlackOptions, type FakeUser } from './config.js';
import { FileUploads, type RecordedUpload, UPLOAD_PATH } from './file-uploads.js';
import { createPayloadBuilders, type PayloadBuilders } from './payloads.js';
import { Recorder } from './recorder.js';
import { mediaType, parseParams, readBody, type Params } from './request-body.js';
import { RESPONSE_PATH, ResponseSink, type RecordedResponse } from './response-sink.js';
import {
  SocketModeServer,
  type EnvelopeOptions,
  type EnvelopeType,
  type SocketAck,
  type SocketConnection,
  type SocketEnvelope,
} from './socket-mode-server.js';
import { checkToken, createDefaultMethods, fail, type MethodHandler, type WebApiBody, type WebApiCall } from './web-api-methods.js';
import { FakeWorkspace, type StoredMessage } from './workspace.js';

const API_PATH = '/api/';

export interface RecordedCall extends WebApiCall {
  status: number;
  response: WebApiBody;
}

/** A scripted answer for the next call(s) of a method. */
export type ScriptedFailure =
  | { kind: 'error'; error: string; extra?: Record<string, unknown> }
  | { kind: 'ratelimited'; retryAfterSec: number };

export class FakeSlack {
  readonly config: FakeSlackConfig;
  readonly workspace: FakeWorkspace;
  readonly payloads: PayloadBuilders;

  private readonly server: Server;
  private readonly socket: SocketModeServer;
  private readonly sink: ResponseSink;
  private readonly callLog = new Recorder<RecordedCall>((c) => `${c.method}${c.response.ok ? '' : `(${String(c.response.error)})`}`);
  private readonly handlers: Map<string, MethodHandler>;
  private readonly scripted = new Map<string, ScriptedFailure[]>();
  private readonly files: FileUploads;
  private port = 0;
  private closed = false;

  private constructor(opts: FakeSlackOptions) {
    this.config = resolveConfig(opts);
    this.workspace = new FakeWorkspace(this.config);
    for (const user of opts.users ?? []) this.addUser(user);
    for (const channel of opts.channels ?? []) this.addChannel(channel);
    for (const [id, members] of Object.entries(opts.usergroups ?? {})) this.setUsergroup(id, members);

    this.sink = new ResponseSink(() => this.baseUrl);
    this.socket = new SocketModeServer(this.config, () => `ws://127.0.0.1:${this.port}`);
    this.handlers = new Map(Object.entries(createDefaultMethods({ openSocketUrl: () => this.socket.mintUrl() })));
    this.files = new FileUploads(() => this.baseUrl);
    this.handlers.set('files.getUploadURLExternal', (call) => this.files.getUploadUrl(call));
    this.handlers.set('files.completeUploadExternal', (call) => this.files.complete(call));
    this.payloads = createPayloadBuilders({
      config: this.config,
      nextTs: () => this.workspace.clock.next(),
      responseUrl: () => this.sink.mint(),
      userName: (id) => this.workspace.users.get(id)?.name ?? id.toLowerCase(),
    });

    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        // A bug in the fake must surface in the test, not hang it.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'fake_slack_internal_error', detail: String(error) }));
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
      if (!this.socket.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => {
        fake.server.off('error', reject);
        resolve();
      });
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  // ---- addresses -----------------------------------------------------------

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Pass as `clientOptions.slackApiUrl` (the trailing slash matters to @slack/web-api). */
  get apiUrl(): string {
    return `${this.baseUrl}${API_PATH}`;
  }

  /**
   * Ready-made `clientOptions` for `new App(...)`. No retries: a test that
   * provokes an error wants it now, not after @slack/web-api's backoff.
   */
  clientOptions(): { slackApiUrl: string; retryConfig: { retries: number } } {
    return { slackApiUrl: this.apiUrl, retryConfig: { retries: 0 } };
  }

  // ---- workspace seeding -----------------------------------------------------

  addUser(user: FakeUser): void {
    this.workspace.users.set(user.id, user);
  }

  addChannel(channel: FakeChannel): void {
    this.workspace.channels.set(channel.id, channel);
  }

  setUsergroup(id: string, members: string[]): void {
    this.workspace.usergroups.set(id, [...members]);
  }

  /** A member's message in a channel (not the bot's), as if they had posted it; returns its ts. */
  addMemberMessage(channel: string, user: string, text: string): string {
    const ts = this.workspace.clock.next();
    this.workspace.storeMessage(channel, { type: 'message', ts, text, user, team: this.config.team.id });
    return ts;
  }

  /** conversations.open with this member answers `user_not_visible` (a guest or external member the bot may not see). */
  hideFromBot(userId: string): void {
    this.workspace.hiddenFromBot.add(userId);
  }

  /** chat.delete of a message the fake never stored answers `message_not_found`, as Slack does. */
  strictDeletes(): void {
    this.workspace.strictDeletes = true;
  }

  /** Messages currently in a channel (posted/updated/deleted through chat.*), oldest first. */
  channelMessages(channel: string): StoredMessage[] {
    return this.workspace.channelMessages(channel);
  }

  // ---- Web API -------------------------------------------------------------

  /** Adds a method or replaces a built-in one. */
  onMethod(method: string, handler: MethodHandler): void {
    this.handlers.set(method, handler);
  }

  /** The next `times` calls of `method` answer `{ok:false, error}` (HTTP 200, as Slack does). */
  failNext(method: string, error: string, opts: { times?: number; extra?: Record<string, unknown> } = {}): void {
    this.script(method, { kind: 'error', error, ...(opts.extra !== undefined ? { extra: opts.extra } : {}) }, opts.times ?? 1);
  }

  /** The next `times` calls of `method` answer HTTP 429 + `Retry-After` + `{ok:false, error:'ratelimited'}`. */
  rateLimitNext(method: string, opts: { retryAfterSec?: number; times?: number } = {}): void {
    this.script(method, { kind: 'ratelimited', retryAfterSec: opts.retryAfterSec ?? 1 }, opts.times ?? 1);
  }

  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.callLog.all()] : this.callLog.filter((c) => c.method === method);
  }

  /** Resolves with the first call of `method` (past or future) matching `predicate`. */
  waitForCall(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = this.config.waitTimeoutMs): Promise<RecordedCall> {
    return this.callLog.waitFor((c) => c.method === method && predicate(c), timeoutMs, `a ${method} call`);
  }

  /** Forgets recorded calls, so later waits only see what happens next. */
  clearCalls(): void {
    this.callLog.clear();
  }

  // ---- file uploads ------------------------------------------------------------

  /**
   * Files that went through files.getUploadURLExternal → POST → files.completeUploadExternal (or
   * part of the way), with their bytes and where they were shared (file-uploads.ts).
   */
  uploads(): RecordedUpload[] {
    return this.files.all();
  }

  /** Resolves once a files.completeUploadExternal call matching `predicate` has been answered. */
  waitForUpload(predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = this.config.waitTimeoutMs): Promise<RecordedCall> {
    return this.waitForCall('files.completeUploadExternal', (c) => c.response.ok && predicate(c), timeoutMs);
  }

  // ---- response_url ----------------------------------------------------------

  /** A fresh response_url on this fake (the payload builders use it too). */
  responseUrl(): string {
    return this.sink.mint();
  }

  responses(): RecordedResponse[] {
    return [...this.sink.recorder.all()];
  }

  waitForResponse(predicate: (response: RecordedResponse) => boolean = () => true, timeoutMs = this.config.waitTimeoutMs): Promise<RecordedResponse> {
    return this.sink.recorder.waitFor(predicate, timeoutMs, 'a response_url POST');
  }

  // ---- Socket Mode -----------------------------------------------------------

  /** Sends one envelope to the app and resolves with its ack (rejects on timeout or when nobody is connected). */
  sendEnvelope(type: EnvelopeType, payload: unknown, opts: EnvelopeOptions = {}): Promise<SocketAck> {
    return this.socket.send(type, payload, opts);
  }

  /** `sendEnvelope('events_api', eventCallback(event))` for the common case. */
  sendEvent(event: unknown, opts: EnvelopeOptions & { eventId?: string } = {}): Promise<SocketAck> {
    const body = this.payloads.eventCallback(event, opts.eventId !== undefined ? { eventId: opts.eventId } : {});
    return this.socket.send('events_api', body, opts);
  }

  /** Sends one Socket Mode text frame as given, not wrapped in an envelope. */
  sendRawFrame(text: string): void {
    this.socket.sendRaw(text);
  }

  acks(): SocketAck[] {
    return [...this.socket.acks.all()];
  }

  /**
   * Calls `listener` synchronously the moment an ack arrives, before the ack is recorded or any
   * other callback runs — so a test can look at the world (say, a database) exactly as it was when
   * the app acknowledged. Returns a function that removes the listener.
   */
  onAck(listener: (ack: SocketAck) => void): () => void {
    this.socket.ackListeners.add(listener);
    return () => this.socket.ackListeners.delete(listener);
  }

  /** Envelopes sent so far, in order (to inspect what the app was given). */
  sentEnvelopes(): readonly SocketEnvelope[] {
    return [...this.socket.sent];
  }

  /** Resolves once `count` connections have been opened in total (2 = the first reconnect). */
  waitForConnection(count = 1, timeoutMs = this.config.waitTimeoutMs): Promise<SocketConnection> {
    return this.socket.connections.waitFor((c) => c.index >= count, timeoutMs, `Socket Mode connection #${count}`);
  }

  get openConnections(): number {
    return this.socket.openConnections;
  }

  /** Kills the Socket Mode connection(s) without a goodbye, like a network drop. */
  dropConnection(): void {
    this.socket.dropConnections();
  }

  /** Sends Slack's `{type:'disconnect', reason}`; @slack/socket-mode then reconnects itself. */
  sendDisconnect(reason = 'refresh_requested'): void {
    this.socket.sendDisconnect(reason);
  }

  // ---- lifecycle -------------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.callLog.rejectAll('The fake Slack was closed');
    this.sink.recorder.rejectAll('The fake Slack was closed');
    await this.socket.close();
    // Bolt's WebClient keeps sockets alive; without this close() would wait for them to idle out.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  // ---- internals -------------------------------------------------------------

  private script(method: string, failure: ScriptedFailure, times: number): void {
    const queue = this.scripted.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.scripted.set(method, queue);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.baseUrl).pathname;
    const bytes = await readBody(req);
    if (req.method === 'POST' && path.startsWith(UPLOAD_PATH)) {
      // Slack's upload URL takes the file's bytes (binary: not decoded as text).
      const answer = this.files.receive(path.slice(UPLOAD_PATH.length), bytes, req.headers['content-type'], req.headers.authorization);
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end(answer.body);
      return;
    }
    const raw = bytes.toString('utf8');
    if (path.startsWith(API_PATH)) {
      this.handleApiCall(path.slice(API_PATH.length), req, raw, res);
      return;
    }
    if (req.method === 'POST' && path.startsWith(RESPONSE_PATH)) {
      const answer = this.sink.receive(path.slice(RESPONSE_PATH.length), raw, req.headers['content-type']);
      sendJson(res, answer.status, answer.body);
      return;
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  private handleApiCall(method: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    let params: Params;
    try {
      params = parseParams(raw, req.headers['content-type']);
    } catch {
      // Slack answers malformed JSON bodies with invalid_json; record it so the test sees the attempt.
      params = { _raw: raw };
      const call = { method, token: bearer(req), params, contentType: mediaType(req.headers['content-type']), at: Date.now() };
      this.answer(res, call, 200, fail('invalid_json'));
      return;
    }
    const call: WebApiCall = {
      method,
      token: bearer(req) ?? (typeof params.token === 'string' ? params.token : undefined),
      params,
      contentType: mediaType(req.headers['content-type']),
      at: Date.now(),
    };

    const scripted = this.scripted.get(method)?.shift();
    if (scripted?.kind === 'ratelimited') {
      this.answer(res, call, 429, fail('ratelimited'), { 'retry-after': String(scripted.retryAfterSec) });
      return;
    }
    if (scripted?.kind === 'error') {
      this.answer(res, call, 200, fail(scripted.error, scripted.extra));
      return;
    }

    const handler = this.handlers.get(method);
    if (handler === undefined) {
      this.answer(res, call, 200, fail('unknown_method'));
      return;
    }
    const tokenError = checkToken(method, call.token, this.config);
    this.answer(res, call, 200, tokenError !== undefined ? fail(tokenError) : handler(call, this.workspace));
  }

  private answer(res: ServerResponse, call: WebApiCall, status: number, response: WebApiBody, headers: Record<string, string> = {}): void {
    // Record before replying: once the app has the answer it may act on it,
    // and a test waiting on this call must already be able to see it.
    this.callLog.push({ ...call, status, response });
    sendJson(res, status, response, headers);
  }
}

export function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  return FakeSlack.start(opts);
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1];
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
