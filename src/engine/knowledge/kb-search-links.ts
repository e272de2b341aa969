/**
 * A stored link as reply text: only an http(s) URL without spaces or markup characters passes (the
 * bot made it from a message key; anything else is shown as nothing rather than risk markup).
 * Underscores pass: Slack's thread links carry `thread_ts`, and both platforms link a bare URL whole.
 */
export function linkOrNothing(label: string, link: string): string {
  return /^https?:\/\/[^\s<>|`*~\]()⟦⟧]+$/u.test(link) ? `${label}: ${link}` : "";
}
