import { option } from "../src/core/options.js";
import { memberText, mention, type Reply, roleMention, time } from "../src/core/reply.js";
import { type Command, group, subcommand, UserError } from "../src/engine/commands/context.js";
import { COST_MAX, points, REASON_MAX, reasonSchema, REWARD_NAME_MAX, rewardNameSchema, ShopRefusal, STOCK_MAX } from "../src/engine/economy/shop-input.js";
import type { OrderRow, RewardRow } from "../src/engine/economy/shop.service.js";

/**
 * `/shop list|buy` for members, `/shop add|remove|orders|done|cancel` for organizers: rewards
 * bought with the spendable balance (see docs/economy-shop.md). Every answer is private; what was
 * typed is shown back as member text, never markup or a mention.
 */

/** Runs `work`, turning the shop's refusals into the private answer. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ShopRefusal) throw new UserError(error.message);
    throw error;
  }
}

function rewardName(text: string): string {
  const parsed = rewardNameSchema.safeParse(text);
  // Echoed on one line: a name that broke lines would break the answer too.
  if (!parsed.success) throw new UserError(`\`${memberText(text.replace(/\s+/g, " "))}\` is not a reward name: give 1–${REWARD_NAME_MAX} characters on one line.`);
  return parsed.data;
}

const roleOf = (r: { role: string | null; role_name?: string | null }) => roleMention({ id: r.role ?? "", ...(r.role_name ? { name: r.role_name } : {}) });

function describeReward(r: RewardRow): string {
  const stock = r.stock === null ? "unlimited" : r.stock === 0 ? "out of stock" : `${r.stock} left`;
  const grants = r.role ? ` · grants ${roleOf(r)}` : "";
  return `${memberText(r.name)} — ${points(r.cost)} · ${stock}${grants}`;
}

function describeOrder(o: OrderRow): string {
  const head = `#${o.number} ${memberText(o.reward_name)} — ${points(o.cost)} — ${mention({ id: o.buyer_id, displayName: o.buyer_name })} — ${time(new Date(o.created_at), "relative")}`;
  if (o.state === "granting") return `${head} · role ${roleOf(o)} being granted on Discord`;
  if (o.role) return `${head} · give ${roleOf(o)} by hand${o.problem ? ` (${o.problem})` : ""}`;
  return head;
}

const name_ = option.string({ description: "The reward's name", required: true, maxLength: REWARD_NAME_MAX });
const order_ = option.integer({ description: "The order's number (from /shop orders)", required: true, min: 1 });

const shop: Command = group({
  name: "shop",
  description: "The rewards shop: spend your balance on rewards",
  access: "member",
  subcommands: {
    list: subcommand({
      description: "The rewards, their cost, stock left and whether they grant a role",
      options: {},
      async run(ctx) {
        const rewards = await ctx.services.shop.list(ctx.community);
        const { balance } = await ctx.services.wallet.standing(ctx.community, ctx.actor.id);
        if (rewards.length === 0) return { text: `The shop has no rewards yet. Your balance: ${points(balance)}.`, ephemeral: true, tone: "info" };
        return { title: "Rewards shop", text: rewards.map((r) => `• ${describeReward(r)}`).join("\n"), footer: `Your balance: ${points(balance)}. Buy with /shop buy <name>.`, ephemeral: true, tone: "info" };
      },
    }),
    buy: subcommand({
      description: "Buy a reward with your balance",
      options: { name: name_ },
      async run(ctx, o) {
        const r = await answer(() => ctx.services.shop.buy(ctx.community, ctx.actor, ctx.event.key, rewardName(o.name), ctx.place));
        const { order } = r;
        const left = `Your balance: ${points(r.balance)}.`;
        if (r.outcome === "replayed") return { text: `That purchase was already made: order #${order.number} (${memberText(order.reward_name)}). ${left}`, ephemeral: true, tone: "info" };
        const bought = `Bought ${memberText(order.reward_name)} for ${points(order.cost)} (order #${order.number}).`;
        const next =
          order.state === "granting"
            ? `The role ${roleOf(order)} is on its way.`
            : order.role
              ? `The organizers will give you ${roleOf(order)} and tell you when it's done.`
              : "The organizers will fulfil it and tell you when it's done.";
        return { text: `${bought} ${next} ${left}`, ephemeral: true, tone: "success" };
      },
    }),
    add: subcommand({
      description: "Add a reward (optionally granting a Discord role, with a limited stock)",
      access: "organizer",
      options: {
        name: name_,
        cost: option.integer({ description: "What it costs, in points", required: true, min: 1, max: COST_MAX }),
        role: option.role({ description: "A Discord role the buyer is given" }),
        stock: option.integer({ description: "How many there are (default: unlimited)", min: 0, max: STOCK_MAX }),
      },
      async run(ctx, o) {
        const input = { name: rewardName(o.name), cost: o.cost, ...(o.role ? { role: o.role } : {}), ...(o.stock !== undefined ? { stock: o.stock } : {}) };
        const r = await answer(() => ctx.services.shop.add(ctx.community, ctx.event.key, input));
        const said = { added: "Added", readded: "Back in the shop:", replayed: "That was already done:" }[r.outcome];
        return { text: `${said} ${describeReward(r.reward)}.`, ephemeral: true, tone: "success" };
      },
    }),
    remove: subcommand({
      description: "Take a reward out of the shop (its orders stay)",
      access: "organizer",
      options: { name: name_ },
      async run(ctx, o) {
        const r = await answer(() => ctx.services.shop.remove(ctx.community, rewardName(o.name)));
        const name = memberText(r.reward.name);
        return { text: r.outcome === "removed" ? `Removed ${name} from the shop. Its orders stay as they are; /shop add brings it back.` : `${name} was already removed.`, ephemeral: true, tone: "success" };
      },
    }),
    orders: subcommand({
      description: "Open orders, oldest first",
      access: "organizer",
      options: {},
      async run(ctx) {
        const orders = await ctx.services.shop.orders(ctx.community);
        if (orders.length === 0) return { text: "No open orders.", ephemeral: true, tone: "info" };
        const reply: Reply = { title: "Open orders", text: orders.map(describeOrder).join("\n"), footer: "Mark one fulfilled with /shop done <number>, or refund it with /shop cancel <number> [reason].", ephemeral: true, tone: "info" };
        return reply;
      },
    }),
    done: subcommand({
      description: "Mark an order fulfilled (the buyer is told)",
      access: "organizer",
      options: { order: order_ },
      async run(ctx, o) {
        const r = await answer(() => ctx.services.shop.done(ctx.community, ctx.actor, o.order));
        const what = `Order #${r.order.number} (${memberText(r.order.reward_name)})`;
        if (r.outcome === "already") return { text: `${what} was already fulfilled.`, ephemeral: true, tone: "info" };
        return { text: `${what} is fulfilled; ${mention({ id: r.order.buyer_id, displayName: r.order.buyer_name })} is told.`, ephemeral: true, tone: "success" };
      },
    }),
    cancel: subcommand({
      description: "Cancel an order and refund it (the buyer is told)",
      access: "organizer",
      options: { order: order_, reason: option.string({ description: "Why, told to the buyer", maxLength: REASON_MAX }) },
      async run(ctx, o) {
        let reason: string | undefined;
        if (o.reason !== undefined) {
          const parsed = reasonSchema.safeParse(o.reason);
          if (!parsed.success) throw new UserError(`That reason can't be used: give 1–${REASON_MAX} characters on one line.`);
          reason = parsed.data;
        }
        const r = await answer(() => ctx.services.shop.cancel(ctx.community, ctx.actor, o.order, reason));
        const what = `Order #${r.order.number} (${memberText(r.order.reward_name)})`;
        if (r.outcome === "already") return { text: `${what} was already cancelled and refunded.`, ephemeral: true, tone: "info" };
        return { text: `${what} is cancelled: ${points(r.order.cost)} went back to ${mention({ id: r.order.buyer_id, displayName: r.order.buyer_name })}, who is told.`, ephemeral: true, tone: "success" };
      },
    }),
  },
});
export default shop;
