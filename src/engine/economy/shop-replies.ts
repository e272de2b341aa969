import { mention, memberText, type Reply, roleMention } from "../../core/reply.js";
import type { OrderRow } from "./shop.repo.js";
import { points } from "./shop-input.js";

/** Why the Discord adapter could not grant an order's role. */
export type GrantProblem = "not-allowed" | "role-missing" | "member-left" | "failed";

/** What organizers read beside a pending order whose role was not granted. */
export const PROBLEM_TEXT: Record<GrantProblem, string> = {
  "not-allowed": "Discord refused to grant the role (the bot needs Manage Roles, and its role must be above this one)",
  "role-missing": "the role no longer exists on Discord",
  "member-left": "the buyer is no longer in the Discord server",
  failed: "Discord did not grant the role (it did not answer in time)",
};

const buyer = (o: OrderRow) => mention({ id: o.buyer_id, displayName: o.buyer_name });
const role = (o: OrderRow) => roleMention({ id: o.role ?? "", ...(o.role_name ? { name: o.role_name } : {}) });

/** The buyer's DM when organizers mark an order done. */
export function orderDoneDm(o: OrderRow): Reply {
  return { text: `Your order #${o.number} is fulfilled: ${memberText(o.reward_name)}. Enjoy!`, tone: "success" };
}

/** The buyer's DM when organizers cancel an order: the refund, and the reason if one was given. */
export function orderCancelledDm(o: OrderRow): Reply {
  const why = o.reason ? ` Reason: ${memberText(o.reason)}` : "";
  return { text: `Your order #${o.number} (${memberText(o.reward_name)}) was cancelled and its ${points(o.cost)} were refunded to your balance.${why}`, tone: "info" };
}

/**
 * The moderators' notice for a grant problem they must fix, keyed once per role; undefined for a
 * problem that is the order's alone (the member left, Discord did not answer).
 */
export function grantNotice(o: OrderRow, problem: GrantProblem): { key: string; reply: Reply } | undefined {
  const waits = `Order #${o.number} (${memberText(o.reward_name)}) waits in /shop orders: give the role by hand and mark it with /shop done, or refund it with /shop cancel.`;
  if (problem === "not-allowed") {
    return {
      key: `shop:role-grant-refused:${o.role}`,
      reply: {
        title: "I can't grant a shop reward's role",
        text: `Discord refused to give ${role(o)} to ${buyer(o)}, who bought ${memberText(o.reward_name)}. I need the Manage Roles permission, and my own role must be above ${role(o)} (Server Settings → Roles). ${waits}`,
        tone: "warning",
      },
    };
  }
  if (problem === "role-missing") {
    return {
      key: `shop:role-missing:${o.role}`,
      reply: { title: "A shop reward's role no longer exists", text: `The role of ${memberText(o.reward_name)} was deleted on Discord. ${waits} Remove the reward (/shop remove) and add it again with a role that exists.`, tone: "warning" },
    };
  }
  return undefined;
}
