/**
 * The fake gateway: one resumable session over a websocket, speaking the JSON protocol discord.js
 * (@discordjs/ws WebSocketShard) expects:
 *
 *   server: op 10 HELLO {heartbeat_interval}
 *   client: op 2 IDENTIFY {token, intents, ...}     → READY (s=1), then one GUILD_CREATE per guild
 *   client: op 1 HEARTBEAT {d: last seq}              → op 11 HEARTBEAT_ACK (without it the client calls the link a
 *                                                       zombie, closes it and RESUMEs)
 *   server: op 0 DISPATCH {t, s, d}                   (s strictly increasing within a session)
 *   client: op 6 RESUME {session_id, seq}             → every dispatch with s > seq again, then RESUMED
 *   client: op 8 REQUEST_GUILD_MEMBERS                → GUILD_MEMBERS_CHUNK
 *   server: op 7 RECONNECT / op 9 INVALID_SESSION {d: resumable}
 *
 * Every dispatch stays in the session log, so a dropped connection followed by RESUME replays exactly what the
 * client missed (or, if its seq is older, what it already saw) — which is what idempotency tests need.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { GatewayIntentBits, GatewayOpcodes } from "discord.js";
import type { ClientGatewayFrame, DispatchRecord } from "../types.js";
import { WatchedLog } from "../wait.js";
import type { FakeWorld } from "../world.js";
import { intentName, requiredIntent, withMessageContentRules } from "./intents.js";

/** A frame the fake sent, for assertions like "RESUMED was sent" or "this event went out twice". */
export interface SentGatewayFrame {
  op: number;
  t: string | null;
  s: number | null;
  d: unknown;
  connection: number;
  /** True when it was sent again by a RESUME replay. */
  replay: boolean;
}

export interface GatewayConnection {
  /** Connection number, from 1. */
  n: number;
  path: string;
  query: Record<string, string>;
}

interface Session {
  id: string;
  seq: number;
  intents: number;
  log: DispatchRecord[];
  /** The socket currently carrying the session (identified or resumed on it), if any. */
  socket: WebSocket | null;
}

export interface GatewayDeps {
  world: FakeWorld;
  heartbeatIntervalMs: number;
  token: string | null;
  enforceIntents: boolean;
  verbose: boolean;
  resumeUrl: () => string;
}

export class FakeGateway {
  readonly received = new WatchedLog<ClientGatewayFrame>((f) => `op ${f.op} on connection ${f.connection}`);
  readonly sent = new WatchedLog<SentGatewayFrame>((f) => `op ${f.op}${f.t ? ` ${f.t}` : ""}${f.s !== null ? ` s=${f.s}` : ""}${f.replay ? " (replay)" : ""}`);
  readonly connections: GatewayConnection[] = [];
  /** Answer heartbeats? Turn off to make the client declare the link a zombie and RESUME. */
  ackHeartbeats = true;

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly socketNumbers = new Map<WebSocket, number>();
  private session: Session | null = null;
  /** Extra already-delivered events to send again on the next RESUME (see dropConnection's `redeliver`). */
  private redeliverOnResume = 0;

