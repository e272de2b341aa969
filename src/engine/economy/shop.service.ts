import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import { type Actor, parseNamespacedId, type Place, type RoleRef } from "../../core/identity.js";
import { memberText } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { CommunityDirectory } from "../communities/community-directory.js";
import type { Community } from "../communities/community.repo.js";
import type { Notices } from "../notices/notices.js";
import type { OutboxWriter } from "../outbox/index.js";
import { code } from "../talks/talk-codes.js";
import type { WriteQueue } from "../write-queue.js";
import { SHOP_ACCOUNT } from "./accounts.js";
import { grantNotice, orderCancelledDm, orderDoneDm, PROBLEM_TEXT, type GrantProblem } from "./shop-replies.js";
import { points, rewardKey, ShopRefusal } from "./shop-input.js";
import * as repo from "./shop.repo.js";
import type { OrderRow, RewardRow } from "./shop.repo.js";
import { lockPerson, personOf, postMovement, standingOf } from "./wallet.js";
import { settingPlace } from "../levels/level-up-announcement.js";

export type { GrantProblem } from "./shop-replies.js";
export type { OrderRow, RewardRow } from "./shop.repo.js";

/** What `/shop add` typed, already validated. */
export interface RewardInput {
  name: string;
  cost: number;
  role?: RoleRef;
  /** How many there are; undefined is unlimited. */
  stock?: number;
}

/** A role grant the engine decided: the Discord adapter makes it, then reports with {@link ShopService.granted} or {@link ShopService.grantFailed}. */
export interface ShopGrant {
  community: Community;
  order: OrderRow;
}

export type GrantListener = (grant: ShopGrant) => void;

interface ShopDeps {
  db: Kysely<Database>;
  writes: WriteQueue;
  clock: Clock;
  outbox: OutboxWriter;
  notices: Notices;
  communities: CommunityDirectory;
}

/**
 * The rewards shop: organizers define rewards, members buy them with their spendable balance.
 *
 * A purchase is one write-queue transaction: the buyer's person is locked, their balance read, one
 * taken from the stock by a conditional update, the cost moved buyer → `@shop` in the wallet (keyed
 * by the interaction, so a double press buys once) and the order written. A reward with a Discord
 * role, bought by someone with a Discord member in that server, is an order in state `granting`: the
 * Discord adapter hears of it after commit, grants the role and marks it done; it also catches up
 * `granting` orders when it starts, so a crash between commit and grant loses nothing. Anything
 * else is `pending` for organizers, who mark it done or cancel it (a refund keyed by the order).
 */
export class ShopService {
  private readonly grantListeners: GrantListener[] = [];

  constructor(private readonly deps: ShopDeps) {}

  /** Called after each purchase that needs a Discord role granted has committed. Returns an unsubscribe. */
  onGrant(listener: GrantListener): () => void {
    this.grantListeners.push(listener);
    return () => {
      const i = this.grantListeners.indexOf(listener);
      if (i >= 0) this.grantListeners.splice(i, 1);
    };
  }

  /** Active rewards, cheapest first. */
  list(community: Community): Promise<RewardRow[]> {
    return repo.activeRewards(this.deps.db, community.id);
  }

  /** Adds a reward, or brings a removed one back with the values given now. */
  add(community: Community, key: string, input: RewardInput): Promise<{ outcome: "added" | "readded" | "replayed"; reward: RewardRow }> {
    return this.deps.writes.submit(async (trx) => {
      const now = this.deps.clock.now().toISOString();
      const existing = await repo.rewardByName(trx, community.id, rewardKey(input.name));
      if (existing?.added_key === key) return { outcome: "replayed" as const, reward: existing };
      const values = { name: input.name, cost: input.cost, role: input.role?.id ?? null, role_name: input.role?.name ?? null, stock: input.stock ?? null, status: "active" as const, added_key: key, updated_at: now };
      if (!existing) {
        const reward: RewardRow = { id: `R${code(8)}`, community_id: community.id, name_key: rewardKey(input.name), created_at: now, ...values };
        await repo.insertReward(trx, reward);
        return { outcome: "added" as const, reward };
      }
      if (existing.status === "active") {
        throw new ShopRefusal(`There is already a reward called ${memberText(existing.name)} (${points(existing.cost)}). Remove it first with /shop remove, or choose another name.`);
      }
      await repo.updateReward(trx, existing.id, values);
      return { outcome: "readded" as const, reward: { ...existing, ...values } };
    });
  }

  /** Hides a reward from the shop; its orders stay as they are. */
  remove(community: Community, name: string): Promise<{ outcome: "removed" | "already"; reward: RewardRow }> {
    return this.deps.writes.submit(async (trx) => {
      const reward = await repo.rewardByName(trx, community.id, rewardKey(name));
      if (!reward) throw new ShopRefusal(await this.unknownReward(trx, community, name));
      if (reward.status === "removed") return { outcome: "already" as const, reward };
      await repo.updateReward(trx, reward.id, { status: "removed", updated_at: this.deps.clock.now().toISOString() });
      return { outcome: "removed" as const, reward: { ...reward, status: "removed" as const } };
    });
  }

