/**
 * FakeDiscord: a local stand-in for Discord that the real discord.js Client can log in to.
 *
 * One HTTP server on 127.0.0.1 (random port) serves the REST API under /api/v10 and upgrades /gateway to the
 * gateway websocket. Point a Client at it with `fake.clientOptions()`:
 *
 *   const fake = await FakeDiscord.start({ guilds: [{ id: "1", channels: [{ id: "2" }], members: [{ userId: "3" }] }] });
 *   const client = new Client({ intents: [...], ...fake.clientOptions() });
 *   await client.login(FakeDiscord.TOKEN);            // GET /gateway/bot → HELLO → IDENTIFY → READY + GUILD_CREATE
 *   fake.dispatch("MESSAGE_CREATE", fake.build.messageCreate({ channelId: "2", authorId: "3", content: "hi" }));
 *   await fake.waitForRequest((r) => r.method === "POST" && r.path === "/channels/2/messages");
 *
 * The pieces: world.ts (the model), rest/* (HTTP routes), gateway/* (websocket protocol), payloads/* (builders).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ComponentType, type APIMessage, type ClientOptions } from "discord.js";
import { FakeGateway, type GatewayConnection, type SentGatewayFrame } from "./gateway/gateway.js";
import * as contextMenus from "./payloads/context-menus.js";
import * as interactions from "./payloads/interactions.js";
import * as members from "./payloads/members.js";
import * as messages from "./payloads/messages.js";
import * as voice from "./payloads/voice.js";
import { handleRest } from "./rest/rest-handler.js";
import type { RestEffects, RoleGrantPolicy } from "./rest/router.js";
import { matchRoute, rateLimitResponse, ScriptedResponses, type RateLimitOptions } from "./rest/scripted.js";
import type { ClientGatewayFrame, DispatchRecord, FakeDiscordOptions, RecordedRequest, RequestMatcher, ScriptedResponse } from "./types.js";
import { WatchedLog } from "./wait.js";
import { FakeWorld } from "./world.js";

export { opt } from "./payloads/interactions.js";
export type { RoleGrantPolicy } from "./rest/router.js";
export type * from "./types.js";

const DEFAULT_WAIT_MS = 2_000;

/** The builders, bound to this fake's world so ids, authors and members line up. */
export interface PayloadBuilders {
  messageCreate(input: messages.MessageCreateInput): ReturnType<typeof messages.messageCreate>;
  messageUpdate(input: messages.MessageUpdateInput): ReturnType<typeof messages.messageUpdate>;
  messageDelete(input: messages.MessageRefInput): ReturnType<typeof messages.messageDelete>;
  reactionAdd(input: messages.ReactionInput): ReturnType<typeof messages.reactionAdd>;
  reactionRemove(input: messages.ReactionInput): ReturnType<typeof messages.reactionRemove>;
  threadCreate(input: messages.ThreadCreateInput): ReturnType<typeof messages.threadCreate>;
  memberAdd(input: members.MemberAddInput): ReturnType<typeof members.memberAdd>;
  memberRemove(input: members.MemberRemoveInput): ReturnType<typeof members.memberRemove>;
  chatInputInteraction(input: interactions.ChatInputInput): ReturnType<typeof interactions.chatInputInteraction>;
  buttonInteraction(input: interactions.ComponentInput): ReturnType<typeof interactions.componentInteraction>;
  selectMenuInteraction(input: interactions.ComponentInput & { values: string[] }): ReturnType<typeof interactions.componentInteraction>;
  modalSubmitInteraction(input: interactions.ModalSubmitInput): ReturnType<typeof interactions.modalSubmitInteraction>;
  messageContextMenuInteraction(input: contextMenus.MessageContextMenuInput): ReturnType<typeof contextMenus.messageContextMenuInteraction>;
  voiceStateUpdate(input: voice.VoiceStateInput): ReturnType<typeof voice.voiceStateUpdate>;
}

export type MatcherSpec = RequestMatcher | { method: string; path: string | RegExp };

function toMatcher(spec: MatcherSpec): RequestMatcher {
  return typeof spec === "function" ? spec : matchRoute(spec.method, spec.path);
}

export class FakeDiscord {
  /** Any token works unless `options.token` is set; this one reads well in tests. */
  static readonly TOKEN = "fake-bot-token";

  readonly world: FakeWorld;
  readonly build: PayloadBuilders;

