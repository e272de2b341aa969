import type { Reply } from "../../core/reply.js";
import type { Command } from "../../engine/commands/context.js";
import type { Engine } from "../../engine/engine.js";
import { ROLE_CHECKS } from "../../engine/preconditions/roles.js";
import type { Logger } from "../../log.js";
import type { SlackDirectory } from "./directory.js";
import { renderMessage, type SlackMessage } from "./render-blocks.js";
import type { Secrets } from "./secrets.js";

/** What the command and interactivity listeners share. */
export interface ListenerDeps {
  engine: Engine;
  commands: readonly Command[];
  directory: SlackDirectory;
  log: Logger;
  secrets: Secrets;
}

/**
 * How long a command, button or form may take before the adapter acknowledges Slack without its
 * answer (and sends the answer later through `response_url`). Slack's limit is 3 s; this leaves room
 * for the directory lookups before it (at most 0.8 s), the network, and opening a modal.
 */
export const ANSWER_BUDGET_MS = 1500;

/** A reply as the body of a slash-command answer or a `response_url` post. */
export function responseBody(reply: Reply, team: string, extra: { replace_original?: boolean } = {}): SlackMessage & { response_type: "ephemeral" | "in_channel"; replace_original?: boolean } {
  return { response_type: reply.ephemeral ? "ephemeral" : "in_channel", ...renderMessage(reply, team), ...extra };
}

/**
 * POSTs to a `response_url` (valid for 30 minutes and 5 uses). Used where Bolt offers no `respond`:
 * answering a modal submission in the channel the modal was opened from.
 */
export async function postToResponseUrl(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}

/**
 * The user groups (raw `S…` ids) worth checking for `team`: those that grant a level of trust under
 * the community's settings, as the named role checks say (`grantedBy` in
 * engine/preconditions/roles.ts; "member" is granted by nothing, so it adds none). Slack has no
 * per-command permissions, so membership of these is what the adapter reports on the actor.
 */
export async function configuredGroups(engine: Engine, team: string): Promise<string[]> {
  const { settings } = await engine.communities.resolve({ platform: "slack", workspaceId: team });
  const prefix = `slack:${team}:&`;
  const ids = Object.values(ROLE_CHECKS)
    .flatMap((level) => level.grantedBy(settings))
    .filter((id) => id.startsWith(prefix))
    .map((id) => id.slice(prefix.length));
  return [...new Set(ids)];
}

/** Runs a late answer's delivery without letting its failure go unnoticed. */
export function deliverLater(work: () => Promise<void>, deps: Pick<ListenerDeps, "log" | "secrets">, what: string): void {
  void work().catch((error: unknown) => deps.log.warn({ ...deps.secrets.describe(error) }, `slack: could not deliver ${what}`));
}
