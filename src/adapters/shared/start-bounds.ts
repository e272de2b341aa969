/** How long a platform's start-up may take, and whom to name when it does not answer. */
export interface StartBounds {
  /** `host[:port]` of the platform's API, for messages. */
  host: string;
  timeoutMs: number;
}

/** The `host[:port]` of an API base URL, for messages (the URL itself as given when it does not parse). */
export function hostOf(apiUrl: string): string {
  try {
    return new URL(apiUrl).host;
  } catch {
    return apiUrl;
  }
}