  private readonly server: Server;
  private readonly gateway: FakeGateway;
  private readonly requestLog = new WatchedLog<RecordedRequest>((r) => `${r.method} ${r.path} -> ${r.status}`);
  private readonly scripts = new ScriptedResponses();
  private readonly effects: RestEffects;
  private port = 0;
  private connectionsAtLastDrop = 0;

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await fake.listen();
    return fake;
  }

  private constructor(options: FakeDiscordOptions) {
    const world = new FakeWorld(options);
    this.world = world;
    const verbose = options.verbose ?? false;
    this.gateway = new FakeGateway({
      world,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      token: options.token ?? null,
      enforceIntents: options.enforceIntents ?? true,
      verbose,
      resumeUrl: () => `ws://127.0.0.1:${this.port}/gateway/resume`,
    });
    const gateway = this.gateway;
    this.effects = {
      echo: (t, d) => gateway.echo(t, d),
      echoBotMessages: options.echoBotMessages ?? true,
      gatewayUrl: () => this.gatewayUrl,
      roleGrantPolicy: "allow",
    };

    this.server = createServer((req, res) => {
      handleRest(req, res, { world, effects: this.effects, scripts: this.scripts, log: this.requestLog, token: options.token ?? null, verbose }).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 0, message: `fake-discord crashed: ${String(error)}` }));
      });
    });
    this.server.on("upgrade", (req, socket, head: Buffer) => {
      if ((req.url ?? "").startsWith("/gateway")) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });

    this.build = {
      messageCreate: (input) => messages.messageCreate(world, input),
      messageUpdate: (input) => messages.messageUpdate(world, input),
      messageDelete: (input) => messages.messageDelete(world, input),
      reactionAdd: (input) => messages.reactionAdd(world, input),
      reactionRemove: (input) => messages.reactionRemove(world, input),
      threadCreate: (input) => messages.threadCreate(world, input),
      memberAdd: (input) => members.memberAdd(world, input),
      memberRemove: (input) => members.memberRemove(world, input),
      chatInputInteraction: (input) => interactions.chatInputInteraction(world, input),
      buttonInteraction: (input) => interactions.componentInteraction(world, input),
      selectMenuInteraction: (input) => interactions.componentInteraction(world, { componentType: ComponentType.StringSelect, ...input }),
      modalSubmitInteraction: (input) => interactions.modalSubmitInteraction(world, input),
      messageContextMenuInteraction: (input) => contextMenus.messageContextMenuInteraction(world, input),
      voiceStateUpdate: (input) => voice.voiceStateUpdate(world, input),
    };
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  // ---- Wiring a client -------------------------------------------------------------------------------------------

  /** Base URL for discord.js' `rest.api` (the client appends /v10). */
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** What GET /gateway/bot hands out; the client appends ?v=10&encoding=json. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /**
   * Client options that point discord.js here. `retries: 0` so a 5xx fails fast instead of being retried
   * three times; 429s are still waited out and retried, as in production.
   */
  clientOptions(): Pick<ClientOptions, "rest"> {
    return { rest: { api: this.restUrl, retries: 0 } };
  }

  get botUserId(): string {
    return this.world.bot.id;
  }

  get applicationId(): string {
    return this.world.applicationId;
  }

  // ---- REST: what the bot did ------------------------------------------------------------------------------------

  get requests(): readonly RecordedRequest[] {
    return this.requestLog.all;
  }

  /** Recorded requests with this method and path (exact decoded path, or a RegExp). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    const matcher = matchRoute(method, path);
    return this.requestLog.all.filter((r) => matcher(r));
  }

  /** The first request (already made or still to come) matching the predicate. */
  waitForRequest(predicate: (req: RecordedRequest) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return this.requestLog.waitFor(predicate, timeoutMs, "REST request");
  }

  /** Resolves once `count` requests match (counting ones already made). */
  waitForRequests(predicate: (req: RecordedRequest) => boolean, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest[]> {
    return this.requestLog.waitForCount(predicate, count, timeoutMs, "REST request");
  }

  // ---- REST: scripting failures ----------------------------------------------------------------------------------

  /** Answers the next `times` matching requests with `response` instead of the normal route. */
  scriptResponse(matcher: MatcherSpec, response: ScriptedResponse, times = 1): void {
    this.scripts.add(toMatcher(matcher), response, times);
  }

  /** The next `times` matching requests get a 429 with Retry-After; @discordjs/rest waits and retries them. */
  rateLimitNext(matcher: MatcherSpec, options: RateLimitOptions & { times?: number }): void {
    this.scripts.add(toMatcher(matcher), rateLimitResponse(options), options.times ?? 1);
  }

  /** The member no longer takes DMs from the bot: posts into their DM channel get 403 50007. */
  closeDirectMessages(userId: string): void {
    this.world.messageGuards.closedDms.add(userId);
  }

  /** Undoes {@link closeDirectMessages}. */
  openDirectMessages(userId: string): void {
    this.world.messageGuards.closedDms.delete(userId);
  }

  /** Messages the bot created in a channel (DMs included), oldest first: what members would see. */
  botMessagesIn(channelId: string): APIMessage[] {
    return [...this.world.messages.values()]
      .filter((m) => m.channel_id === channelId && m.author.id === this.world.bot.id)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /** "allow" (default), "refuse" (403 50013 Missing Permissions) or a per-grant decision. */
  setRoleGrantPolicy(policy: RoleGrantPolicy): void {
    this.effects.roleGrantPolicy = policy;
  }

  // ---- Gateway: what the bot hears -------------------------------------------------------------------------------

  /**
   * Sends a dispatch (op 0) and returns its sequence number. While the connection is down the event is only
   * logged, and goes out when the client RESUMEs, like Discord's own buffering.
   */
  dispatch(t: string, d: unknown): number {
    return this.gateway.dispatch(t, d);
  }

  /** Every dispatch of the current session, READY first, with how often each went over the wire. */
  get dispatches(): readonly DispatchRecord[] {
    return this.gateway.dispatchLog;
  }

  get sessionId(): string | null {
    return this.gateway.sessionId;
  }

  /** Last sequence number used in this session. */
  get sequence(): number {
    return this.gateway.sequence;
  }

  /** Whether the client currently holds a live, identified or resumed connection. */
  get gatewayLive(): boolean {
    return this.gateway.isLive;
  }

  /** Frames the client sent (IDENTIFY, RESUME, heartbeats, ...), in order. */
  get gatewayReceived(): readonly ClientGatewayFrame[] {
    return this.gateway.received.all;
  }

  /** Frames the fake sent, replays marked. */
  get gatewaySent(): readonly SentGatewayFrame[] {
    return this.gateway.sent.all;
  }

  /** Websocket connections so far, with the path and query each used. */
  get gatewayConnections(): readonly GatewayConnection[] {
    return this.gateway.connections;
  }

  /** IDENTIFY payloads (`d`), e.g. to assert intents. */
  get identifies(): { token: string; intents: number; [key: string]: unknown }[] {
    return this.gateway.received.all.filter((f) => f.op === 2).map((f) => f.d as { token: string; intents: number });
  }

  /** RESUME payloads (`d`): `{ token, session_id, seq }`. */
  get resumes(): { token: string; session_id: string; seq: number }[] {
    return this.gateway.received.all.filter((f) => f.op === 6).map((f) => f.d as { token: string; session_id: string; seq: number });
  }

  waitForGatewayFrame(predicate: (frame: ClientGatewayFrame) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<ClientGatewayFrame> {
    return this.gateway.received.waitFor(predicate, timeoutMs, "client gateway frame");
  }

  /** Heartbeat ACKs on/off; off makes discord.js declare a zombie connection and RESUME. */
  set ackHeartbeats(value: boolean) {
    this.gateway.ackHeartbeats = value;
  }

  /**
   * Closes the gateway socket (4000 by default, resumable). The client reconnects ~0.5 s later and RESUMEs; the fake
   * replays what it missed, plus the last `redeliver` events it had already seen (to test duplicate handling).
   */
  async dropConnection(options: { code?: number; mode?: "close" | "terminate"; redeliver?: number } = {}): Promise<void> {
    this.connectionsAtLastDrop = this.gateway.connections.length;
    await this.gateway.dropConnection(options);
  }

  /** Resolves when a RESUMED was sent on a connection opened after the last dropConnection(). */
  waitForResume(timeoutMs = 5_000): Promise<SentGatewayFrame> {
    const after = this.connectionsAtLastDrop;
    return this.gateway.sent.waitFor((f) => f.t === "RESUMED" && f.connection > after, timeoutMs, "RESUMED");
  }

  /** op 7 RECONNECT: the client closes with 4200 and resumes. */
  requestReconnect(): void {
    this.connectionsAtLastDrop = this.gateway.connections.length;
    this.gateway.requestReconnect();
  }

  /** op 9 INVALID_SESSION. */
  invalidateSession(resumable: boolean): void {
    this.gateway.invalidateSession(resumable);
  }

  // ---- Teardown --------------------------------------------------------------------------------------------------

  /** Closes sockets and the server and fails pending waits. Destroy the discord.js client first. */
  async close(): Promise<void> {
    this.requestLog.cancelWaiters("FakeDiscord closed");
    this.scripts.clear();
    await this.gateway.close();
    // discord.js' HTTP agent keeps connections alive; without this, server.close() waits for them to idle out.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
