import { type ClientOptions, GatewayIntentBits, Options, Partials, ShardClientUtil } from "discord.js";

/**
 * How the discord.js Client is built: which events it subscribes to, what it may keep in memory,
 * and where REST goes.
 */

/** Discord's REST base; `DISCORD_API_URL` replaces it (REST proxies, the tests' fake Discord). */
export const DISCORD_API_BASE = "https://discord.com/api";

/**
 * Only what is used. MessageContent is privileged (enable it in the Developer Portal): without it
 * message text arrives empty and thanks in messages go unnoticed. GuildVoiceStates is for talk
 * attendance. GuildMembers (privileged) is not needed: messages and interactions carry the
 * author's member object, roles included.
 */
export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.GuildVoiceStates,
] as const;

/**
 * Partials let events about things discord.js has not cached reach us: a reaction on (or the
 * deletion of) a message from before the bot started, or one evicted from the bounded cache. The
 * engine knows the authors of messages it has seen, so nothing is fetched.
 */
export const PARTIALS = [Partials.Message, Partials.Reaction, Partials.User] as const;

/**
 * Bounded caches. discord.js by default keeps 200 messages per channel and every member and user
 * it ever sees; on a 100 000-member server that grows without end. The adapter reads what it needs
 * from each event's own payload, so most caches can be tiny:
 * - messages and reactions: none — the engine stores authors, and a re-delivered message must
 *   reach the engine anyway (it deduplicates by message id, discord.js's cache only hid it);
 * - members and users: a small working set, always keeping the bot itself;
 * - guilds, channels, threads and roles stay whole: discord.js drops events for channels it does
 *   not know, and they are few.
 */
export function cacheLimits(): NonNullable<ClientOptions["makeCache"]> {
  return Options.cacheWithLimits({
    ...Options.DefaultMakeCacheSettings,
    MessageManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    GuildMemberManager: { maxSize: 500, keepOverLimit: (member) => member.id === member.client.user.id },
    UserManager: { maxSize: 1_000, keepOverLimit: (user) => user.id === user.client.user.id },
    PresenceManager: 0,
    ThreadMemberManager: 0,
    GuildBanManager: 0,
    GuildInviteManager: 0,
    GuildEmojiManager: 0,
    GuildStickerManager: 0,
    BaseGuildEmojiManager: 0,
    ApplicationCommandManager: 0,
    AutoModerationRuleManager: 0,
    GuildScheduledEventManager: 0,
    StageInstanceManager: 0,
    DMMessageManager: 0,
  });
}

/**
 * Sweepers as a second line: the limits above cap each cache's size; these also drop entries that
 * sat unused, so an idle bot shrinks back. Archived threads go after an hour (they come back with
 * THREAD_UPDATE when unarchived).
 */
export function sweepers(): NonNullable<ClientOptions["sweepers"]> {
  return {
    ...Options.DefaultSweeperSettings,
    threads: { interval: 3_600, lifetime: 3_600 },
    users: { interval: 1_800, filter: () => (user) => user.id !== user.client.user.id },
    guildMembers: { interval: 1_800, filter: () => (member) => member.id !== member.client.user.id },
  };
}

/**
 * The gateway shards one process runs (DISCORD_SHARD_IDS of DISCORD_SHARD_COUNT): discord.js's own
 * sharding, several shards in one Client. Discord sends a server's events, interactions included,
 * to one shard only (shard = (server id >> 22) % count), so processes that split the shards between
 * them each see their own servers' activity, and share one Postgres database (docs/scaling.md).
 */
export interface ShardPlan {
  ids: readonly number[];
  count: number;
}

/** Whether a server's events reach this process (always, without a shard plan). */
export function servesGuild(guildId: string, shards: ShardPlan | undefined): boolean {
  if (!shards) return true;
  try {
    return shards.ids.includes(ShardClientUtil.shardIdForGuildId(guildId, shards.count));
  } catch {
    // Not a snowflake: discord.js could not place it on a shard either.
    return false;
  }
}

export function clientOptions(o: { apiUrl?: string | undefined; shards?: ShardPlan | undefined }): ClientOptions {
  return {
    ...(o.shards ? { shards: [...o.shards.ids], shardCount: o.shards.count } : {}),
    intents: [...INTENTS],
    partials: [...PARTIALS],
    makeCache: cacheLimits(),
    sweepers: sweepers(),
    // Nothing the bot says may ping @everyone, roles or members: text from members (a thanks
    // reason) ends up in replies.
    allowedMentions: { parse: [], repliedUser: false },
    rest: {
      api: o.apiUrl ?? DISCORD_API_BASE,
      // @discordjs/rest waits out 429s (Retry-After) itself and retries timeouts and 5xx up to 3
      // times; nothing is retried on top. Posts that must not repeat carry a nonce (outbox.ts).
    },
  };
}
