/**
 * The Socket Mode side of the fake: the WebSocket that apps.connections.open
 * points at.
 *
 * Protocol (see README.md for sources): on connect the server sends `hello`;
 * it then pushes envelopes `{envelope_id, type, payload,
 * accepts_response_payload, retry_attempt, retry_reason}` and the app answers
 * each with `{envelope_id, payload}`. Slack may also send `disconnect`
 * (e.g. `refresh_requested`) and expects the client to reconnect with a fresh
 * URL, which is why URLs carry a one-time ticket here too.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { FakeSlackConfig } from './config.js';
import { uuid } from './ids.js';
import { Recorder } from './recorder.js';
import { isRecord } from './request-body.js';

export const SOCKET_PATH = '/link/';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

export interface EnvelopeOptions {
  retryAttempt?: number;
  retryReason?: string;
  /** Slack sets this for slash commands and interactivity (the ack may carry a response). */
  acceptsResponsePayload?: boolean;
  /** How long to wait for the ack; defaults to the fake's `ackTimeoutMs`. */
  timeoutMs?: number;
  envelopeId?: string;
}

export interface SocketAck {
  envelopeId: string;
  /** What the app put in `payload`; @slack/socket-mode always sends an object (`{}` for a bare `ack()`). */
  payload: Record<string, unknown> | undefined;
  raw: unknown;
  at: number;
}

export interface SocketConnection {
  /** 1 for the first connection the fake ever accepted, 2 after a reconnect, ... */
  index: number;
  ticket: string;
  at: number;
}

export class SocketModeServer {
  readonly acks = new Recorder<SocketAck>((a) => `ack(${a.envelopeId})`);
  readonly connections = new Recorder<SocketConnection>((c) => `connection#${c.index}`);
  readonly sent: SocketEnvelope[] = [];
  /** Called synchronously as each ack arrives, before anything else can run. */
  readonly ackListeners = new Set<(ack: SocketAck) => void>();

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly open = new Set<WebSocket>();
  private readonly pingTimer: NodeJS.Timeout;
  private opened = 0;

  constructor(
    private readonly config: FakeSlackConfig,
    private readonly wsBaseUrl: () => string,
  ) {
    // @slack/socket-mode reconnects if the server has not pinged it for
    // `serverPingTimeout` (30s); keep long-running tests connected.
    this.pingTimer = setInterval(() => {
      for (const socket of this.open) socket.ping();
    }, config.serverPingIntervalMs);
    this.pingTimer.unref();
  }

  /** A fresh one-time URL, as apps.connections.open returns (`wss://.../link/?ticket=...&app_id=...`). */
  mintUrl(): string {
    const ticket = uuid();
    this.tickets.add(ticket);
    return `${this.wsBaseUrl()}${SOCKET_PATH}?ticket=${ticket}&app_id=${this.config.appId}`;
  }

  get openConnections(): number {
    return this.open.size;
  }

  /** Returns false when the upgrade is not for us, so the caller can reject it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    if (url.pathname !== SOCKET_PATH) return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      // A reused or invented ticket: real Slack refuses these too.
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ticket));
    return true;
  }

  private accept(ws: WebSocket, ticket: string): void {
    this.open.add(ws);
    this.opened += 1;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.receive(rawToString(data));
    });
    ws.on('close', () => this.open.delete(ws));
    ws.on('error', () => this.open.delete(ws));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.size,
        debug_info: {
          host: 'applink-fake-0000000000-00000',
          build_number: 1,
          approximate_connection_time: 18060,
        },
        connection_info: { app_id: this.config.appId },
      }),
    );
    this.connections.push({ index: this.opened, ticket, at: Date.now() });
  }

  private receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return; // Not ours to judge; a real server would ignore it as well.
    }
    if (!isRecord(message) || typeof message.envelope_id !== 'string') return;
    const ack: SocketAck = {
      envelopeId: message.envelope_id,
      payload: isRecord(message.payload) ? message.payload : undefined,
      raw: message,
      at: Date.now(),
    };
    for (const listener of this.ackListeners) listener(ack);
    this.acks.push(ack);
  }

  /**
   * Pushes one envelope to the newest open connection and resolves with the
   * app's ack. Rejects at once when no connection is open (await
   * `waitForConnection` after a reconnect) and after the ack timeout.
   */
  send(type: EnvelopeType, payload: unknown, opts: EnvelopeOptions = {}): Promise<SocketAck> {
    const socket = [...this.open].pop();
    if (socket === undefined) {
      return Promise.reject(new Error(`Cannot send a ${type} envelope: no Socket Mode connection is open`));
    }
    const envelope: SocketEnvelope = {
      envelope_id: opts.envelopeId ?? uuid(),
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
      retry_attempt: opts.retryAttempt ?? 0,
      retry_reason: opts.retryReason ?? '',
    };
    // Register the wait before sending so a very fast ack cannot slip past.
    const acked = this.acks.waitFor(
      (a) => a.envelopeId === envelope.envelope_id,
      opts.timeoutMs ?? this.config.ackTimeoutMs,
      `the ack of ${type} envelope ${envelope.envelope_id}`,
    );
    this.sent.push(envelope);
    socket.send(JSON.stringify(envelope));
    return acked;
  }

  /** Sends one text frame exactly as given (for frames Slack would never send, like `null`). */
  sendRaw(text: string): void {
    const socket = [...this.open].pop();
    if (socket === undefined) throw new Error('Cannot send a raw frame: no Socket Mode connection is open');
    socket.send(text);
  }

  /** Abruptly kills every connection, like a network drop; the client should reconnect. */
  dropConnections(): void {
    for (const socket of this.open) socket.terminate();
    this.open.clear();
  }

  /** Politely asks clients to reconnect, as Slack does before recycling a host. */
  sendDisconnect(reason: string): void {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-0000000000-00000' } });
    for (const socket of this.open) socket.send(message);
  }

  async close(): Promise<void> {
    clearInterval(this.pingTimer);
    await Promise.all([...this.open].map((socket) => closeGracefully(socket)));
    this.open.clear();
    this.acks.rejectAll('The fake Slack was closed');
    this.connections.rejectAll('The fake Slack was closed');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/**
 * Completes the WebSocket close handshake instead of cutting the TCP stream.
 * @slack/socket-mode arms a 30s "peer did not complete the close handshake"
 * timer when `app.stop()` sends its close frame; cutting the socket under it
 * leaves that timer alive and the test process lingers for 30s.
 */
function closeGracefully(socket: WebSocket, timeoutMs = 1000): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    // Already CLOSING means the app started the handshake and ws has answered it; just wait.
    if (socket.readyState === socket.OPEN) socket.close(1001, 'fake slack shutting down');
  });
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
