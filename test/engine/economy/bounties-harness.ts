import { naturalKeys, type CommandInvoked } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import { plainText, type Reply } from "../../../src/core/reply.js";
import { POOL_ACCOUNT } from "../../../src/engine/economy/accounts.js";
import { standingOf } from "../../../src/engine/economy/wallet.js";
import type { TestEngine } from "../../helpers/engine.js";

export { RecordingOutbox, settle } from "../talks/harness.js";

/** A Discord-like guild with snowflake ids, so message links to it parse. */
export const GUILD = "1300000000000000001";

export function member(name: string, extra: Partial<Actor> = {}, guild = GUILD): Actor {
  return { id: `discord:${guild}:${name}`, platform: "discord", workspaceId: guild, userId: name, displayName: name, isBot: false, ...extra };
}

export const admin = member("root", { isPlatformAdmin: true });
export const ada = member("ada");
export const bob = member("bob");
export const cat = member("cat");
export const robot = member("robot", { isBot: true });
export const mod = member("mod", { roleIds: ["77"] });

/** A thread id (its starter message's id) in this guild. */
export const thread = (n: number) => `13000000000000${String(n).padStart(5, "0")}`;
export const linkTo = (channel: string, message: string, guild = GUILD) => `https://discord.com/channels/${guild}/${channel}/${message}`;

/** Community settings through `/config set`, by the guild's admin. */
export async function configure(t: TestEngine, settings: Record<string, string>, guild = GUILD): Promise<void> {
  for (const [key, value] of Object.entries(settings)) {
    const reply = await t.engine.command({ ...bountyEvent("set", { key, value }, { by: member("root", { isPlatformAdmin: true }, guild), guild, at: t.clock.now() }), name: "config" });
    if (reply.tone === "error") throw new Error(`config ${key}: ${plainText(reply.text)}`);
  }
}

let n = 0;

/** `/bounty <sub>` by `by`, in thread `thread` of #general (or in #general itself without one). */
export function bountyEvent(sub: string, options: Record<string, unknown>, o: { by: Actor; thread?: string; id?: string; guild?: string; at?: Date }): CommandInvoked {
  const guild = o.guild ?? GUILD;
  return {
    kind: "command",
    key: naturalKeys.discordInteraction(o.id ?? `b${++n}`),
    at: o.at ?? new Date("2026-11-26T12:00:00Z"),
    place: { platform: "discord", workspaceId: guild, channelId: "general", ...(o.thread ? { threadId: o.thread } : {}) },
    actor: o.by,
    name: "bounty",
    subcommand: sub,
    options,
  };
}

export function bounty(t: TestEngine, sub: string, options: Record<string, unknown>, o: { by: Actor; thread?: string; id?: string }): Promise<Reply> {
  return t.engine.command(bountyEvent(sub, options, { ...o, at: t.clock.now() }));
}

/** Gives `who` `amount` XP with `/mod adjust` by the admin (earned points, as far as the wallet is concerned). */
export async function earn(t: TestEngine, who: Actor, amount: number): Promise<void> {
  const reply = await t.engine.command({ kind: "command", key: naturalKeys.discordInteraction(`earn${++n}`), at: t.clock.now(), place: { platform: who.platform, workspaceId: who.workspaceId, channelId: "general" }, actor: { ...member("root", { isPlatformAdmin: true }, who.workspaceId), id: `${who.platform}:${who.workspaceId}:root`, platform: who.platform }, name: "mod", subcommand: "adjust", options: { member: { id: who.id, displayName: who.displayName }, points: amount, reason: "earned" } });
  if (reply.tone !== "success") throw new Error(`earn: ${plainText(reply.text)}`);
}

export const text = (r: Reply) => plainText(r.text);

export async function balanceOf(t: TestEngine, who: Actor, communityId?: string): Promise<number> {
  const c = communityId ?? (await t.engine.communities.resolve({ platform: who.platform, workspaceId: who.workspaceId })).id;
  return (await standingOf(t.db.kysely, c, who.id)).balance;
}

/** Every wallet account of a community, by account. */
export async function accounts(t: TestEngine, communityId: string): Promise<Record<string, number>> {
  const rows = await t.db.kysely.selectFrom("wallet_accounts").select(["account", "balance"]).where("community_id", "=", communityId).execute();
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.balance)]));
}

export async function pool(t: TestEngine, communityId: string): Promise<number> {
  return (await accounts(t, communityId))[POOL_ACCOUNT] ?? 0;
}

/** The totals rows (XP: all-time, weekly, monthly), for "spending never moves XP". */
export async function xpTotals(t: TestEngine, communityId: string): Promise<string[]> {
  const rows = await t.db.kysely.selectFrom("totals").select(["period", "member_id", "points"]).where("community_id", "=", communityId).orderBy("period").orderBy("member_id").execute();
  return rows.map((r) => `${r.period} ${r.member_id} ${r.points}`);
}

export async function bountyRows(t: TestEngine) {
  return t.db.kysely.selectFrom("bounties").selectAll().orderBy("created_at").execute();
}
