import { DiscordAPIError, HTTPError, type RESTPostAPIApplicationCommandsJSONBody } from "discord.js";

/**
 * Discord's refusals as sentences for the CLIs, instead of raw JSON. A DiscordAPIError carries the
 * request (URL, body, and for interactions a token), so only its status, code, message and the
 * field errors Discord listed are read.
 *
 * For a bulk registration (`PUT …/commands`) Discord answers 50035 "Invalid Form Body" with the
 * problems nested by position: `{ "1": { "options": { "0": { "description": { "_errors": [{ code,
 * message }] } } } } }`. Each becomes one line naming the command (and option) it is about.
 */
export function describeDiscordFailure(error: unknown, host: string): string {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return "Discord refused DISCORD_TOKEN (401 Unauthorized): reset the token under Bot in the Developer Portal and put it in DISCORD_TOKEN.";
    if (error.code === 50001 || error.code === 10004) return `Discord answered ${error.status} (${firstLine(error.message)}, ${error.code}): is the bot in that server, and is DISCORD_GUILD_ID right? Invite it with npm run discord:invite.`;
    return `Discord answered ${error.status}: ${firstLine(error.message)} (code ${String(error.code)}).`;
  }
  if (error instanceof HTTPError) return `Discord at ${host} answered HTTP ${error.status}; try again later (or check DISCORD_API_URL).`;
  const cause = error instanceof Error ? ((error as { cause?: unknown }).cause ?? error) : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) return `Discord at ${host} did not answer in time; check the network (and DISCORD_API_URL if set).`;
  if (typeof code === "string") return `could not reach Discord at ${host} (${code}); check the network (and DISCORD_API_URL if set).`;
  return `Discord request failed: ${error instanceof Error ? firstLine(error.message) : String(error).slice(0, 200)}`;
}

interface FieldError {
  code?: unknown;
  message?: unknown;
}

/** One line per problem Discord found in the commands it was sent; other failures as one line. */
export function describeRegistrationFailure(error: unknown, sent: readonly RESTPostAPIApplicationCommandsJSONBody[], host: string): string[] {
  if (!(error instanceof DiscordAPIError) || error.status !== 400) return [describeDiscordFailure(error, host)];
  const errors = (error.rawError as { errors?: unknown }).errors;
  const lines: string[] = [];
  walk(errors, [], (path, e) => lines.push(`${where(path, sent)}: ${String(e.message ?? "invalid").slice(0, 300)}${typeof e.code === "string" ? ` (${e.code})` : ""}`));
  return lines.length ? lines : [describeDiscordFailure(error, host)];
}

function walk(node: unknown, path: string[], found: (path: string[], error: FieldError) => void): void {
  if (typeof node !== "object" || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "_errors" && Array.isArray(value)) {
      for (const e of value) found(path, (e ?? {}) as FieldError);
    } else walk(value, [...path, key], found);
  }
}

/**
 * `["1", "options", "0", "description"]` → `/points, option "member": description`: positions become the
 * names of the command and options that were sent there.
 */
function where(path: string[], sent: readonly RESTPostAPIApplicationCommandsJSONBody[]): string {
  const [first, ...rest] = path;
  const index = Number(first);
  const command = Number.isInteger(index) ? sent[index] : undefined;
  if (!command) return path.length ? path.join(".") : "the commands";
  const parts: string[] = [];
  let options = (command as { options?: { name: string; options?: unknown[] }[] }).options;
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i]!;
    const next = rest[i + 1];
    if (key === "options" && next !== undefined && Number.isInteger(Number(next))) {
      const option = options?.[Number(next)];
      parts.push(`option "${option?.name ?? next}"`);
      options = option?.options as typeof options;
      i++;
    } else parts.push(key);
  }
  const name = command.type === undefined || command.type === 1 ? `/${command.name}` : `"${command.name}"`;
  return parts.length ? `${name}, ${parts.join(" ")}` : name;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.slice(0, 200);
}
