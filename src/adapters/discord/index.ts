import { Client, Events, GatewayDispatchEvents, type Guild, type Interaction, MessageFlags, RESTEvents, Status } from "discord.js";
import type { ChatEvent, Interaction as EngineInteraction } from "../../core/events.js";
import { messageActions as declaredMessageActions } from "../../../commands/index.js";
import type { Command, MessageAction } from "../../engine/commands/context.js";
import type { Engine } from "../../engine/engine.js";
import type { Logger } from "../../log.js";
import { clientOptions, DISCORD_API_BASE, servesGuild, type ShardPlan } from "./client-options.js";
import { loggableError } from "./discord-errors.js";
import { containGatewayFailures, destroyClient } from "./gateway-guard.js";
import { InteractionResponder } from "./interaction-responder.js";
import { HonorRoles } from "./honor-roles.js";
import { LevelRewards } from "./level-rewards.js";
import { OrderedTasks } from "./ordered-tasks.js";
import { ShopRoles } from "./shop-roles.js";
import { SolvedTags } from "./solved-tags.js";
import { DEFAULT_START_TIMEOUT_MS, hostOf, logIn } from "./start-up.js";
import { DiscordOutbox, outboxRest } from "./outbox.js";
import { buttonPressed, commandInvoked, formSubmitted, messageActionInvoked } from "./translate-interactions.js";
import { messageCreated, messageDeleted, messageEdited } from "./translate-messages.js";
import { ReactionAuthors, reactionChanged } from "./translate-reactions.js";
import { voiceChanges, voiceSnapshot } from "./translate-voice.js";
import { ScheduledEvents } from "./scheduled-events.js";

/**
 * The Discord adapter: a discord.js Client whose events become neutral events for the engine, and
 * whose interactions are answered with the engine's replies rendered as embeds and components.
 * Translation is in translate-*.ts, rendering in render-*.ts; this file only wires them.
 */
export interface DiscordAdapterOptions {
  engine: Engine;
  commands: readonly Command[];
  /** The message actions registered as message menu entries (default: those in commands/index.ts). */
  messageActions?: readonly MessageAction[];
  log: Logger;
  token: string;
  /** Checked against the token's application at start (commands registered for another app never arrive). */
  appId?: string;
  /** The development server (DISCORD_GUILD_ID): a warning if the bot is not in it. */
  guildId?: string;
  /** REST base, e.g. http://127.0.0.1:PORT/api; Discord's by default. */
  apiUrl?: string;
  /**
   * How long logging in may take before it fails naming the host (default 30 s). A token Discord
   * refuses fails at once, whatever this is.
   */
  startTimeoutMs?: number;
  /** The gateway shards this process runs (DISCORD_SHARD_IDS of DISCORD_SHARD_COUNT); unset: discord.js's default, one shard. */
  shards?: ShardPlan;
}

/** How long stop() waits for events already accepted to be committed and answered. */
const DRAIN_MS = 10_000;

/** A rate-limit wait worth a warning. */
const LONG_RATE_LIMIT_MS = 5_000;

type ActivityEvent = Exclude<ChatEvent, EngineInteraction>;

/** A started Discord adapter. */
export interface DiscordAdapter {
  /** Logged in and every gateway shard ready (false while a shard reconnects or resumes, and after stop). */
  connected(): boolean;
  stop(): Promise<void>;
}

