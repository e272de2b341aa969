/**
 * Guild, member, role, user, application-command and gateway-discovery routes.
 * Error codes are Discord's (docs: topics/opcodes-and-status-codes#json): 10004 Unknown Guild, 10007 Unknown Member,
 * 10011 Unknown Role, 10013 Unknown User, 50013 Missing Permissions.
 */
import type { APIApplicationCommand, APIGuildMember } from "discord.js";
import { apiError, route, type RestEffects, type Route, type RouteResponse } from "./router.js";
import type { FakeWorld, GuildState } from "../world.js";

interface CommandBody {
  name: string;
  type?: number;
  description?: string;
  options?: unknown[];
  default_member_permissions?: string | null;
  [key: string]: unknown;
}

function registerCommands(world: FakeWorld, scope: string, body: unknown, replace: boolean): APIApplicationCommand[] {
  const sent = (Array.isArray(body) ? body : [body]) as CommandBody[];
  const registered = sent.map(
    (c) =>
      ({
        ...c,
        id: world.idForCommand(scope, c.name),
        application_id: world.applicationId,
        ...(scope !== "global" && { guild_id: scope }),
        type: c.type ?? 1,
        description: c.description ?? "",
        default_member_permissions: c.default_member_permissions ?? null,
        version: world.ids.next(),
      }) as APIApplicationCommand,
  );
  const kept = replace ? [] : (world.commands.get(scope) ?? []).filter((c) => !registered.some((r) => r.name === c.name));
  world.commands.set(scope, [...kept, ...registered]);
  return registered;
}

function guildOr404(world: FakeWorld, guildId: string | undefined): GuildState | RouteResponse {
  const guild = guildId ? world.guilds.get(guildId) : undefined;
  return guild ?? apiError(404, 10004, "Unknown Guild");
}

function isResponse(value: GuildState | RouteResponse): value is RouteResponse {
  return "status" in value;
}

/**
 * Whether the bot may hand out this role: the configured policy, then Discord's own rule that a bot can only
 * manage roles strictly below its highest role.
 */
function mayManageRole(world: FakeWorld, effects: RestEffects, guild: GuildState, userId: string, roleId: string): boolean {
  const policy = effects.roleGrantPolicy;
  const allowed = policy === "allow" ? true : policy === "refuse" ? false : policy({ guildId: guild.id, userId, roleId });
  if (!allowed) return false;
  const position = (id: string): number => guild.roles.find((r) => r.id === id)?.position ?? 0;
  const botTop = Math.max(0, ...world.member(guild.id, world.bot.id).roles.map(position));
  return position(roleId) < botTop;
}

function memberUpdateEvent(guildId: string, member: APIGuildMember): unknown {
  return { guild_id: guildId, ...member };
}

function changeRole(world: FakeWorld, effects: RestEffects, params: Record<string, string>, grant: boolean): RouteResponse {
  const guild = guildOr404(world, params.guild);
  if (isResponse(guild)) return guild;
  const userId = params.user ?? "";
  const roleId = params.role ?? "";
  if (!guild.roles.some((r) => r.id === roleId)) return apiError(404, 10011, "Unknown Role");
  if (!guild.members.has(userId)) return apiError(404, 10007, "Unknown Member");
  if (!mayManageRole(world, effects, guild, userId, roleId)) return apiError(403, 50013, "Missing Permissions");
  if (grant) world.grantRole(guild.id, userId, roleId);
  else world.revokeRole(guild.id, userId, roleId);
  const member = world.member(guild.id, userId);
  return { status: 204, after: () => effects.echo("GUILD_MEMBER_UPDATE", memberUpdateEvent(guild.id, member)) };
}

