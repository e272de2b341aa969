import { naturalKeys } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import { plainText, type Reply } from "../../../src/core/reply.js";
import type { Settings } from "../../../src/engine/communities/settings.js";
import type { TestEngine } from "../../helpers/engine.js";
import { member } from "../../helpers/events.js";

export { RecordingOutbox, settle } from "../talks/harness.js";
export { member };

/**
 * Builders for the reviews capability's engine tests: members of the test guild `g1`, `/review …`
 * commands and card presses keyed by interaction id (reuse an id to replay one), and reads of
 * what the database holds.
 */
export const ada = member("ada");
export const bob = member("bob");
export const cat = member("cat");
export const mod = member("mod", { roleIds: ["77"] });
export const REVIEWS = "reviews";

let n = 0;

/** Settings changed directly, as an admin's `/config set` would (channels.reviews names #reviews in g1). */
export async function configure(t: TestEngine, change: (s: Settings) => void = () => {}): Promise<void> {
  const community = await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" });
  const settings = structuredClone(community.settings);
  settings.channels.reviews = `discord:g1:${REVIEWS}`;
  settings.roles.moderators = ["discord:g1:&77"];
  change(settings);
  await t.engine.communities.updateSettings(community, settings);
}

/** `/review <sub>` by `by` in #general; `id` names the interaction. */
export function review(t: TestEngine, by: Actor, sub: string, options: Record<string, unknown> = {}, id = `r${++n}`): Promise<Reply> {
  return t.engine.command({ kind: "command", key: naturalKeys.discordInteraction(id), at: t.clock.now(), place: { platform: "discord", workspaceId: "g1", channelId: "general" }, actor: by, name: "review", subcommand: sub, options });
}

/** A press of the card's button `buttonId` by `by`, in #reviews; `id` names the interaction. */
export function press(t: TestEngine, by: Actor, buttonId: string, id = `p${++n}`): Promise<Reply> {
  return t.engine.press({ kind: "button", key: naturalKeys.discordInteraction(id), at: t.clock.now(), place: { platform: "discord", workspaceId: "g1", channelId: REVIEWS }, actor: by, buttonId });
}

export const text = (r: Reply) => plainText(r.text);

export async function communityId(t: TestEngine): Promise<string> {
  return (await t.engine.communities.resolve({ platform: "discord", workspaceId: "g1" })).id;
}

export async function points(t: TestEngine, who: Actor): Promise<number> {
  const row = await t.db.kysely.selectFrom("totals").select("points").where("period", "=", "all").where("member_id", "=", who.id).executeTakeFirst();
  return row?.points ?? 0;
}

export async function ledger(t: TestEngine) {
  return t.db.kysely.selectFrom("ledger").select(["key", "member_id", "amount", "reason"]).where("reason", "like", "review%").orderBy("key").execute();
}

export async function rows(t: TestEngine) {
  return t.db.kysely.selectFrom("code_reviews").selectAll().orderBy("number").execute();
}
