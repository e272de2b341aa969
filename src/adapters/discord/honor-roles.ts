import { type REST, Routes } from "discord.js";
import { parseNamespacedId } from "../../core/identity.js";
import type { HonorsAwarded } from "../../engine/digest/digest.service.js";
import type { Logger } from "../../log.js";
import { DISCORD_CODES, discordCode, loggableError } from "./discord-errors.js";

/**
 * Honor roles (`digest.honorRoles`), Discord's own part of the weekly digest: each honor's role goes
 * to the week's winner and is taken from whoever held it before, so it is held until the next
 * digest. The engine tells us after the digest's transaction commits; like level rewards, a role
 * Discord refuses costs nothing else — it is logged — and a change missed while stopped is put
 * right by the next digest (it takes the role from the previous holder and gives it again).
 */
export class HonorRoles {
  constructor(private readonly o: { rest: REST; log: Logger }) {}

  async onHonors(e: HonorsAwarded): Promise<void> {
    for (const { honor, role: roleRef } of e.community.settings.digest.honorRoles) {
      const role = parseNamespacedId(roleRef);
      if (role?.platform !== "discord" || !/^&\d+$/.test(role.localId)) continue;
      const guildId = role.workspaceId;
      const roleId = role.localId.slice(1);
      const holder = e.holders.find((h) => h.honor === honor);
      const before = e.previous.find((p) => p.honor === honor);
      const holderId = holder && this.userIn(guildId, holder.memberId);
      const beforeId = before && this.userIn(guildId, before.memberId);
      if (beforeId && beforeId !== holderId) await this.change("delete", guildId, beforeId, roleId, `guildkeeper: ${honor} passed on (${e.week})`);
      if (holderId) await this.change("put", guildId, holderId, roleId, `guildkeeper: ${honor} of ${e.week}`);
    }
  }

  /** The member's Discord user id when they are a member of this server (honors may go to a Slack member). */
  private userIn(guildId: string, memberId: string): string | undefined {
    const m = parseNamespacedId(memberId);
    return m?.platform === "discord" && m.workspaceId === guildId ? m.localId : undefined;
  }

  private async change(how: "put" | "delete", guildId: string, userId: string, roleId: string, reason: string): Promise<void> {
    try {
      await this.o.rest[how](Routes.guildMemberRole(guildId, userId, roleId), { reason });
    } catch (error) {
      if (discordCode(error) === DISCORD_CODES.unknownMember) return void this.o.log.info({ user: userId, role: roleId }, "honor role not changed: the member left");
      this.o.log.warn({ err: loggableError(error), user: userId, role: roleId, how }, "honor role not changed");
    }
  }
}
