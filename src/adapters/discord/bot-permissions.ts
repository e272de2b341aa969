import { OAuth2Scopes, PermissionFlagsBits, PermissionsBitField } from "discord.js";

/**
 * The permissions the bot uses, defined once: the invite URL asks for exactly these, and the docs
 * list them. Adding a feature that needs another permission means adding it here.
 */
export const BOT_PERMISSIONS: readonly { name: keyof typeof PermissionFlagsBits; why: string }[] = [
  { name: "ViewChannel", why: "see the channels it counts activity in" },
  { name: "SendMessages", why: "post level-up announcements and moderator notices" },
  { name: "SendMessagesInThreads", why: "announce level-ups reached in a thread" },
  { name: "EmbedLinks", why: "show replies and announcements as embeds" },
  { name: "AttachFiles", why: "attach pictures (leaderboard, rank card, digest) to the posts it makes on its own" },
  { name: "ManageRoles", why: "grant level reward roles (Discord allows only roles below the bot's own)" },
  { name: "ManageEvents", why: "show talks in the server's Events tab (optional: talks work without it, organizers are told once)" },
  { name: "ManageMessages", why: "delete a member's message when a moderator removes it from the review queue" },
];

/** The OAuth2 scopes: a bot user, and slash commands. */
export const BOT_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

export const botPermissions = (): PermissionsBitField => new PermissionsBitField(BOT_PERMISSIONS.map((p) => PermissionFlagsBits[p.name]));

/** The URL a server admin opens to add the bot, asking for exactly what it uses. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: BOT_SCOPES.join(" "),
    permissions: botPermissions().bitfield.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query.toString()}`;
}
