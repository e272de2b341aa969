import { type CommandInvoked, naturalKeys } from "../../core/events.js";
import type { Actor, Place } from "../../core/identity.js";
import { errorReply, type Reply } from "../../core/reply.js";
import type { Command } from "../../engine/commands/context.js";
import { markupResolvers, parseCommandText } from "../shared/command-text.js";
import { unescapeSlack } from "./mrkdwn.js";
import type { SlashCommand } from "./payloads.js";

/**
 * A Slack slash command — one line of free text — as the same raw options Discord sends, via the
 * shared parser and the command's declaration. The engine then validates them with the same zod
 * schemas. Text the parser cannot place comes back as an ephemeral error that shows the usage.
 *
 * The manifest sets `should_escape`, so Slack hands over mentions as markup (`<@U…|name>`,
 * `<#C…|name>`, `<!subteam^S…|@name>`) and escapes `&`, `<` and `>` that members typed; those are
 * unescaped again in plain text values.
 */
export function placeOf(c: SlashCommand): Place {
  return { platform: "slack", workspaceId: c.team_id, channelId: c.channel_id };
}

export function commandEvent(c: SlashCommand, commands: readonly Command[], actor: Actor, at: Date): CommandInvoked | Reply {
  const name = c.command.slice(1).toLowerCase();
  const declaration = commands.find((d) => d.name === name);
  const base = { kind: "command" as const, key: naturalKeys.slackCommand(c.team_id, c.trigger_id), at, place: placeOf(c), actor, name };
  // An unknown name goes to the engine as it is: it answers with the list of commands.
  if (!declaration) return { ...base, options: {} };
  const parsed = parseCommandText(declaration, c.text, markupResolvers(placeOf(c)));
  if (!parsed.ok) return errorReply(parsed.error);
  const options = Object.fromEntries(Object.entries(parsed.options).map(([k, v]) => [k, typeof v === "string" ? unescapeSlack(v) : v]));
  return { ...base, ...(parsed.subcommand ? { subcommand: parsed.subcommand } : {}), options };
}

export function isCommandEvent(x: CommandInvoked | Reply): x is CommandInvoked {
  return "kind" in x;
}
