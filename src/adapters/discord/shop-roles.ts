import { type REST, Routes } from "discord.js";
import { parseNamespacedId } from "../../core/identity.js";
import type { GrantProblem, ShopGrant, ShopService } from "../../engine/economy/shop.service.js";
import type { Logger } from "../../log.js";
import { DISCORD_CODES, discordCode, isMissingPermission, loggableError } from "./discord-errors.js";

/**
 * Shop rewards' roles, Discord's part of a purchase. The engine commits the order in state
 * `granting` with the purchase and tells us after commit; we grant the role and report back, and
 * the order is done. If we stop (or crash) in between, the order is still `granting`: {@link catchUp}
 * at start grants what is left (granting a role someone already has is a no-op for Discord, so a
 * grant made just before a crash costs nothing to repeat). A grant Discord refuses leaves the order
 * pending for organizers, with the reason, and moderators are told once per role by the engine.
 */
export class ShopRoles {
  constructor(private readonly o: { shop: ShopService; rest: REST; log: Logger; inGuild: (guildId: string) => boolean }) {}

  /** Grants every order still `granting` in a server this bot is in (run once the client is ready). */
  async catchUp(): Promise<void> {
    for (const grant of await this.o.shop.grantsDue()) await this.grant(grant);
  }

  async grant({ community, order }: ShopGrant): Promise<void> {
    const role = order.role ? parseNamespacedId(order.role) : undefined;
    const member = order.grant_to ? parseNamespacedId(order.grant_to) : undefined;
    if (role?.platform !== "discord" || member?.platform !== "discord" || !/^&\d+$/.test(role.localId)) return;
    // Another server's order (a second bot process serving it) is not ours.
    if (!this.o.inGuild(role.workspaceId)) return;
    const roleId = role.localId.slice(1);
    try {
      await this.o.rest.put(Routes.guildMemberRole(role.workspaceId, member.localId, roleId), { reason: `guildkeeper: bought ${order.reward_name} (order #${order.number})` });
    } catch (error) {
      const problem: GrantProblem = isMissingPermission(error) ? "not-allowed" : discordCode(error) === DISCORD_CODES.unknownRole ? "role-missing" : discordCode(error) === DISCORD_CODES.unknownMember ? "member-left" : "failed";
      this.o.log.warn({ err: loggableError(error), order: order.id, role: roleId, problem }, "shop reward role not granted");
      await this.o.shop.grantFailed(community, order, problem);
      return;
    }
    await this.o.shop.granted(order);
  }
}
