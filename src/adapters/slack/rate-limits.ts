import { webApi } from "@slack/bolt";

/**
 * Tells `onRateLimited` of every HTTP 429 on the WebClients it watches. @slack/web-api emits
 * `rate_limited` (WebClientEvent.RATE_LIMITED) on the client for each 429 carrying Retry-After,
 * whether it then waits (Bolt's clients) or rejects (the outbox's).
 */
export class RateLimitWatch {
  private readonly watched = new WeakSet<webApi.WebClient>();

  constructor(private readonly onRateLimited: () => void) {}

  /** Watches `client` (once, however often it is passed) and returns it. */
  watch(client: webApi.WebClient): webApi.WebClient {
    if (!this.watched.has(client)) {
      this.watched.add(client);
      client.on(webApi.WebClientEvent.RATE_LIMITED, () => this.onRateLimited());
    }
    return client;
  }
}