export async function startDiscord(o: DiscordAdapterOptions): Promise<DiscordAdapter> {
  const log = o.log.child({ adapter: "discord" });
  const client = new Client(clientOptions({ apiUrl: o.apiUrl, shards: o.shards }));
  // A payload discord.js cannot handle costs that event only (gateway-guard.ts); the payload is not logged.
  containGatewayFailures(client, (event, error) => log.error({ event, err: loggableError(error) }, "discord.js failed on a gateway event; skipped it"));
  let stopped = false;
  const tasks = new OrderedTasks((error, task) => {
    // Work still running when stop() gave up fails against the closed client; what it left undone
    // (an announcement, a role) is caught up at the next start.
    if (stopped) log.debug({ err: loggableError(error), task }, "abandoned at stop");
    else log.error({ err: loggableError(error), task }, "discord event failed");
  });
  const authors = new ReactionAuthors();
  const responder = new InteractionResponder(log);
  const rewards = new LevelRewards({ engine: o.engine, rest: client.rest, log });
  const honorRoles = new HonorRoles({ rest: client.rest, log });
  const solvedTags = new SolvedTags({ rest: client.rest, log });
  // Shop rewards' roles (an engine without the economy has none).
  const shopService = (o.engine.services as Partial<typeof o.engine.services> | undefined)?.shop;
  const shopRoles = shopService && new ShopRoles({ shop: shopService, rest: client.rest, log, inGuild: (id) => client.guilds.cache.has(id) });
  // Discord sends a menu entry's use back by its name (command-registration.ts registers each action by name).
  const actionsByName = new Map((o.messageActions ?? declaredMessageActions).map((a) => [a.name, a]));
  let accepting = true;

  /** Activity of one channel reaches the engine in the order Discord sent it, each committed before the next. */
  const ingest = (channelId: string, event: ActivityEvent | undefined): void => {
    if (!accepting || !event) return;
    tasks.inOrder(channelId, event.key, async () => {
      const outcome = await o.engine.ingest(event);
      // Discord delivers at least once (RESUME replays, retries): expected, and harmless.
      if (outcome.duplicate) log.debug({ event: event.key }, "delivered again; already counted");
    });
  };

  client.on(Events.MessageCreate, (message) => ingest(message.channelId, messageCreated(message)));
  client.on(Events.MessageUpdate, (_old, message) => ingest(message.channelId, messageEdited(message)));
  // Discord gives deletions and reactions no time of their own: they happen "now" by the engine's clock.
  client.on(Events.MessageDelete, (message) => ingest(message.channelId, messageDeleted(message, o.engine.now())));
  client.on(Events.MessageBulkDelete, (messages) => {
    for (const message of messages.values()) ingest(message.channelId, messageDeleted(message, o.engine.now()));
  });
  // discord.js drops the reacted message's author; the raw dispatch, emitted just before, has it.
  client.ws.on(GatewayDispatchEvents.MessageReactionAdd, (data: unknown) => authors.remember(data));
  client.on(Events.MessageReactionAdd, (reaction, user) =>
    ingest(reaction.message.channelId, reactionChanged(reaction, user, true, { authors, now: o.engine.now() })),
  );
  client.on(Events.MessageReactionRemove, (reaction, user) =>
    ingest(reaction.message.channelId, reactionChanged(reaction, user, false, { authors, now: o.engine.now() })),
  );

  // Voice changes of a guild stay in order (a move is a left then a joined), and so do the snapshots
  // of who is in voice there: keyed by guild, not member, because a snapshot concerns every member.
  // Voice changes are rare next to messages; one chain per guild costs nothing worth measuring.
  client.on(Events.VoiceStateUpdate, (before, after) => {
    for (const event of voiceChanges(before, after, o.engine.now())) ingest(`voice:${after.guild.id}`, event);
  });
  // Who is in voice, from each GUILD_CREATE (discord.js has just replaced the guild's voice states
  // with its list): at start, after a re-identify (READY marks every guild unavailable, then each
  // GUILD_CREATE makes it available again), after a guild's outage, and when the bot joins a guild.
  // Joins and leaves missed meanwhile are reconciled in the engine, which credits no unseen time.
  const snapshotVoice = (guild: Guild): void => {
    if (!accepting) return;
    const present = voiceSnapshot(guild);
    tasks.inOrder(`voice:${guild.id}`, `voice snapshot ${guild.id}`, () => o.engine.services.talks.voiceSnapshot({ platform: "discord", workspaceId: guild.id }, present));
  };
  client.on(Events.GuildAvailable, snapshotVoice);
  client.on(Events.GuildCreate, snapshotVoice);

  // Talks change through /talk interactions: that guild's Discord events follow after each one.
  let scheduledEvents: ScheduledEvents | undefined;
  client.on(Events.InteractionCreate, (interaction) => {
    if (!accepting) return;
    const talkGuild = changesTalks(interaction) ? interaction.guildId : null;
    tasks.detached(`interaction ${interaction.id}`, () => answer(interaction).finally(() => talkGuild && scheduledEvents?.nudge(talkGuild)));
  });

  async function answer(interaction: Interaction): Promise<void> {
    if (!interaction.isRepliable()) return;
    const guildId = interaction.guildId;
    if (!guildId || !interaction.inGuild()) {
      // Commands are registered for servers only; an old DM registration may still send one.
      return void (await interaction.reply({ content: "guildkeeper works inside a server.", flags: MessageFlags.Ephemeral }));
    }
    if (interaction.isChatInputCommand()) {
      const event = commandInvoked(interaction, guildId);
      return responder.answer(interaction, guildId, event.key, o.engine.command(event));
    }
    const action = interaction.isMessageContextMenuCommand() ? actionsByName.get(interaction.commandName) : undefined;
    if (action && interaction.isMessageContextMenuCommand()) {
      const event = messageActionInvoked(interaction, guildId, action.id);
      return responder.answer(interaction, guildId, event.key, o.engine.messageAction(event));
    }
    if (interaction.isButton()) {
      const event = buttonPressed(interaction, guildId);
      return responder.answerPress(interaction, guildId, event.key, o.engine.press(event));
    }
    if (interaction.isModalSubmit()) {
      const event = formSubmitted(interaction, guildId);
      return responder.answer(interaction, guildId, event.key, o.engine.submit(event));
    }
    // A menu item or component from an older version of the bot: say so rather than "did not respond".
    await interaction.reply({ content: "That no longer does anything.", flags: MessageFlags.Ephemeral });
  }

  // Role rewards for level-ups reached after stop() are granted at the member's next level-up.
  const stopLevelRewards = o.engine.onLevelUp((levelUp) => {
    if (accepting) tasks.detached(`level-up ${levelUp.memberId} ${levelUp.level}`, () => rewards.onLevelUp(levelUp));
  });
  // The digest's honor roles move to each week's winners (an engine without the digest has none).
  const stopHonorRoles = (o.engine.services as Partial<typeof o.engine.services> | undefined)?.digest?.onHonors((awarded) => {
    if (accepting) tasks.detached(`honor roles ${awarded.week}`, () => honorRoles.onHonors(awarded));
  });
  // A purchase's role is granted once its order has committed; what is missed is caught up at start.
  const stopShopRoles = shopService?.onGrant((grant) => {
    if (accepting) tasks.detached(`shop order ${grant.order.id}`, () => shopRoles!.grant(grant));
  });
  // A solved forum post gets its forum's "Solved" tag (an engine without knowledge has none).
  const stopSolvedTags = (o.engine.services as Partial<typeof o.engine.services> | undefined)?.knowledge?.onChange((change) => {
    if (accepting) tasks.detached(`solved tag ${change.questionKey}`, () => solvedTags.onChange(change));
  });
  const stopLevelUps = () => {
    stopLevelRewards();
    stopHonorRoles?.();
    stopShopRoles?.();
    stopSolvedTags?.();
  };

  client.on(Events.Warn, (message) => log.warn({ message }, "discord.js warning"));
  client.on(Events.Error, (error) => log.error({ err: loggableError(error) }, "discord.js error"));
  client.on(Events.ShardDisconnect, (event) => log.warn({ code: event.code }, "gateway closed and will not reconnect"));
  client.on(Events.ShardResume, (_shard, replayed) => log.info({ replayed }, "gateway resumed"));
  // @discordjs/rest waits out 429s (Retry-After) and its own 50 requests/s budget; short waits are
  // routine under load. Only the route template is logged: an interaction URL contains its token.
  client.rest.on(RESTEvents.RateLimited, (info) => {
    o.engine.telemetry.rateLimited("discord");
    const details = { method: info.method, route: info.route, retryAfterMs: info.retryAfter, global: info.global, scope: info.scope };
    if (info.retryAfter > LONG_RATE_LIMIT_MS) log.warn(details, "rate limited by Discord; waiting");
    else log.debug(details, "rate limited; waiting");
  });

  try {
    await logIn(client, o.token, { host: hostOf(o.apiUrl ?? DISCORD_API_BASE), timeoutMs: o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS });
  } catch (error) {
    // A refused token, an unreachable or silent API: stop the client's retries and reconnects, then report.
    stopLevelUps();
    await destroyClient(client);
    throw error;
  }
  const guildIds = [...client.guilds.cache.keys()];
  log.info({ user: client.user?.id, guilds: guildIds.length, ...(o.shards ? { shards: o.shards.ids, shardCount: o.shards.count } : {}) }, "connected to Discord");
  if (o.appId && client.application?.id !== o.appId) {
    log.warn({ appId: o.appId, tokenAppId: client.application?.id }, "DISCORD_APP_ID is not the token's application: commands registered for it will not reach this bot");
  }
  // With shards split between processes, a server on another process's shard is not in this one's list.
  if (o.guildId && servesGuild(o.guildId, o.shards) && !guildIds.includes(o.guildId)) log.warn({ guild: o.guildId }, "DISCORD_GUILD_ID names a server the bot is not in; invite it with npm run discord:invite");
  // What the engine says on its own (level-ups, notices) goes out through this platform's outbox.
  // Its own REST client: it answers 429s instead of waiting them out, so the loop can reschedule.
  o.engine.registerOutbox(new DiscordOutbox(outboxRest({ token: o.token, ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}), onRateLimited: () => o.engine.telemetry.rateLimited("discord") }), log));
  scheduledEvents = new ScheduledEvents({ client: client as Client<true>, engine: o.engine, log });
  scheduledEvents.start();
  // Orders committed while no adapter was listening (a stop, a crash between commit and grant).
  if (shopRoles) tasks.detached("shop roles catch-up", () => shopRoles.catchUp());

  return {
    connected: () => client.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready),
    async stop() {
      if (!accepting) return;
      accepting = false;
      stopLevelUps();
      await tasks.idle(DRAIN_MS);
      await scheduledEvents?.stop();
      if (tasks.size > 0) log.warn({ unfinished: tasks.size }, "stopping with Discord work unfinished; it is caught up at the next start");
      stopped = true;
      await destroyClient(client);
    },
  };
}

/** A /talk command, or a button or dialog of one (their ids start `talk:`): what can change a talk. */
function changesTalks(interaction: Interaction): boolean {
  if (interaction.isChatInputCommand()) return interaction.commandName === "talk";
  if (interaction.isButton() || interaction.isModalSubmit()) return interaction.customId.startsWith("talk:");
  return false;
}
