/**
 * What a test says about the world the fake pretends to be: the bot, its application and its guilds.
 * Everything is optional except ids, so a test only spells out what it asserts on.
 */

/** A channel kind by name, so specs read well; mapped to Discord's numeric ChannelType in world.ts. */
export type FakeChannelKind = "text" | "announcement" | "forum" | "voice" | "category" | "public_thread" | "private_thread";

export interface FakeChannelSpec {
  id: string;
  name?: string;
  /** Defaults to "text"; threads must say "public_thread" or "private_thread" and give `parentId`. */
  kind?: FakeChannelKind;
  /** For threads: the channel the thread hangs off. For channels: the category. */
  parentId?: string;
  /** Thread owner (the user who started it); defaults to the bot. */
  ownerId?: string;
  archived?: boolean;
  topic?: string;
  /** For forums: the tags posts may carry (`available_tags`). */
  tags?: { id: string; name: string }[];
}

export interface FakeRoleSpec {
  id: string;
  name?: string;
  /** Permission bitfield; defaults to "0". */
  permissions?: bigint | string;
  position?: number;
  color?: number;
  /** A managed role (e.g. the bot's own integration role). */
  managed?: boolean;
}

export interface FakeMemberSpec {
  userId: string;
  username?: string;
  globalName?: string;
  nick?: string;
  /** Role ids (without @everyone, which Discord never lists). */
  roles?: string[];
  bot?: boolean;
  /** ISO time; defaults to a fixed date well in the past. */
  joinedAt?: string;
}

export interface FakeGuildSpec {
  id: string;
  name?: string;
  /** Defaults to the first member that is not the bot, else the bot. */
  ownerId?: string;
  channels?: FakeChannelSpec[];
  roles?: FakeRoleSpec[];
  members?: FakeMemberSpec[];
  /** Permissions of @everyone (whose role id is the guild id). Defaults to a normal member's set. */
  everyonePermissions?: bigint | string;
}

export interface FakeDiscordOptions {
  botUserId?: string;
  botUsername?: string;
  applicationId?: string;
  guilds?: FakeGuildSpec[];
  /**
   * Permissions of the bot's managed role in each guild. Defaults to a realistic bot set
   * (view, send, embed, read history, add reactions, manage roles, manage messages, threads).
   */
  botPermissions?: bigint | string;
  /** Gateway heartbeat interval sent in HELLO. Real Discord sends ~41250 ms; tests of zombie handling can lower it. */
  heartbeatIntervalMs?: number;
  /**
   * Real Discord echoes every message the bot creates (channel POSTs, non-ephemeral interaction replies and follow-ups)
   * back over the gateway as MESSAGE_CREATE. On by default, because a bot that forgets to ignore itself should fail here.
   */
  echoBotMessages?: boolean;
  /**
   * The bot token the fake accepts. When set, REST calls with another token get 401 and an IDENTIFY with another
   * token is closed with 4004 (Authentication failed). When unset, any token is accepted (but REST still needs one).
   */
  token?: string;
  /**
   * Refuse test dispatches the client did not subscribe to (intents) and blank message content without the
   * MessageContent intent, as Discord does. On by default.
   */
  enforceIntents?: boolean;
  /** Log every gateway frame and REST request to stderr (debugging aid). */
  verbose?: boolean;
  /**
   * How long a message create's `nonce` is remembered for `enforce_nonce` (Discord: "the past few minutes").
   * Default 3 minutes, measured with Date.now().
   */
  nonceWindowMs?: number;
}

/** A file part of a multipart REST body (attachments). */
export interface RecordedFile {
  /** Form field name, e.g. "files[0]". */
  field: string;
  filename: string | null;
  contentType: string | null;
  size: number;
  /** Body decoded as UTF-8; fine for text fixtures. */
  text: string;
  /** The bytes as sent, for binary files (a PNG to decode). */
  data: Buffer;
}

export interface RecordedRequest {
  /** Position in the log, from 0. */
  index: number;
  method: string;
  /**
   * Path with the `/api/v10` prefix stripped and every segment URL-decoded, so `%40original` reads `@original`
   * and a reaction emoji reads as the emoji itself. `rawPath` keeps the bytes as sent.
   */
  path: string;
  rawPath: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Whether an Authorization header was sent (interaction callbacks and webhooks send none). */
  authorized: boolean;
  /** X-Audit-Log-Reason, decoded, when present. */
  auditLogReason: string | null;
  /** Parsed JSON body; for multipart bodies the parsed `payload_json` part; null when there was no body. */
  body: unknown;
  files: RecordedFile[];
  /** The status the fake answered with. */
  status: number;
  at: number;
}

/** A canned answer for a route, used by `FakeDiscord.scriptResponse` (e.g. a 429 or a 500). */
export interface ScriptedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RequestMatcher = (req: { method: string; path: string }) => boolean;

/** One frame the client sent on the gateway. */
export interface ClientGatewayFrame {
  op: number;
  d: unknown;
  at: number;
  /** Which socket (connection number, from 1) it arrived on. */
  connection: number;
}

/** One dispatch the fake sent (or will replay): the gateway's op 0. */
export interface DispatchRecord {
  s: number;
  t: string;
  d: unknown;
  /** How many times it went over a socket: 1 normally, 2+ after a RESUME replayed it. */
  sentCount: number;
}
