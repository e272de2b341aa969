/**
 * Who the fake Slack workspace is: team, app, bot identity, tokens, seed data.
 *
 * Defaults are fixed (not random) so failures are readable and ids can be
 * pasted between a test and its payloads. Every value can be overridden.
 */

export interface FakeUser {
  id: string;
  /** Slack's legacy `name` (handle). Defaults to a lowercase form of the id. */
  name?: string;
  realName?: string;
  displayName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isBot?: boolean;
  isRestricted?: boolean;
  deleted?: boolean;
  /** Only for bot users: the B... id that appears as `bot_id` on their messages. */
  botId?: string;
  tz?: string;
  email?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the bot is in the channel; Slack reports it as `is_member`. */
  isMember?: boolean;
  topic?: string;
  purpose?: string;
  numMembers?: number;
}

export interface FakeSlackOptions {
  team?: { id?: string; domain?: string; name?: string };
  appId?: string;
  bot?: { userId?: string; botId?: string; name?: string; token?: string };
  /** App-level token (xapp-...) used for Socket Mode's apps.connections.open. */
  appToken?: string;
  /** Secret shared with the Bolt HTTP receiver; used by the HTTP-mode helpers. */
  signingSecret?: string;
  /** Deprecated verification token Slack still puts in payloads as `token`. */
  verificationToken?: string;
  /** Extra tokens the fake accepts (e.g. user tokens). */
  extraTokens?: string[];
  /**
   * When true (default) calls without a token get `not_authed`, unknown tokens
   * `invalid_auth`, and the app token is only accepted by apps.connections.open
   * (`not_allowed_token_type` elsewhere), as on real Slack.
   */
  strictTokens?: boolean;
  users?: FakeUser[];
  channels?: FakeChannel[];
  /** usergroup id (S...) -> member user ids. */
  usergroups?: Record<string, string[]>;
  /** How long `sendEnvelope` waits for an ack before rejecting. Default 3000ms (Slack's ack window). */
  ackTimeoutMs?: number;
  /** Default timeout for `waitForCall` / `waitForResponse` / `waitForConnection`. Default 2000ms. */
  waitTimeoutMs?: number;
  /**
   * The fake pings Socket Mode clients this often. @slack/socket-mode drops a
   * connection that has not been pinged for `serverPingTimeout` (30s default).
   */
  serverPingIntervalMs?: number;
}

export interface FakeSlackConfig {
  team: { id: string; domain: string; name: string };
  appId: string;
  bot: { userId: string; botId: string; name: string; token: string };
  appToken: string;
  signingSecret: string;
  verificationToken: string;
  extraTokens: string[];
  strictTokens: boolean;
  ackTimeoutMs: number;
  waitTimeoutMs: number;
  serverPingIntervalMs: number;
}

export function resolveConfig(opts: FakeSlackOptions): FakeSlackConfig {
  return {
    team: {
      id: opts.team?.id ?? 'T0GUILD001',
      domain: opts.team?.domain ?? 'guildkeeper-test',
      name: opts.team?.name ?? 'Guildkeeper Test',
    },
    appId: opts.appId ?? 'A0GUILDKPR',
    bot: {
      userId: opts.bot?.userId ?? 'U0GKBOT001',
      botId: opts.bot?.botId ?? 'B0GKBOT001',
      name: opts.bot?.name ?? 'guildkeeper',
      token: opts.bot?.token ?? 'xoxb-0000000001-0000000002-fakebottoken',
    },
    appToken: opts.appToken ?? 'xapp-1-A0GUILDKPR-0000000003-fakeapptoken',
    signingSecret: opts.signingSecret ?? 'fake-signing-secret-0123456789abcdef',
    verificationToken: opts.verificationToken ?? 'fakeVerificationToken0001',
    extraTokens: opts.extraTokens ?? [],
    strictTokens: opts.strictTokens ?? true,
    ackTimeoutMs: opts.ackTimeoutMs ?? 3000,
    waitTimeoutMs: opts.waitTimeoutMs ?? 2000,
    serverPingIntervalMs: opts.serverPingIntervalMs ?? 10_000,
  };
}
