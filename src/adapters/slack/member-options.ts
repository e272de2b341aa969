import type { CommandInvoked } from "../../core/events.js";
import { type MemberRef, parseNamespacedId } from "../../core/identity.js";
import { errorReply, memberText, type Reply } from "../../core/reply.js";
import type { Command } from "../../engine/commands/context.js";
import type { SlackDirectory } from "./directory.js";

/**
 * A command's member option is a member Slack confirmed, never free text.
 *
 * A slash command is one line of text, and text can look like anything: `slack:T…:UFAKE0001`, a
 * `discord:…` id, an id with a right-to-left override, `<@U…>` markup for someone who does not
 * exist. Each once earned +10 for a member who does not exist, whose name then showed on the
 * leaderboard. So every member option that reached a member reference is checked here with Slack
 * (`users.info`, through the directory's cache) before the engine runs the command:
 *
 * - a member of this workspace: passed on with the name and bot flag Slack gave;
 * - anything else: a private error naming what was given, saying how a member is written;
 * - Slack could not say (slow or failing): a private "try again", never a guess.
 *
 * Options still holding text are left to the engine, whose validation already says "mention them".
 */
export async function confirmMemberOptions(event: CommandInvoked, commands: readonly Command[], directory: SlackDirectory): Promise<CommandInvoked | Reply> {
  const declaration = commands.find((c) => c.name === event.name);
  const verb = declaration && (declaration.verb ?? (event.subcommand ? declaration.subcommands?.[event.subcommand] : undefined));
  if (!verb) return event;
  const team = event.place.workspaceId;
  const options = { ...event.options };
  for (const [name, def] of Object.entries(verb.options)) {
    const given = options[name];
    if (def.kind !== "member" || typeof given !== "object" || given === null) continue;
    const id = typeof (given as Partial<MemberRef>).id === "string" ? (given as MemberRef).id : "";
    const userId = localUserId(id, team);
    const shown = `\`${memberText(id.slice(0, 80) || "?")}\``;
    if (!userId) return notAMember(event.name, name, shown);
    const check = await directory.checkMember(userId);
    if (check.verdict === "unknown") return notAMember(event.name, name, shown);
    if (check.verdict === "unchecked") return errorReply(`I could not check ${shown} with Slack just now, so /${event.name} did not run. Please try again in a moment.`);
    options[name] = { id, displayName: check.profile.displayName, isBot: check.profile.isBot } satisfies MemberRef;
  }
  return { ...event, options };
}

/** `U…`/`W…` when `id` is `slack:<team>:<that>` for this team, else undefined. */
function localUserId(id: string, team: string): string | undefined {
  const parsed = parseNamespacedId(id);
  if (!parsed || parsed.platform !== "slack" || parsed.workspaceId !== team) return undefined;
  return /^[UW][A-Z0-9]{2,40}$/.test(parsed.localId) ? parsed.localId : undefined;
}

function notAMember(command: string, option: string, shown: string): Reply {
  return errorReply(`\`${option}\`: ${shown} is not a member of this workspace, so /${command} did not run. Write a member as an @mention: type @ and pick them from the list.`);
}
