import type { webApi } from "@slack/bolt";
import { type CommandDeclaration, type MessageActionDeclaration, verbsOf } from "../../core/command.js";
import { usageOf } from "../../core/usage.js";

/**
 * The Slack app manifest, derived from the declarations: paste it into "Create New App → From a
 * manifest" and the app has every slash command, a message shortcut per message action ("More
 * actions → Thank the author"), the events the adapter listens to, the bot scopes those need (no
 * more), interactivity, and Socket Mode — or, given a public request URL, HTTP delivery to it instead.
 *
 * Scopes, and why each is needed:
 *   commands           the slash commands and the message shortcuts
 *   chat:write         replies, button updates (chat.update), level-up posts, ephemeral answers
 *   im:write           `conversations.open`: the outbox's direct messages to one member (reminders)
 *   files:write        uploading pictures (leaderboard, rank card) with files.getUploadURLExternal
 *   channels:history   `message.channels` — messages in public channels the bot is in
 *   groups:history     `message.groups` — messages in private channels the bot is in
 *   reactions:read     `reaction_added` / `reaction_removed`
 *   app_mentions:read  `app_mention`
 *   users:read         `users.info`: names, bots, workspace admins and owners
 *   usergroups:read    `usergroups.users.list`: who is in a configured moderator/admin group
 */
export type SlackManifest = webApi.AppsManifestCreateArguments["manifest"];

export const BOT_SCOPES = ["commands", "chat:write", "im:write", "files:write", "channels:history", "groups:history", "reactions:read", "app_mentions:read", "users:read", "usergroups:read"] as const;

export const BOT_EVENTS = ["message.channels", "message.groups", "reaction_added", "reaction_removed", "app_mention"] as const;

export interface ManifestOptions {
  /** The app's name in Slack (at most 35 characters). */
  name?: string;
  /** Bot user display name: a-z, 0-9, `-`, `_` and `.` (at most 80). */
  botName?: string;
  /**
   * Public HTTPS URL of the Bolt endpoint (`…/slack/events`) for HTTP mode. Without it the
   * manifest enables Socket Mode, which needs no public URL.
   */
  requestUrl?: string;
}

/** What follows `/name` in Slack's autocomplete: each verb's form, `show | set <key> [value]`. */
export function usageHint(command: CommandDeclaration<unknown>): string {
  const prefix = `/${command.name}`;
  const forms = verbsOf(command).map(([verb]) => usageOf(command, verb).slice(prefix.length).trim());
  return forms.filter(Boolean).join(" | ").slice(0, 1000);
}

/** Slack accepts at most this many shortcuts in a manifest. */
const MAX_SHORTCUTS = 10;

/** A message action as a message shortcut; Slack sends its use with the declaration's id as `callback_id`. */
export function messageShortcut(action: MessageActionDeclaration<unknown>): { name: string; type: "message"; callback_id: string; description: string } {
  return { name: action.name, type: "message", callback_id: action.id, description: action.description };
}

export function buildManifest(commands: readonly CommandDeclaration<unknown>[], messageActions: readonly MessageActionDeclaration<unknown>[], o: ManifestOptions = {}): SlackManifest {
  const url = o.requestUrl;
  if (messageActions.length > MAX_SHORTCUTS) throw new Error(`${messageActions.length} message actions are declared; a Slack app can have ${MAX_SHORTCUTS} shortcuts`);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: (o.name ?? "guildkeeper").slice(0, 35),
      description: "Points, levels and leaderboards for your developer community.",
    },
    features: {
      bot_user: { display_name: o.botName ?? "guildkeeper", always_online: true },
      slash_commands: commands.map((c) => {
        const hint = usageHint(c);
        return {
          command: `/${c.name}`,
          description: c.description,
          // Mentions arrive as <@U…>, <#C…> and <!subteam^S…> markup, which the text parser reads.
          should_escape: true,
          ...(hint ? { usage_hint: hint } : {}),
          ...(url ? { url } : {}),
        };
      }),
      // Shortcuts arrive as interactivity (`message_action`), so they need no URL of their own.
      ...(messageActions.length ? { shortcuts: messageActions.map(messageShortcut) } : {}),
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { bot_events: [...BOT_EVENTS], ...(url ? { request_url: url } : {}) },
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !url,
      token_rotation_enabled: false,
    },
  };
}
