import { plainText, type Reply } from "../../../src/core/reply.js";
import type { Community } from "../../../src/engine/communities/community.repo.js";
import { nextShoutOut, type ShoutOut } from "../../../src/engine/sponsors/sponsors.service.js";
import type { TestEngine } from "../../helpers/engine.js";
import { command, GUILD } from "../../helpers/events.js";
import { admin } from "../talks/harness.js";

export { admin, configure, RecordingOutbox, settle } from "../talks/harness.js";

/** `/sponsor <verb> …` by the admin (an organizer), or by `by`. */
export function sponsorCommand(t: TestEngine, subcommand: string, options: Record<string, unknown> = {}, o: { by?: ReturnType<typeof import("../../helpers/events.js").member>; id?: string } = {}): Promise<Reply> {
  return t.engine.command(command({ name: "sponsor", subcommand, by: o.by ?? admin, options, ...(o.id ? { id: o.id } : {}) }));
}

/** Adds a sponsor and fails the test if it was refused. */
export async function addSponsor(t: TestEngine, name: string, tier: "gold" | "silver" | "bronze", extra: { url?: string; blurb?: string } = {}): Promise<void> {
  const reply = await sponsorCommand(t, "add", { name, url: extra.url ?? `https://${name.toLowerCase().replace(/[^a-z]/g, "")}.example`, tier, blurb: extra.blurb ?? `${name} makes things` });
  if (reply.tone === "error") throw new Error(`add ${name}: ${plainText(reply.text)}`);
}

/** The test guild's community, as the engine has it now. */
export function community(t: TestEngine): Promise<Community> {
  return t.engine.communities.resolve({ platform: "discord", workspaceId: GUILD });
}

/** The digest's call for one slot, in a transaction of its own. */
export async function shoutOut(t: TestEngine, key: string, at: Date | string): Promise<ShoutOut | undefined> {
  const c = await community(t);
  return t.db.kysely.transaction().execute((trx) => nextShoutOut(trx, c, { key, at: new Date(at) }));
}

export const text = (r: Reply) => plainText(r.text);