  /**
   * Buys one of reward `name` for `buyer`, keyed by the interaction `key`. Refuses (a
   * {@link ShopRefusal}, nothing written) an unknown reward, an empty stock and a short balance.
   */
  async buy(community: Community, buyer: Actor, key: string, name: string, place: Place): Promise<{ outcome: "bought" | "replayed"; order: OrderRow; balance: number }> {
    const result = await this.deps.writes.submit(async (trx) => {
      const before = await repo.orderByKey(trx, community.id, key);
      if (before) return { outcome: "replayed" as const, order: before, balance: (await standingOf(trx, community.id, buyer.id)).balance };
      const reward = await repo.rewardByName(trx, community.id, rewardKey(name));
      if (!reward || reward.status !== "active") throw new ShopRefusal(await this.unknownReward(trx, community, name));
      const outOfStock = `${memberText(reward.name)} is out of stock. Nothing was taken from your balance.`;
      if (reward.stock === 0) throw new ShopRefusal(outOfStock);
      await lockPerson(trx, community.id, await personOf(trx, community.id, buyer.id));
      const standing = await standingOf(trx, community.id, buyer.id);
      if (standing.balance < reward.cost) {
        throw new ShopRefusal(`${memberText(reward.name)} costs ${points(reward.cost)} and your balance is ${points(standing.balance)}. Nothing was taken.`);
      }
      const now = this.deps.clock.now().toISOString();
      if (!(await repo.takeOne(trx, reward, now))) throw new ShopRefusal(outOfStock);
      await postMovement(trx, community.id, {
        causeKey: `shop:buy:${key}`,
        kind: "purchase",
        at: now,
        memo: reward.name,
        legs: [
          { account: buyer.id, amount: -reward.cost },
          { account: SHOP_ACCOUNT, amount: reward.cost },
        ],
      });
      const grantTo = discordGrantee(reward.role, standing.memberIds);
      const order: OrderRow = {
        id: `O${code(10)}`,
        community_id: community.id,
        number: await repo.nextOrderNumber(trx, community.id),
        key,
        reward_id: reward.id,
        reward_name: reward.name,
        cost: reward.cost,
        role: reward.role,
        role_name: reward.role_name,
        buyer_id: buyer.id,
        buyer_name: buyer.displayName,
        grant_to: grantTo ?? null,
        place: JSON.stringify(place),
        state: grantTo ? "granting" : "pending",
        problem: null,
        reason: null,
        closed_by: null,
        created_at: now,
        updated_at: now,
      };
      await repo.insertOrder(trx, order);
      return { outcome: "bought" as const, order, balance: standing.balance - reward.cost };
    });
    if (result.outcome === "bought" && result.order.state === "granting") this.emit({ community, order: result.order });
    return result;
  }

  /** Open orders (being granted or waiting for organizers), oldest first. */
  orders(community: Community): Promise<OrderRow[]> {
    return repo.openOrders(this.deps.db, community.id);
  }

