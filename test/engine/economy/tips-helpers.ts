/**
 * Shared steps for the tips tests: earning through real message events, tipping through the real
 * command runner, and reading what the books say.
 */
import { naturalKeys, type FormSubmitted, type MessageActionInvoked } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import type { Reply } from "../../../src/core/reply.js";
import { POOL_ACCOUNT } from "../../../src/engine/economy/accounts.js";
import { standingOf } from "../../../src/engine/economy/wallet.js";
import { type Settings, settingsSchema } from "../../../src/engine/communities/settings.js";
import { command, member, message, place } from "../../helpers/events.js";
import type { TestEngine } from "../../helpers/engine.js";

export const COMMUNITY_PLACE = place();

/** Settings with `economy` changed as given (everything else the defaults). */
export function withEconomy(economy: Partial<Settings["economy"]>): Partial<Settings> {
  return { economy: settingsSchema.parse({ economy }).economy };
}

let messageCounter = 0;

/** `who` earns `posts` × 5 points: one post a minute (the cooldown), the clock moving with them. */
export async function earn(te: TestEngine, who: Actor, posts: number): Promise<void> {
  for (let i = 0; i < posts; i++) {
    te.clock.advance(61_000);
    await te.ingest(message({ id: `m${++messageCounter}-${who.userId}`, by: who, at: te.clock.now(), text: `Here is how I fixed the build, step ${i} of many` }));
  }
}

/** `/tip member amount [reason]` as `from`, keyed `key` (a fresh interaction unless given). */
export function tip(te: TestEngine, from: Actor, to: Actor, amount: number, o: { key?: string; reason?: string; thread?: string } = {}): Promise<Reply> {
  const event = command({ name: "tip", by: from, at: te.clock.now(), options: { member: { id: to.id, displayName: to.displayName, ...(to.isBot ? { isBot: true } : {}) }, amount, ...(o.reason ? { reason: o.reason } : {}) }, ...(o.key ? { id: o.key } : {}) });
  return te.engine.command(o.thread ? { ...event, place: place("general", o.thread) } : event);
}

/** "Tip the author" on message `messageId` by `author`: the dialog it opens. */
export function useTipAuthor(te: TestEngine, by: Actor, author: Actor, messageId: string, key: string): Promise<Reply> {
  const event: MessageActionInvoked = {
    kind: "message.action",
    key: naturalKeys.discordInteraction(key),
    at: te.clock.now(),
    place: COMMUNITY_PLACE,
    actor: by,
    action: "tip-author",
    target: { messageKey: naturalKeys.discordMessage(messageId), author: { id: author.id, displayName: author.displayName }, text: "the answer", place: COMMUNITY_PLACE },
  };
  return te.engine.messageAction(event);
}

/** Submits a dialog `formId` as `by` with `values`, keyed `key`. */
export function submitForm(te: TestEngine, by: Actor, formId: string, values: Record<string, string>, key: string): Promise<Reply> {
  const event: FormSubmitted = { kind: "form", key: naturalKeys.discordInteraction(key), at: te.clock.now(), place: COMMUNITY_PLACE, actor: by, formId, values };
  return te.engine.submit(event);
}

export const balanceOf = async (te: TestEngine, who: Actor, communityId: string) => (await standingOf(te.db.kysely, communityId, who.id)).balance;

export async function poolOf(te: TestEngine, communityId: string): Promise<number> {
  const row = await te.db.kysely.selectFrom("wallet_accounts").select("balance").where("community_id", "=", communityId).where("account", "=", POOL_ACCOUNT).executeTakeFirst();
  return Number(row?.balance ?? 0);
}

/** Every totals row (XP: all-time, weekly, monthly), sorted: spending must leave it exactly as it was. */
export async function totalsSnapshot(te: TestEngine): Promise<string> {
  const rows = await te.db.kysely.selectFrom("totals").select(["community_id", "period", "member_id", "points"]).orderBy("community_id").orderBy("period").orderBy("member_id").execute();
  const ledger = await te.db.kysely.selectFrom("ledger").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return JSON.stringify({ rows: rows.map((r) => [r.period, r.member_id, Number(r.points)]), ledger: Number(ledger.n) });
}

export async function communityId(te: TestEngine): Promise<string> {
  return (await te.engine.communities.resolve(COMMUNITY_PLACE)).id;
}

export { member };
