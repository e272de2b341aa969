import { ChannelType, type Client, DiscordAPIError, GuildScheduledEventEntityType, GuildScheduledEventPrivacyLevel, GuildScheduledEventStatus, PermissionFlagsBits, Routes } from "discord.js";
import type { Community } from "../../engine/communities/community.repo.js";
import type { Engine } from "../../engine/engine.js";
import type { CalendarItem } from "../../engine/talks/calendar-sync.js";
import type { Logger } from "../../log.js";
import { discordCode, isMissingPermission, loggableError } from "./discord-errors.js";
import { discordLiteral } from "./render-reply.js";

/**
 * Talks as Discord Guild Scheduled Events, kept in step with the engine: the engine says which
 * talks are new, changed or cancelled since their event last showed them (`talkCalendar.due`),
 * this creates, edits or cancels each event and reports back, so a failure or a restart simply
 * leaves the talk due for the next pass. A pass over every guild runs at start and once a minute;
 * after a /talk interaction (the way talks change) one runs for that interaction's guild.
 *
 * Without Manage Events the talks still work; the organizers are told once, and the events appear
 * once the permission is granted.
 */
const EVERY_MS = 60_000;

/** Discord error code: Unknown Guild Scheduled Event. */
const UNKNOWN_SCHEDULED_EVENT = 10070;

export class ScheduledEvents {
  private running: Promise<void> | undefined;
  /** What the next pass covers: every guild, or the guilds nudged since the last one. */
  private wanted: "all" | Set<string> = new Set();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: { client: Client<true>; engine: Engine; log: Logger }) {}

  start(): void {
    this.nudge();
    this.timer = setInterval(() => this.nudge(), EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.wanted = new Set();
    await this.running;
  }

  /**
   * Asks for a pass soon over one guild (or, without one, every guild); passes never overlap (a
   * nudge during one makes another after it).
   */
  nudge(guildId?: string): void {
    if (guildId === undefined) this.wanted = "all";
    else if (this.wanted !== "all") this.wanted.add(guildId);
    if (!this.running) this.pass();
  }

  private pass(): void {
    const wanted = this.wanted;
    this.wanted = new Set();
    const guilds = wanted === "all" ? [...this.o.client.guilds.cache.keys()] : [...wanted];
    this.running = this.syncGuilds(guilds)
      .catch((error: unknown) => this.o.log.error({ err: loggableError(error) }, "scheduled events: pass failed"))
      .finally(() => {
        this.running = undefined;
        if (this.wanted === "all" || this.wanted.size > 0) this.pass();
      });
  }

  /** Waits for the pass in progress (and any it queued). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async syncGuilds(guildIds: readonly string[]): Promise<void> {
    for (const guildId of guildIds) await this.syncGuild(guildId);
  }

  private async syncGuild(guildId: string): Promise<void> {
    const { community, items } = await this.o.engine.services.talkCalendar.due({ platform: "discord", workspaceId: guildId });
    if (!community || items.length === 0) return;
    const me = this.o.client.guilds.cache.get(guildId)?.members.me;
    if (me && !me.permissions.has(PermissionFlagsBits.ManageEvents)) return this.tellMissingPermission(community, guildId);
    for (const item of items) {
      try {
        await this.syncOne(guildId, item);
      } catch (error) {
        if (isMissingPermission(error)) return this.tellMissingPermission(community, guildId);
        if (discordCode(error) === UNKNOWN_SCHEDULED_EVENT) {
          // Deleted by hand on Discord: a cancelled talk needs nothing more; a live one gets a new event next pass.
          await this.o.engine.services.talkCalendar.synced(item.talkId, item.cancelled ? item.version : -1, null);
          continue;
        }
        if (refusedForGood(error)) {
          // A 4xx that is neither a rate limit nor a permission: asking again with the same talk
          // gets the same answer, and a talk left due would be asked about on every pass. Recorded
          // as in step (with whatever event it had), it is tried again only once the talk changes.
          await this.o.engine.services.talkCalendar.synced(item.talkId, item.version, item.eventId ?? null);
          this.o.log.warn({ err: loggableError(error), talk: item.talkId }, "scheduled events: Discord refused a talk's event; giving up until the talk changes");
          continue;
        }
        this.o.log.warn({ err: loggableError(error), talk: item.talkId }, "scheduled events: could not sync a talk; trying again later");
      }
    }
  }

  private async syncOne(guildId: string, item: CalendarItem): Promise<void> {
    const rest = this.o.client.rest;
    if (item.cancelled) {
      await rest.patch(Routes.guildScheduledEvent(guildId, item.eventId!), { body: { status: GuildScheduledEventStatus.Canceled } });
      return this.o.engine.services.talkCalendar.synced(item.talkId, item.version, item.eventId!);
    }
    const body = this.body(item);
    // Discord refuses a start in the past, and an event that has begun keeps its start: an edit
    // after the talk began (its title, say) leaves the start as it is.
    if (item.eventId && item.startsAt.getTime() <= this.o.engine.now().getTime()) delete body.scheduled_start_time;
    const event = item.eventId
      ? ((await rest.patch(Routes.guildScheduledEvent(guildId, item.eventId), { body })) as { id: string })
      : ((await rest.post(Routes.guildScheduledEvents(guildId), { body })) as { id: string });
    await this.o.engine.services.talkCalendar.synced(item.talkId, item.version, event.id);
  }

  /** A voice or stage channel holds the event; anything else is an "external" event at the link. */
  private body(item: CalendarItem): Record<string, unknown> {
    const channel = item.channelId ? this.o.client.channels.cache.get(item.channelId) : undefined;
    const base = {
      // What members typed, shown by Discord with markdown: escaped as in any reply (discordLiteral).
      name: literalWithin(item.title, 100),
      description: literalWithin(item.description, 1000),
      privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
      scheduled_start_time: item.startsAt.toISOString(),
      scheduled_end_time: item.endsAt.toISOString(),
    };
    if (channel?.type === ChannelType.GuildVoice || channel?.type === ChannelType.GuildStageVoice) {
      return { ...base, channel_id: channel.id, entity_type: channel.type === ChannelType.GuildStageVoice ? GuildScheduledEventEntityType.StageInstance : GuildScheduledEventEntityType.Voice };
    }
    const where = item.link ?? (channel && "name" in channel ? `#${channel.name}` : "See the talk's announcement");
    return { ...base, channel_id: null, entity_type: GuildScheduledEventEntityType.External, entity_metadata: { location: where.slice(0, 100) } };
  }

  private async tellMissingPermission(community: Community, guildId: string): Promise<void> {
    await this.o.engine.services.talkCalendar.tellOrganizersOnce(community, `discord:no-manage-events:${guildId}`, {
      title: "Talks aren't in Discord's Events tab",
      text: "I can't create Discord events for talks: I need the **Manage Events** permission (Server Settings → Roles). Talks, RSVPs and reminders work without it; once it's granted, upcoming talks appear under Events.",
      tone: "warning",
    });
  }
}

/** Discord answered 4xx for this request itself (not 429, which is waited out and retried). */
function refusedForGood(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/** `text` escaped by {@link discordLiteral} in at most `max` characters: cut before escaping, so no escape is cut in half. */
function literalWithin(text: string, max: number): string {
  let keep = Math.min(text.length, max);
  for (;;) {
    const escaped = discordLiteral(text.slice(0, keep));
    if (escaped.length <= max) return escaped;
    keep -= Math.max(1, escaped.length - max);
  }
}
