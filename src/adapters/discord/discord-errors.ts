import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";

/**
 * Discord's errors, for decisions and for logs. A DiscordAPIError carries the request URL, and an
 * interaction's URL holds its token (valid 15 minutes), so errors are logged through
 * {@link loggableError}, which keeps what helps and drops the URL and request body.
 */
export const DISCORD_CODES = {
  unknownMember: 10007,
  unknownRole: 10011,
  unknownInteraction: 10062,
  missingAccess: 50001,
  missingPermissions: 50013,
} as const;

export function discordCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === "number" ? error.code : undefined;
}

/** Discord refused because the bot lacks a permission (or cannot see the channel). */
export function isMissingPermission(error: unknown): boolean {
  const code = discordCode(error);
  return code === DISCORD_CODES.missingPermissions || code === DISCORD_CODES.missingAccess;
}

export function loggableError(error: unknown): unknown {
  if (error instanceof DiscordAPIError) {
    return { type: "DiscordAPIError", code: error.code, status: error.status, method: error.method, message: error.message };
  }
  if (error instanceof HTTPError) return { type: "HTTPError", status: error.status, method: error.method, message: error.message };
  if (error instanceof RateLimitError) return { type: "RateLimitError", route: error.route, retryAfter: error.retryAfter, global: error.global };
  return error;
}
