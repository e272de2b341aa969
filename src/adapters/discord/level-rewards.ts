import { type REST, Routes } from "discord.js";
import { parseNamespacedId, type Place } from "../../core/identity.js";
import { mention, type Reply, roleMention } from "../../core/reply.js";
import type { Community } from "../../engine/communities/community.repo.js";
import type { Engine } from "../../engine/engine.js";
import type { LevelUpListener } from "../../engine/points/points.service.js";
import type { Logger } from "../../log.js";
import { DISCORD_CODES, discordCode, isMissingPermission, loggableError } from "./discord-errors.js";

/**
 * Role rewards, the one level-up effect that is Discord's own: when a member reaches a level their
 * reward roles are granted. (The announcement is the engine's: decided once, written to the outbox
 * with the level-up and delivered to every platform — see engine/levels/level-up-announcement.ts.)
 *
 * The engine tells us after commit. A role Discord refuses to grant never costs the member their
 * points or level: it is logged, and moderators are told once per role, through the engine's
 * outbox. Grants are cumulative (every reward up to the level), so one interrupted by a stop is
 * made at the member's next level-up.
 */
type LevelUpEvent = Parameters<LevelUpListener>[0];

interface Reached {
  community: Community;
  memberId: string;
  displayName: string;
  level: number;
  guildId: string;
  userId: string;
  /** Where it happened: where moderators are told when no mod queue or announcements channel is set. */
  place: Place;
}

export class LevelRewards {
  constructor(
    private readonly o: { engine: Engine; rest: REST; log: Logger },
  ) {}

  /** Level-ups reached through Discord activity; other platforms' adapters handle theirs. */
  async onLevelUp(event: LevelUpEvent): Promise<void> {
    const member = parseNamespacedId(event.memberId);
    if (event.place.platform !== "discord" || member?.platform !== "discord") return;
    // Each level is reported once (the engine records it once), so there is nothing to de-duplicate here.
    await this.grantRewards({
      community: event.community,
      memberId: event.memberId,
      displayName: event.displayName,
      level: event.level,
      guildId: member.workspaceId,
      userId: member.localId,
      place: event.place,
    });
  }

  /**
   * Every reward up to this level, not only this level's: a member may skip levels, and a grant
   * that failed before is tried again. Granting a role someone has is a no-op for Discord.
   */
  private async grantRewards(r: Reached): Promise<void> {
    for (const roleRef of this.o.engine.levels.rewardsFor(r.community, r.level)) {
      const role = parseNamespacedId(roleRef);
      // Roles are namespaced `discord:<guild>:&<id>`; another server's or platform's are not ours.
      if (role?.platform !== "discord" || role.workspaceId !== r.guildId || !/^&\d+$/.test(role.localId)) continue;
      const roleId = role.localId.slice(1);
      try {
        await this.o.rest.put(Routes.guildMemberRole(r.guildId, r.userId, roleId), { reason: `guildkeeper: reached level ${r.level}` });
      } catch (error) {
        await this.grantFailed(r, roleRef, roleId, error);
      }
    }
  }

  private async grantFailed(r: Reached, roleRef: string, roleId: string, error: unknown): Promise<void> {
    const code = discordCode(error);
    if (code === DISCORD_CODES.unknownMember) return void this.o.log.info({ member: r.memberId }, "level reward not granted: the member left");
    this.o.log.warn({ err: loggableError(error), member: r.memberId, role: roleId, level: r.level }, "level reward role not granted");
    const role = roleMention({ id: roleRef });
    if (isMissingPermission(error)) {
      await this.tellModeratorsOnce(r, `discord:role-grant-refused:${roleId}`, {
        title: "I can't grant a level reward role",
        text:
          `Discord refused to give ${role} to ${mention({ id: r.memberId, displayName: r.displayName })} for reaching level ${r.level}. ` +
          `I need the Manage Roles permission, and my own role must be above ${role} (Server Settings → Roles). ` +
          "Points and levels are kept; members get the role at their next level-up once this is fixed.",
        tone: "warning",
      });
    } else if (code === DISCORD_CODES.unknownRole) {
      await this.tellModeratorsOnce(r, `discord:role-reward-missing:${roleId}`, {
        title: "A level reward role no longer exists",
        text: `The reward role for level ${r.level} (id ${roleId}) was deleted. Update it with \`/config set levels.roleRewards\`.`,
        tone: "warning",
      });
    }
  }

  /** One message per problem, ever: the engine records the notice and queues the post together. */
  private async tellModeratorsOnce(r: Reached, key: string, reply: Reply): Promise<void> {
    try {
      await this.o.engine.notices.tellModeratorsOnce(r.community, key, reply, r.place);
    } catch (error) {
      this.o.log.error({ err: loggableError(error), notice: key }, "could not tell moderators about a problem");
    }
  }
}