  constructor(private readonly deps: GatewayDeps) {
    this.wss.on("connection", (socket: WebSocket, req: IncomingMessage) => this.onConnection(socket, req));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit("connection", ws, req));
  }

  get sessionId(): string | null {
    return this.session?.id ?? null;
  }

  get sequence(): number {
    return this.session?.seq ?? 0;
  }

  get intents(): number | null {
    return this.session?.intents ?? null;
  }

  get dispatchLog(): readonly DispatchRecord[] {
    return this.session?.log ?? [];
  }

  /** Whether a socket is open and carrying the session (false between a drop and the RESUME). */
  get isLive(): boolean {
    return this.session?.socket?.readyState === WebSocket.OPEN;
  }

  /**
   * Sends (or, while disconnected, queues for replay) a dispatch and returns its sequence number.
   * Throws if the client did not ask for the intent the event needs, because Discord would never deliver it.
   */
  dispatch(t: string, d: unknown): number {
    const session = this.requireSession(t);
    const intent = requiredIntent(t, d);
    if (this.deps.enforceIntents && intent !== null && (session.intents & intent) === 0) {
      throw new Error(
        `FakeDiscord: the client did not request ${intentName(intent)}, so Discord would not deliver ${t}. ` +
          `Add GatewayIntentBits.${intentName(intent)} to the client's intents (or pass enforceIntents: false).`,
      );
    }
    return this.record(session, t, d);
  }

  /** Like dispatch, but silently skips events the client did not subscribe to (for REST echoes). */
  echo(t: string, d: unknown): void {
    const session = this.session;
    if (!session) return;
    const intent = requiredIntent(t, d);
    if (intent !== null && (session.intents & intent) === 0) return;
    this.record(session, t, d);
  }

  /**
   * Drops the socket. "close" sends a close frame with `code` (default 4000 Unknown error, which discord.js
   * answers with RESUME); "terminate" cuts the TCP connection like a network fault (client sees 1006, also resumes).
   * Resolves once the socket is closed on the fake's side. The session stays resumable.
   *
   * `redeliver: n` makes the next RESUME also replay the last n events the client already received. discord.js
   * advances its seq as soon as a frame arrives, so an honest replay never repeats anything; Discord's delivery is
   * nonetheless at-least-once (a lost frame ack, a resume from a stale seq), and this is how a test shows a
   * handler survives a duplicate.
   */
  async dropConnection(options: { code?: number; mode?: "close" | "terminate"; redeliver?: number } = {}): Promise<void> {
    const socket = this.session?.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error("FakeDiscord.dropConnection: no live gateway connection");
    this.redeliverOnResume = options.redeliver ?? 0;
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    if (options.mode === "terminate") socket.terminate();
    else socket.close(options.code ?? 4000, "fake-discord: connection dropped");
    await closed;
  }

  /** op 7: Discord asks the client to reconnect and resume (e.g. before a gateway restart). */
  requestReconnect(): void {
    this.sendTo(this.requireSession("RECONNECT").socket, { op: GatewayOpcodes.Reconnect, d: null });
  }

  /** op 9: the session is gone; `resumable` false forces a fresh IDENTIFY (and a new READY). */
  invalidateSession(resumable: boolean): void {
    const session = this.requireSession("INVALID_SESSION");
    this.sendTo(session.socket, { op: GatewayOpcodes.InvalidSession, d: resumable });
    if (!resumable) this.session = null;
  }

  async close(): Promise<void> {
    this.received.cancelWaiters("FakeDiscord closed");
    this.sent.cancelWaiters("FakeDiscord closed");
    for (const socket of this.wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private requireSession(what: string): Session {
    if (!this.session) throw new Error(`FakeDiscord: cannot send ${what} before the client has identified (await the client's ready event first)`);
    return this.session;
  }

  private record(session: Session, t: string, d: unknown): number {
    session.seq += 1;
    // A copy, so later changes to world objects cannot rewrite what the log will replay.
    const copy = structuredClone(d);
    const payload = this.deps.enforceIntents ? withMessageContentRules(t, copy, session.intents, this.deps.world.bot.id) : copy;
    const entry: DispatchRecord = { s: session.seq, t, d: payload, sentCount: 0 };
    session.log.push(entry);
    this.deps.world.observeDispatch(t, d);
    if (session.socket?.readyState === WebSocket.OPEN) this.sendDispatch(session.socket, entry, false);
    return entry.s;
  }

  private sendDispatch(socket: WebSocket, entry: DispatchRecord, replay: boolean): void {
    entry.sentCount += 1;
    this.sendTo(socket, { op: GatewayOpcodes.Dispatch, t: entry.t, s: entry.s, d: entry.d }, replay);
  }

  private sendTo(socket: WebSocket | null, frame: { op: number; d: unknown; t?: string; s?: number }, replay = false): void {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ t: null, s: null, ...frame }));
    const connection = this.socketNumbers.get(socket) ?? 0;
    this.sent.push({ op: frame.op, t: frame.t ?? null, s: frame.s ?? null, d: frame.d, connection, replay });
    if (this.deps.verbose) process.stderr.write(`[fake-discord] GW -> op ${frame.op} ${frame.t ?? ""} ${frame.s ?? ""}${replay ? " (replay)" : ""}\n`);
  }

  private onConnection(socket: WebSocket, req: IncomingMessage): void {
    const n = this.connections.length + 1;
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    this.connections.push({ n, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    this.socketNumbers.set(socket, n);
    socket.on("message", (data: RawData) => this.onFrame(socket, n, data));
    socket.on("close", () => {
      if (this.session?.socket === socket) this.session.socket = null;
    });
    socket.on("error", () => undefined);
    this.sendTo(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.deps.heartbeatIntervalMs } });
  }

  private onFrame(socket: WebSocket, connection: number, data: RawData): void {
    let frame: { op?: unknown; d?: unknown };
    try {
      frame = JSON.parse(data.toString()) as { op?: unknown; d?: unknown };
    } catch {
      socket.close(4002, "Error while decoding payload.");
      return;
    }
    const op = typeof frame.op === "number" ? frame.op : -1;
    this.received.push({ op, d: frame.d ?? null, at: Date.now(), connection });
    if (this.deps.verbose) process.stderr.write(`[fake-discord] GW <- op ${op}\n`);
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        if (this.ackHeartbeats) this.sendTo(socket, { op: GatewayOpcodes.HeartbeatAck, d: null });
        break;
      case GatewayOpcodes.Identify:
        this.onIdentify(socket, frame.d as { token?: string; intents?: number });
        break;
      case GatewayOpcodes.Resume:
        this.onResume(socket, frame.d as { token?: string; session_id?: string; seq?: number });
        break;
      case GatewayOpcodes.RequestGuildMembers:
        this.onRequestGuildMembers(frame.d as { guild_id?: string; user_ids?: string | string[]; query?: string; limit?: number; nonce?: string });
        break;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        break;
      default:
        socket.close(4001, "Unknown opcode.");
    }
  }

  private onIdentify(socket: WebSocket, d: { token?: string; intents?: number }): void {
    if (this.deps.token !== null && d.token !== this.deps.token) {
      socket.close(4004, "Authentication failed.");
      return;
    }
    if (this.session?.socket === socket) {
      socket.close(4005, "Already authenticated.");
      return;
    }
    this.session?.socket?.terminate();
    const session: Session = { id: randomBytes(16).toString("hex"), seq: 0, intents: d.intents ?? 0, log: [], socket };
    this.session = session;
    this.record(session, "READY", this.deps.world.readyPayload(session.id, this.deps.resumeUrl()));
    // One GUILD_CREATE per guild in READY: discord.js waits (waitGuildTimeout, 15 s) for every one of them.
    for (const guildId of this.deps.world.guilds.keys()) {
      if ((session.intents & GatewayIntentBits.Guilds) !== 0) this.record(session, "GUILD_CREATE", this.deps.world.guildCreatePayload(guildId));
    }
  }

  private onResume(socket: WebSocket, d: { token?: string; session_id?: string; seq?: number }): void {
    const session = this.session;
    const seq = d.seq ?? 0;
    if (!session || session.id !== d.session_id || seq > session.seq || (this.deps.token !== null && d.token !== this.deps.token)) {
      // Not resumable: discord.js then re-identifies.
      this.sendTo(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    if (session.socket && session.socket !== socket) session.socket.terminate();
    session.socket = socket;
    const from = Math.max(0, seq - this.redeliverOnResume);
    this.redeliverOnResume = 0;
    for (const entry of session.log) {
      // READY is never replayed: a resumed session keeps its state.
      if (entry.s > from && entry.t !== "READY") this.sendDispatch(socket, entry, true);
    }
    // RESUMED gets a sequence number but is not itself replayed by a later resume.
    session.seq += 1;
    this.sendTo(socket, { op: GatewayOpcodes.Dispatch, t: "RESUMED", s: session.seq, d: null });
  }

  private onRequestGuildMembers(d: { guild_id?: string; user_ids?: string | string[]; query?: string; limit?: number; nonce?: string }): void {
    const guild = d.guild_id ? this.deps.world.guilds.get(d.guild_id) : undefined;
    if (!guild || !this.session) return;
    const ids = d.user_ids === undefined ? null : Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids];
    let members = [...guild.members.values()];
    if (ids) members = members.filter((m) => ids.includes(m.user.id));
    else if (d.query) members = members.filter((m) => m.user.username.toLowerCase().startsWith((d.query ?? "").toLowerCase()));
    if (d.limit) members = members.slice(0, d.limit);
    const notFound = ids ? ids.filter((id) => !guild.members.has(id)) : [];
    this.record(this.session, "GUILD_MEMBERS_CHUNK", {
      guild_id: guild.id,
      members,
      chunk_index: 0,
      chunk_count: 1,
      not_found: notFound,
      ...(d.nonce !== undefined && { nonce: d.nonce }),
    });
  }
}
