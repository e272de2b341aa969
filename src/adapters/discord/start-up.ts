import { hostOf, type StartBounds } from "../shared/start-bounds.js";
import { once } from "node:events";
import { type Client, DiscordAPIError, DiscordjsErrorCodes, Events, HTTPError } from "discord.js";

/**
 * Logging in that ends: within a bounded time, with one sentence naming the host and the reason.
 *
 * discord.js retries a REST request that times out (15 s, three times) and reconnects the gateway
 * on its own, so an API address that accepts connections but never answers looked like a hang. A
 * token Discord refuses (401 on `GET /gateway/bot`) already fails at once; it is said plainly here.
 * Error messages never contain the token, and no library error (which carries the request) is
 * attached to them.
 */
export const DEFAULT_START_TIMEOUT_MS = 30_000;

export class DiscordStartError extends Error {
  override name = "DiscordStartError";
}

export { hostOf, type StartBounds } from "../shared/start-bounds.js";

/**
 * Logs `client` in with `token` and waits for `ClientReady`, or rejects with a DiscordStartError:
 * refused token, unreachable host, no answer within the bound, or a gateway closed for good.
 * The caller destroys the client on failure.
 */
export async function logIn(client: Client, token: string, bounds: StartBounds): Promise<void> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const ready = once(client, Events.ClientReady, { signal: abort.signal });
  const closed = once(client, Events.ShardDisconnect, { signal: abort.signal }).then(([event]: unknown[]) => {
    const code = (event as { code?: unknown } | undefined)?.code;
    throw new DiscordStartError(`Discord closed the gateway at start (code ${String(code)}${code === 4004 ? ": authentication failed, check DISCORD_TOKEN" : ""})`);
  });
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DiscordStartError(`Discord at ${bounds.host} did not answer within ${seconds(bounds.timeoutMs)}; check the network (and DISCORD_API_URL if set)`)), bounds.timeoutMs);
  });
  const login = client.login(token);
  // Whichever loses must not become an unhandled rejection.
  for (const p of [ready, closed, login]) p.catch(() => undefined);
  try {
    await Promise.race([Promise.all([login, ready]), closed, late]);
  } catch (error) {
    throw explainStartFailure(error, bounds);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

export function explainStartFailure(error: unknown, bounds: StartBounds): DiscordStartError {
  if (error instanceof DiscordStartError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === DiscordjsErrorCodes.TokenInvalid || (error instanceof DiscordAPIError && error.status === 401)) {
    return new DiscordStartError("Discord refused DISCORD_TOKEN (401 Unauthorized): reset the token under Bot in the Developer Portal and put it in DISCORD_TOKEN");
  }
  if (error instanceof DiscordAPIError) return new DiscordStartError(`Discord at ${bounds.host} answered ${error.status} (${String(error.code)}: ${error.message.slice(0, 200)})`);
  if (error instanceof HTTPError) return new DiscordStartError(`Discord at ${bounds.host} answered HTTP ${error.status}; is DISCORD_API_URL right?`);
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return new DiscordStartError(`Discord at ${bounds.host} did not answer within ${seconds(bounds.timeoutMs)}; check the network (and DISCORD_API_URL if set)`);
  }
  const cause = error instanceof Error ? ((error as { cause?: { code?: unknown } }).cause ?? error) : undefined;
  const reason = typeof (cause as { code?: unknown } | undefined)?.code === "string" ? String((cause as { code: string }).code) : error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
  return new DiscordStartError(`could not reach Discord at ${bounds.host} (${reason}); check the network (and DISCORD_API_URL if set)`);
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
