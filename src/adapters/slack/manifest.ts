import type { webApi } from "@slack/bolt";
import { type CommandDeclaration, verbsOf } from "../../core/command.js";
import { usageOf } from "../../core/usage.js";

/**
 * The Slack app manifest, derived from the command declarations: paste it into "Create New App →
 * From a manifest" and the app has every slash command, the events the adapter listens to, the
 * bot scopes those need (no more), interactivity, and Socket Mode — or, given a public request URL,
 * HTTP delivery to it instead.
 *
 * Scopes, and why each is needed:
 *   commands           the slash commands
 *   chat:write         replies, button updates (chat.update), level-up posts, ephemeral answers
 *   channels:history   `message.channels` — messages in public channels the bot is in
 *   groups:history     `message.groups` — messages in private channels the bot is in
 *   reactions:read     `reaction_added` / `reaction_removed`
 *   app_mentions:read  `app_mention`
 *   users:read         `users.info`: names, bots, workspace admins and owners
 *   usergroups:read    `usergroups.users.list`: who is in a configured moderator/admin group
 */
export type SlackManifest = webApi.AppsManifestCreateArguments["manifest"];

export const BOT_SCOPES = ["commands", "chat:write", "channels:history", "groups:history", "reactions:read", "app_mentions:read", "users:read", "usergroups:read"] as const;

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

export function buildManifest(commands: readonly CommandDeclaration<unknown>[], o: ManifestOptions = {}): SlackManifest {
  const url = o.requestUrl;
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
