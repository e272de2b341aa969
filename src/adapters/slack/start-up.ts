import { hostOf, type StartBounds } from "../shared/start-bounds.js";
import { type Logger as BoltLogger, webApi } from "@slack/bolt";
import { type AuthTest, authTestSchema } from "./payloads.js";

/**
 * Start-up that ends: within a bounded time, with one sentence naming the host and the reason.
 *
 * Left alone, @slack/web-api retries a failed request for minutes and Socket Mode keeps
 * reconnecting, so a bogus token or no network looked like a hang ("http request failed fetch
 * failed", over and over). Here the bot token is checked first with a single `auth.test` — no
 * retries, a timeout — and the rest of start-up (Socket Mode's `apps.connections.open` and its
 * `hello`, or the HTTP listener) runs under the same deadline. A token Slack refuses fails at once.
 * Error messages never contain a token.
 */
export const DEFAULT_START_TIMEOUT_MS = 30_000;

/** Slack's answers that mean "this token is not valid" (auth.test, apps.connections.open). */
const REFUSED_TOKEN = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type", "missing_scope", "team_disabled", "user_removed_from_team"]);

/** Which token a failure is about, and what it should have been. */
export const TOKENS = {
  bot: { env: "SLACK_BOT_TOKEN", what: "the Bot User OAuth Token (xoxb-…) under OAuth & Permissions" },
  app: { env: "SLACK_APP_TOKEN", what: "an App-Level Token (xapp-…) with connections:write, under Basic Information" },
} as const;

export class SlackStartError extends Error {
  override name = "SlackStartError";
}

export { hostOf, type StartBounds } from "../shared/start-bounds.js";

/** `auth.test` with the bot token, once: the bot's identity, or a SlackStartError saying why not. */
export async function checkBotToken(o: { apiUrl: string; botToken: string; logger: BoltLogger; bounds: StartBounds }): Promise<AuthTest> {
  const client = new webApi.WebClient(o.botToken, { slackApiUrl: o.apiUrl, logger: o.logger, retryConfig: { retries: 0 }, timeout: o.bounds.timeoutMs });
  const answer = await withDeadline(client.auth.test(), o.bounds, "auth.test").catch((error: unknown) => {
    throw explainStartFailure(error, "bot", o.bounds);
  });
  const parsed = authTestSchema.safeParse(answer);
  if (!parsed.success) throw new SlackStartError(`Slack at ${o.bounds.host} answered auth.test with something that is not an identity; is SLACK_API_URL right?`);
  return parsed.data;
}

/** Resolves or rejects with `work`, or rejects with a SlackStartError once `bounds.timeoutMs` have passed. */
export function withDeadline<T>(work: Promise<T>, bounds: StartBounds, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SlackStartError(`Slack at ${bounds.host} did not answer ${step} within ${seconds(bounds.timeoutMs)}; check the network (and SLACK_API_URL if set)`)), bounds.timeoutMs);
  });
  // The loser must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** One sentence for why start-up failed: refused token, unreachable host, timeout, HTTP error. */
export function explainStartFailure(error: unknown, token: keyof typeof TOKENS, bounds: StartBounds): SlackStartError {
  if (error instanceof SlackStartError) return error;
  const { env, what } = TOKENS[token];
  const coded = error as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; original?: unknown };
  if (coded.code === webApi.ErrorCode.PlatformError) {
    const slackError = String(coded.data?.error ?? "unknown_error");
    if (REFUSED_TOKEN.has(slackError)) return new SlackStartError(`Slack refused ${env} (${slackError}): set it to ${what}`);
    return new SlackStartError(`Slack at ${bounds.host} refused to start the app (${slackError})`);
  }
  if (coded.code === webApi.ErrorCode.HTTPError) return new SlackStartError(`Slack at ${bounds.host} answered HTTP ${String(coded.statusCode)}; is SLACK_API_URL right?`);
  if (coded.code === webApi.ErrorCode.RequestError) {
    const reason = networkReason(coded.original);
    if (reason === "timeout") return new SlackStartError(`Slack at ${bounds.host} did not answer within ${seconds(bounds.timeoutMs)}; check the network (and SLACK_API_URL if set)`);
    return new SlackStartError(`could not reach Slack at ${bounds.host} (${reason}); check the network (and SLACK_API_URL if set)`);
  }
  return new SlackStartError(`Slack start-up failed at ${bounds.host}: ${error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300)}`);
}

/** `ECONNREFUSED`, `ENOTFOUND`, … from fetch's error (its `cause`), or "timeout". */
function networkReason(original: unknown): string {
  if (!(original instanceof Error)) return "a network error";
  if (original.name === "TimeoutError" || original.name === "AbortError") return "timeout";
  const cause = (original as { cause?: unknown }).cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === "string") return cause.code;
  return typeof cause?.message === "string" ? cause.message.slice(0, 200) : original.message.slice(0, 200);
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
