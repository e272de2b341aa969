import type { ButtonPressed, FormSubmitted } from "../../../src/core/events.js";
import { naturalKeys } from "../../../src/core/events.js";
import type { Actor } from "../../../src/core/identity.js";
import { plainText, type Reply } from "../../../src/core/reply.js";
import type { Community } from "../../../src/engine/communities/community.repo.js";
import type { Settings } from "../../../src/engine/communities/settings.js";
import type { TestEngine } from "../../helpers/engine.js";
import { command, GUILD, place } from "../../helpers/events.js";

/** Builders for feedback's engine tests, in the one Discord-like guild of test/helpers/events.ts. */

let n = 0;

/** `/feedback <verb> …` by `by`; `id` names the interaction (reuse it to replay). */
export function feedbackCommand(t: TestEngine, by: Actor, subcommand: string, options: Record<string, unknown> = {}, id = `fb${++n}`): Promise<Reply> {
  return t.engine.command({ ...command({ name: "feedback", by, subcommand, options, id }), at: t.clock.now() });
}

/** A press of button `buttonId` by `by`; `id` names the interaction. */
export function press(t: TestEngine, by: Actor, buttonId: string, id = `press${++n}`): Promise<Reply> {
  const event: ButtonPressed = { kind: "button", key: naturalKeys.discordInteraction(id), at: t.clock.now(), place: place("feedback"), actor: by, buttonId };
  return t.engine.press(event);
}

/** A submitted dialog by `by`; `id` names the interaction. */
export function submit(t: TestEngine, by: Actor, formId: string, values: Record<string, string>, id = `form${++n}`): Promise<Reply> {
  const event: FormSubmitted = { kind: "form", key: naturalKeys.discordInteraction(id), at: t.clock.now(), place: place("feedback"), actor: by, formId, values };
  return t.engine.submit(event);
}

export const text = (r: Reply): string => plainText(r.text);

export function community(t: TestEngine): Promise<Community> {
  return t.engine.communities.resolve({ platform: "discord", workspaceId: GUILD });
}

/** Changes the guild's settings directly (as `/config set` would). */
export async function settings(t: TestEngine, change: (s: Settings) => void): Promise<void> {
  const c = await community(t);
  const next = structuredClone(c.settings);
  change(next);
  await t.engine.communities.updateSettings(c, next);
}

export const channel = (id: string) => `discord:${GUILD}:${id}`;

export async function rows(t: TestEngine) {
  return t.db.kysely.selectFrom("feedback").selectAll().orderBy("number").execute();
}

export async function outboxRows(t: TestEngine) {
  return t.db.kysely.selectFrom("outbox").select(["operation", "dedupe_key"]).orderBy("created_at").orderBy("id").execute();
}
