import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Platform } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import { findCommunityByWorkspace, insertCommunity, linkWorkspace } from "../../engine/communities/community.repo.js";
import { settingsSchema } from "../../engine/communities/settings.js";
import { chooseCommunity, type CommunityRecord } from "../community-choice.js";
import type { Parsed, XpFile } from "./xp-file.js";

/** A workspace (Discord server, Slack team, console) as `community_workspaces` holds it. */
export interface Workspace {
  platform: Platform;
  workspaceId: string;
}

/**
 * Which community an XP file's points go to, and how its bare user ids become member ids. Either
 * an existing community, or one the import creates for the file's Discord server — exactly what
 * the bot does when it first sees a server, so importing before the first start works.
 */
export interface XpTarget {
  community?: CommunityRecord;
  /** No community has this workspace yet: the import creates one (not in a dry run). */
  create?: Workspace;
  /** The workspaces the community has (or will have). */
  workspaces: Workspace[];
  /** Where bare user ids belong: the file's server, or the community's only workspace. */
  home?: Workspace;
}

/** The flags that choose a community: `--community`, `--guild`. */
export interface TargetFlags {
  community?: string;
  guild?: string;
}

/**
 * `--community`, else the Discord server the file names (or `--guild`), else the only community:
 * the same choice `npm run talks:ics` makes, with the server as a further hint.
 */
export async function resolveXpTarget(db: Kysely<Database>, file: XpFile, flags: TargetFlags): Promise<Parsed<XpTarget>> {
  if (flags.guild !== undefined && file.guildId !== undefined && flags.guild !== file.guildId) {
    return { ok: false, error: `The file is the leaderboard of Discord server ${file.guildId}, not ${flags.guild}: leave --guild out, or import the right file.` };
  }
  const guild = flags.guild ?? file.guildId;
  const server: Workspace | undefined = guild === undefined ? undefined : { platform: "discord", workspaceId: guild };

  if (flags.community === undefined && server) {
    const found = await findCommunityByWorkspace(db, "discord", server.workspaceId);
    if (!found) return { ok: true, value: { create: server, workspaces: [server], home: server } };
    const chosen = await chooseCommunity(db, found.id);
    if (!chosen.ok) return chosen;
    return { ok: true, value: { community: chosen.community, workspaces: await workspacesOf(db, found.id), home: server } };
  }

  const chosen = await chooseCommunity(db, flags.community);
  if (!chosen.ok) {
    const hint = flags.community === undefined && file.platform === "discord" ? "\nOr name the Discord server with --guild <server id>: the import then creates its community." : "";
    return { ok: false, error: chosen.error + hint };
  }
  const community = chosen.community;
  const workspaces = await workspacesOf(db, community.id);
  if (server) {
    if (!workspaces.some((w) => w.platform === "discord" && w.workspaceId === server.workspaceId)) {
      const owner = await findCommunityByWorkspace(db, "discord", server.workspaceId);
      return {
        ok: false,
        error: owner
          ? `Discord server ${server.workspaceId} belongs to community ${owner.id} (${owner.name}), not ${community.id}: name that one with --community, or leave --community out.`
          : `Community ${community.id} (${community.name}) has no Discord server ${server.workspaceId}: leave --community out and the import creates that server's community, or link the server first (/config link, then /config join in the server).`,
      };
    }
    return { ok: true, value: { community, workspaces, home: server } };
  }
  if (file.platform === "discord") {
    const servers = workspaces.filter((w) => w.platform === "discord");
    if (servers.length === 1) return { ok: true, value: { community, workspaces, home: servers[0]! } };
    return {
      ok: false,
      error:
        servers.length === 0
          ? `Community ${community.id} (${community.name}) is not on Discord, and ${file.source === "mee6" ? "MEE6" : "Polaris"} points belong to a Discord server: name the server with --guild <server id> (without --community) and the import creates its community.`
          : `Community ${community.id} has several Discord servers (${servers.map((s) => s.workspaceId).join(", ")}): name the file's with --guild <server id>.`,
    };
  }
  return { ok: true, value: { community, workspaces, ...(workspaces.length === 1 ? { home: workspaces[0]! } : {}) } };
}

export async function workspacesOf(db: Kysely<Database>, communityId: string): Promise<Workspace[]> {
  const rows = await db.selectFrom("community_workspaces").select(["platform", "workspace_id"]).where("community_id", "=", communityId).orderBy("platform").orderBy("workspace_id").execute();
  return rows.map((r) => ({ platform: r.platform as Platform, workspaceId: r.workspace_id }));
}

/**
 * Creates the community for a workspace, as the community directory does when the bot first sees
 * it (a short random id, "<platform> <workspace>" as its name, default settings but the timezone),
 * inside the import's transaction.
 */
export async function createCommunityFor(db: Kysely<Database>, workspace: Workspace, o: { timezone: string; now: Date }): Promise<CommunityRecord> {
  const community = { id: randomBytes(9).toString("base64url"), name: `${workspace.platform} ${workspace.workspaceId}`, settings: settingsSchema.parse({ timezone: o.timezone }) };
  await insertCommunity(db, { ...community, createdAt: o.now });
  if (!(await linkWorkspace(db, workspace.platform, workspace.workspaceId, community.id))) throw new Error(`workspace ${workspace.platform}:${workspace.workspaceId} was linked to a community meanwhile`);
  return { ...community, createdAt: o.now.toISOString() };
}
