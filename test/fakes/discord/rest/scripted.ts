/**
 * Canned answers a test queues for a route ("the next POST to this channel gets a 429"), consulted before the
 * normal routes. Each script answers `times` matching requests, then steps aside.
 */
import type { RequestMatcher, ScriptedResponse } from "../types.js";

/** A matcher from a method and a path (exact string, or a RegExp tested against the decoded path). */
export function matchRoute(method: string, path: string | RegExp): RequestMatcher {
  return (req) => req.method === method.toUpperCase() && (typeof path === "string" ? req.path === path : path.test(req.path));
}

export interface RateLimitOptions {
  /** Seconds to wait, as Discord sends in `Retry-After`; fractions work with @discordjs/rest and keep tests fast. */
  retryAfterSeconds: number;
  /** A global limit (X-RateLimit-Global) stalls every route, not just this bucket. */
  global?: boolean;
  /** "user" (default), "global" or "shared" — X-RateLimit-Scope. */
  scope?: "user" | "global" | "shared";
  bucket?: string;
}

/**
 * A 429 as Discord sends it (docs topics/rate-limits#exceeding-a-rate-limit): headers Retry-After,
 * X-RateLimit-Limit/Remaining/Reset-After/Bucket/Scope (+ X-RateLimit-Global), body `{message, retry_after, global}`.
 */
export function rateLimitResponse(options: RateLimitOptions): ScriptedResponse {
  const seconds = String(options.retryAfterSeconds);
  return {
    status: 429,
    headers: {
      "retry-after": seconds,
      "x-ratelimit-limit": "5",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset-after": seconds,
      "x-ratelimit-bucket": options.bucket ?? "fakebucket",
      "x-ratelimit-scope": options.scope ?? (options.global ? "global" : "user"),
      ...(options.global && { "x-ratelimit-global": "true" }),
    },
    body: { message: "You are being rate limited.", retry_after: options.retryAfterSeconds, global: options.global ?? false },
  };
}

interface Script {
  matcher: RequestMatcher;
  response: ScriptedResponse;
  remaining: number;
}

export class ScriptedResponses {
  private scripts: Script[] = [];

  add(matcher: RequestMatcher, response: ScriptedResponse, times: number): void {
    this.scripts.push({ matcher, response, remaining: times });
  }

  /** The scripted answer for this request, if any (used up in the order scripts were added). */
  take(req: { method: string; path: string }): ScriptedResponse | null {
    const script = this.scripts.find((s) => s.remaining > 0 && s.matcher(req));
    if (!script) return null;
    script.remaining -= 1;
    this.scripts = this.scripts.filter((s) => s.remaining > 0);
    return script.response;
  }

  clear(): void {
    this.scripts = [];
  }
}
