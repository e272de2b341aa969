import { type CommandInvoked, type MessageCreated, naturalKeys } from "../../../src/core/events.js";
import type { Actor, Platform } from "../../../src/core/identity.js";
import { plainText, type Reply } from "../../../src/core/reply.js";
import { SHOP_ACCOUNT } from "../../../src/engine/economy/accounts.js";
import { accountBalance, standingOf } from "../../../src/engine/economy/wallet.js";
import type { Community } from "../../../src/engine/communities/community.repo.js";
import { settingsSchema, type Settings } from "../../../src/engine/communities/settings.js";
import type { TestEngine } from "../../helpers/engine.js";

/**
 * Builders for the shop's engine tests: members, messages and commands in any workspace (each
 * property run uses a workspace of its own, so one database serves many runs), and reads of what
 * the shop and the wallet hold.
 */

/** Every post earns 10 points, with no cooldown and no daily cap in reach. */
export const EARNING: Partial<Settings> = { points: settingsSchema.parse({ points: { post: 10, messageCooldownSeconds: 0, dailyCap: 1_000_000 } }).points };

export function actor(name: string, o: { workspace?: string; platform?: Platform; admin?: boolean } = {}): Actor {
  const platform = o.platform ?? "discord";
  const workspace = o.workspace ?? "g1";
  return { id: `${platform}:${workspace}:${name}`, platform, workspaceId: workspace, userId: name, displayName: name, isBot: false, ...(o.admin ? { isPlatformAdmin: true } : {}) };
}

let n = 0;

/** A top-level post by `by` (earns `EARNING`'s 10 points). */
export function post(by: Actor, at: Date, id = `p${++n}`): MessageCreated {
  const key = by.platform === "discord" ? naturalKeys.discordMessage(`${by.workspaceId}-${id}`) : `${by.platform}:${by.workspaceId}:general:${id}`;
  return { kind: "message.created", key, messageKey: key, at, place: { platform: by.platform, workspaceId: by.workspaceId, channelId: "general" }, author: by, text: `post ${id}`, mentions: [] };
}

/** `/shop <verb> …` by `by`; `id` names the interaction (reuse it to replay a press). */
export function shopCommand(t: TestEngine, by: Actor, subcommand: string, options: Record<string, unknown> = {}, id = `i${++n}`): Promise<Reply> {
  const event: CommandInvoked = {
    kind: "command",
    key: `${by.platform}:interaction:${by.workspaceId}-${id}`,
    at: t.clock.now(),
    place: { platform: by.platform, workspaceId: by.workspaceId, channelId: "general" },
    actor: by,
    name: "shop",
    subcommand,
    options,
  };
  return t.engine.command(event);
}

export const text = (r: Reply): string => plainText(r.text);

export function community(t: TestEngine, by: Actor): Promise<Community> {
  return t.engine.communities.resolve({ platform: by.platform, workspaceId: by.workspaceId });
}

export async function balanceOf(t: TestEngine, by: Actor): Promise<number> {
  return (await standingOf(t.db.kysely, (await community(t, by)).id, by.id)).balance;
}

export async function shopBalance(t: TestEngine, by: Actor): Promise<number> {
  return accountBalance(t.db.kysely, (await community(t, by)).id, SHOP_ACCOUNT);
}

export async function orders(t: TestEngine, by: Actor) {
  const c = await community(t, by);
  return t.db.kysely.selectFrom("shop_orders").selectAll().where("community_id", "=", c.id).orderBy("number").execute();
}

export async function rewards(t: TestEngine, by: Actor) {
  const c = await community(t, by);
  return t.db.kysely.selectFrom("shop_rewards").selectAll().where("community_id", "=", c.id).orderBy("name_key").execute();
}

export async function movements(t: TestEngine, by: Actor) {
  const c = await community(t, by);
  return t.db.kysely.selectFrom("wallet_entries").select(["cause_key", "account", "amount", "kind"]).where("community_id", "=", c.id).orderBy("key").execute();
}

/** Σ all-time XP of a community's members. */
export async function xpTotal(t: TestEngine, by: Actor): Promise<number> {
  const c = await community(t, by);
  const rows = await t.db.kysely.selectFrom("totals").select("points").where("community_id", "=", c.id).where("period", "=", "all").execute();
  return rows.reduce((s, r) => s + Number(r.points), 0);
}
