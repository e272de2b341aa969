/**
 * Guild Scheduled Events: create, edit (including status 4, cancel) and list. Shapes: Discord docs
 * resources/guild-scheduled-event (create needs name, privacy_level, scheduled_start_time and
 * entity_type; EXTERNAL needs entity_metadata.location and scheduled_end_time; VOICE and
 * STAGE_INSTANCE need channel_id). Missing Manage Events answers 50013; an unknown event 10070.
 */
import { PermissionFlagsBits } from "discord.js";
import { apiError, route, type Route, type RouteResponse } from "./router.js";
import type { FakeWorld } from "../world.js";

export interface FakeScheduledEvent {
  id: string;
  guild_id: string;
  name: string;
  description?: string;
  channel_id: string | null;
  entity_type: number;
  entity_metadata?: { location?: string } | null;
  scheduled_start_time: string;
  scheduled_end_time?: string | null;
  privacy_level: number;
  status: number;
}

const events = new WeakMap<FakeWorld, Map<string, FakeScheduledEvent>>();

/** The scheduled events the bot created in this fake's world, by id. */
export function scheduledEventsOf(world: FakeWorld): Map<string, FakeScheduledEvent> {
  let map = events.get(world);
  if (!map) events.set(world, (map = new Map()));
  return map;
}

const refusals = new WeakMap<FakeWorld, (body: Partial<FakeScheduledEvent>) => RouteResponse | undefined>();

/**
 * Makes the fake refuse some creates and edits as Discord would for a reason of its own (a start in
 * the past, a name it does not accept): `decide` sees the body and returns the error, or undefined.
 */
export function refuseScheduledEvents(world: FakeWorld, decide: (body: Partial<FakeScheduledEvent>) => RouteResponse | undefined): void {
  refusals.set(world, decide);
}

function mayManage(world: FakeWorld, guildId: string): boolean {
  return (world.memberPermissions(guildId, world.bot.id) & PermissionFlagsBits.ManageEvents) !== 0n;
}

export const scheduledEventRoutes: Route[] = [
  route("POST", "/guilds/:guild/scheduled-events", ({ params, body }, world) => {
    const guildId = params.guild ?? "";
    if (!world.guilds.has(guildId)) return apiError(404, 10004, "Unknown Guild");
    if (!mayManage(world, guildId)) return apiError(403, 50013, "Missing Permissions");
    const b = body as Partial<FakeScheduledEvent>;
    const refused = refusals.get(world)?.(b);
    if (refused) return refused;
    if (!b.name || !b.scheduled_start_time || !b.entity_type || !b.privacy_level) return apiError(400, 50035, "Invalid Form Body");
    if (b.entity_type === 3 && (!b.entity_metadata?.location || !b.scheduled_end_time)) return apiError(400, 50035, "Invalid Form Body");
    if (b.entity_type !== 3 && !b.channel_id) return apiError(400, 50035, "Invalid Form Body");
    const event: FakeScheduledEvent = { ...(b as FakeScheduledEvent), id: world.ids.next(), guild_id: guildId, status: 1 };
    scheduledEventsOf(world).set(event.id, event);
    return { status: 200, body: event };
  }),
  route("PATCH", "/guilds/:guild/scheduled-events/:event", ({ params, body }, world) => {
    const guildId = params.guild ?? "";
    if (!mayManage(world, guildId)) return apiError(403, 50013, "Missing Permissions");
    const event = scheduledEventsOf(world).get(params.event ?? "");
    if (!event || event.guild_id !== guildId) return apiError(404, 10070, "Unknown Guild Scheduled Event");
    const refused = refusals.get(world)?.(body as Partial<FakeScheduledEvent>);
    if (refused) return refused;
    Object.assign(event, body as Partial<FakeScheduledEvent>);
    return { status: 200, body: event };
  }),
  route("GET", "/guilds/:guild/scheduled-events", ({ params }, world) => ({ status: 200, body: [...scheduledEventsOf(world).values()].filter((e) => e.guild_id === params.guild) })),
];