export const guildRoutes: Route[] = [
  route("GET", "/gateway/bot", (_req, _world, effects) => ({
    status: 200,
    body: {
      url: effects.gatewayUrl(),
      shards: 1,
      // max_concurrency 1 is what a small bot gets; remaining must be >= shard count or discord.js refuses to connect.
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    },
  })),
  route("GET", "/gateway", (_req, _world, effects) => ({ status: 200, body: { url: effects.gatewayUrl() } })),

  route("GET", "/users/@me", (_req, world) => ({ status: 200, body: world.bot })),
  route("GET", "/users/:user", ({ params }, world) => {
    const user = world.users.get(params.user ?? "");
    return user ? { status: 200, body: user } : apiError(404, 10013, "Unknown User");
  }),

  route("GET", "/applications/@me", (_req, world) => ({
    status: 200,
    body: { id: world.applicationId, name: world.bot.username, icon: null, description: "", bot_public: true, bot_require_code_grant: false, verify_key: "0".repeat(64), flags: 0, bot: world.bot },
  })),

  route("PUT", "/applications/:app/commands", ({ body }, world) => ({ status: 200, body: registerCommands(world, "global", body, true) })),
  route("POST", "/applications/:app/commands", ({ body }, world) => ({ status: 201, body: registerCommands(world, "global", body, false)[0] })),
  route("GET", "/applications/:app/commands", (_req, world) => ({ status: 200, body: world.commands.get("global") ?? [] })),
  route("PUT", "/applications/:app/guilds/:guild/commands", ({ params, body }, world) => {
    const guild = guildOr404(world, params.guild);
    return isResponse(guild) ? guild : { status: 200, body: registerCommands(world, guild.id, body, true) };
  }),
  route("POST", "/applications/:app/guilds/:guild/commands", ({ params, body }, world) => {
    const guild = guildOr404(world, params.guild);
    return isResponse(guild) ? guild : { status: 201, body: registerCommands(world, guild.id, body, false)[0] };
  }),
  route("GET", "/applications/:app/guilds/:guild/commands", ({ params }, world) => ({ status: 200, body: world.commands.get(params.guild ?? "") ?? [] })),

  route("GET", "/guilds/:guild", ({ params }, world) => {
    const guild = guildOr404(world, params.guild);
    if (isResponse(guild)) return guild;
    const { members: _m, channels: _c, threads: _t, presences: _p, voice_states: _v, ...rest } = world.guildCreatePayload(guild.id);
    return { status: 200, body: rest };
  }),
  route("GET", "/guilds/:guild/roles", ({ params }, world) => {
    const guild = guildOr404(world, params.guild);
    return isResponse(guild) ? guild : { status: 200, body: guild.roles };
  }),
  route("GET", "/guilds/:guild/channels", ({ params }, world) => {
    const guild = guildOr404(world, params.guild);
    return isResponse(guild) ? guild : { status: 200, body: guild.channelIds.map((id) => world.channel(id)?.api) };
  }),
  route("GET", "/guilds/:guild/members", ({ params, query }, world) => {
    const guild = guildOr404(world, params.guild);
    if (isResponse(guild)) return guild;
    const after = BigInt(query.get("after") ?? "0");
    const limit = Number(query.get("limit") ?? 1);
    const members = [...guild.members.values()].filter((m) => BigInt(m.user.id) > after).slice(0, limit);
    return { status: 200, body: members };
  }),
  route("GET", "/guilds/:guild/members/:user", ({ params }, world) => {
    const guild = guildOr404(world, params.guild);
    if (isResponse(guild)) return guild;
    const member = guild.members.get(params.user ?? "");
    return member ? { status: 200, body: member } : apiError(404, 10007, "Unknown Member");
  }),
  // member.edit(): discord.js uses this for roles.add([...]) / roles.set / setNickname / timeout.
  route("PATCH", "/guilds/:guild/members/:user", ({ params, body }, world, effects) => {
    const guild = guildOr404(world, params.guild);
    if (isResponse(guild)) return guild;
    const member = guild.members.get(params.user ?? "");
    if (!member) return apiError(404, 10007, "Unknown Member");
    const patch = (body ?? {}) as { roles?: string[]; nick?: string | null; communication_disabled_until?: string | null };
    if (patch.roles) {
      const changed = [...patch.roles.filter((r) => !member.roles.includes(r)), ...member.roles.filter((r) => !patch.roles?.includes(r))];
      if (changed.some((roleId) => !guild.roles.some((r) => r.id === roleId))) return apiError(404, 10011, "Unknown Role");
      if (changed.some((roleId) => !mayManageRole(world, effects, guild, member.user.id, roleId))) return apiError(403, 50013, "Missing Permissions");
      member.roles = [...patch.roles];
    }
    if (patch.nick !== undefined) member.nick = patch.nick;
    if (patch.communication_disabled_until !== undefined) member.communication_disabled_until = patch.communication_disabled_until;
    return { status: 200, body: member, after: () => effects.echo("GUILD_MEMBER_UPDATE", memberUpdateEvent(guild.id, member)) };
  }),
  // Kick. Discord refuses to act on the owner (and on anyone above the bot), with 50013.
  route("DELETE", "/guilds/:guild/members/:user", ({ params }, world, effects) => {
    const guild = guildOr404(world, params.guild);
    if (isResponse(guild)) return guild;
    const member = guild.members.get(params.user ?? "");
    if (!member) return apiError(404, 10007, "Unknown Member");
    if (member.user.id === guild.ownerId) return apiError(403, 50013, "Missing Permissions");
    guild.members.delete(member.user.id);
    return { status: 204, after: () => effects.echo("GUILD_MEMBER_REMOVE", { guild_id: guild.id, user: member.user }) };
  }),
  route("PUT", "/guilds/:guild/bans/:user", ({ params }, world, effects) => {
    const guild = guildOr404(world, params.guild);
    if (isResponse(guild)) return guild;
    const userId = params.user ?? "";
    if (userId === guild.ownerId) return apiError(403, 50013, "Missing Permissions");
    const member = guild.members.get(userId);
    guild.bans.add(userId);
    guild.members.delete(userId);
    return {
      status: 204,
      after: () => {
        effects.echo("GUILD_BAN_ADD", { guild_id: guild.id, user: world.user(userId) });
        if (member) effects.echo("GUILD_MEMBER_REMOVE", { guild_id: guild.id, user: member.user });
      },
    };
  }),
  route("DELETE", "/guilds/:guild/bans/:user", ({ params }, world, effects) => {
    const guild = guildOr404(world, params.guild);
    if (isResponse(guild)) return guild;
    const userId = params.user ?? "";
    if (!guild.bans.delete(userId)) return apiError(404, 10026, "Unknown Ban");
    return { status: 204, after: () => effects.echo("GUILD_BAN_REMOVE", { guild_id: guild.id, user: world.user(userId) }) };
  }),
  route("PUT", "/guilds/:guild/members/:user/roles/:role", ({ params }, world, effects) => changeRole(world, effects, params, true)),
  route("DELETE", "/guilds/:guild/members/:user/roles/:role", ({ params }, world, effects) => changeRole(world, effects, params, false)),
];