  /** Marks a pending order fulfilled and tells the buyer (a DM through the outbox, in the same transaction). */
  done(community: Community, actor: Actor, number: number): Promise<{ outcome: "done" | "already"; order: OrderRow }> {
    return this.deps.writes.submit(async (trx) => {
      const order = await this.openOrder(trx, community, number);
      if (order.state === "done") return { outcome: "already" as const, order };
      if (order.state === "cancelled") throw new ShopRefusal(`Order #${number} (${memberText(order.reward_name)}) was cancelled and refunded, so it can't be marked done.`);
      const now = this.deps.clock.now().toISOString();
      if (!(await repo.moveOrder(trx, order.id, "pending", { state: "done", closed_by: actor.id, updated_at: now }))) throw new ShopRefusal(`Order #${number} changed just now; look again with /shop orders.`);
      await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `shop:${community.id}:order:${order.id}:done`, operation: "dm", memberId: order.buyer_id, reply: orderDoneDm(order) });
      return { outcome: "done" as const, order: { ...order, state: "done" as const } };
    });
  }

  /**
   * Cancels a pending order: the cost goes back to the buyer (`@shop` → buyer, keyed by the order,
   * so cancelling twice refunds once), one goes back into a limited stock, and the buyer is told.
   */
  cancel(community: Community, actor: Actor, number: number, reason: string | undefined): Promise<{ outcome: "cancelled" | "already"; order: OrderRow }> {
    return this.deps.writes.submit(async (trx) => {
      const order = await this.openOrder(trx, community, number);
      if (order.state === "cancelled") return { outcome: "already" as const, order };
      if (order.state === "done") throw new ShopRefusal(`Order #${number} (${memberText(order.reward_name)}) was already fulfilled, so it can't be cancelled.`);
      const now = this.deps.clock.now().toISOString();
      if (!(await repo.moveOrder(trx, order.id, "pending", { state: "cancelled", closed_by: actor.id, reason: reason ?? null, updated_at: now }))) throw new ShopRefusal(`Order #${number} changed just now; look again with /shop orders.`);
      await postMovement(trx, community.id, {
        causeKey: `shop:refund:${order.id}`,
        kind: "purchase-refund",
        at: now,
        memo: order.reward_name,
        legs: [
          { account: SHOP_ACCOUNT, amount: -order.cost },
          { account: order.buyer_id, amount: order.cost },
        ],
      });
      await repo.putBack(trx, order.reward_id, now);
      const cancelled = { ...order, state: "cancelled" as const, reason: reason ?? null };
      await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `shop:${community.id}:order:${order.id}:cancelled`, operation: "dm", memberId: order.buyer_id, reply: orderCancelledDm(cancelled) });
      return { outcome: "cancelled" as const, order: cancelled };
    });
  }

  /** Every order whose role grant was decided but not confirmed (the Discord adapter's catch-up at start). */
  async grantsDue(): Promise<ShopGrant[]> {
    const grants: ShopGrant[] = [];
    for (const order of await repo.grantingOrders(this.deps.db)) {
      const place = JSON.parse(order.place) as Place;
      grants.push({ community: await this.deps.communities.resolve(place), order });
    }
    return grants;
  }

  /** The role was granted: the order is done. False if it was no longer being granted (another process, a replay). */
  granted(order: OrderRow): Promise<boolean> {
    return this.deps.writes.submit((trx) => repo.moveOrder(trx, order.id, "granting", { state: "done", updated_at: this.deps.clock.now().toISOString() }));
  }

  /**
   * The role could not be granted: the order waits for organizers with the reason, and for a
   * problem organizers must fix (a permission, a deleted role) the moderators are told once per
   * role — the notice, the order's change and the post commit together.
   */
  grantFailed(community: Community, order: OrderRow, problem: GrantProblem): Promise<boolean> {
    return this.deps.writes.submit(async (trx) => {
      const now = this.deps.clock.now().toISOString();
      if (!(await repo.moveOrder(trx, order.id, "granting", { state: "pending", problem: PROBLEM_TEXT[problem], updated_at: now }))) return false;
      const notice = grantNotice(order, problem);
      if (notice && (await this.deps.notices.once(community.id, notice.key, trx))) {
        const channels = community.settings.channels;
        const to = settingPlace(channels.modQueue) ?? settingPlace(channels.announcements) ?? (JSON.parse(order.place) as Place);
        await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `notice:${community.id}:${notice.key}`, operation: "post", to, reply: notice.reply });
      }
      return true;
    });
  }

  private emit(grant: ShopGrant): void {
    // A listener is the adapter's; its failure must not undo a committed purchase (the catch-up retries).
    for (const listener of this.grantListeners) {
      try {
        listener(grant);
      } catch {
        // The order stays `granting` and is caught up at the adapter's next start.
      }
    }
  }

  private async openOrder(trx: Transaction<Database>, community: Community, number: number): Promise<OrderRow> {
    const order = await repo.orderByNumber(trx, community.id, number);
    if (!order) throw new ShopRefusal(`There is no order #${number}. /shop orders lists the open ones.`);
    if (order.state === "granting") throw new ShopRefusal(`Order #${number}'s role is being granted on Discord right now; look again in a moment with /shop orders.`);
    return order;
  }

  private async unknownReward(db: Kysely<Database> | Transaction<Database>, community: Community, name: string): Promise<string> {
    const rewards = await repo.activeRewards(db, community.id);
    const what = rewards.length ? `The shop has: ${rewards.map((r) => `${memberText(r.name)} (${points(r.cost)})`).join(", ")}.` : "The shop has no rewards yet.";
    return `There is no reward called ${memberText(name)}. ${what}`;
  }
}

/**
 * The Discord member a reward's role goes to: the buyer's own member in the role's server, or the
 * member they linked there. Undefined when the role is not a Discord role or the person has no
 * member in that server (then the order waits for organizers).
 */
export function discordGrantee(role: string | null, memberIds: readonly string[]): string | undefined {
  const parsed = role ? parseNamespacedId(role) : undefined;
  if (parsed?.platform !== "discord" || !/^&\d+$/.test(parsed.localId)) return undefined;
  return memberIds.find((id) => {
    const m = parseNamespacedId(id);
    return m?.platform === "discord" && m.workspaceId === parsed.workspaceId;
  });
}
