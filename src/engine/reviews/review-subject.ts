import { z } from "zod";

/**
 * What `/review request` was given as `link`: a pull-request URL (or any https URL), or — when it
 * is not a URL at all — a short snippet of code. Anything that *looks* like a URL (a scheme such as
 * `http://`, `javascript:` or `ftp://`) must be a valid https URL, so a member can't slip a
 * `javascript:` link or a plain-http page onto the card as "a review". Pure.
 */
export type ReviewSubject =
  | { ok: true; kind: "url"; value: string; label: string }
  | { ok: true; kind: "snippet"; value: string; label: string }
  | { ok: false; problem: "scheme"; scheme: string }
  | { ok: false; problem: "bad-url" }
  | { ok: false; problem: "too-long"; max: number };

/** The longest snippet a card shows; anything longer belongs in a gist or a pull request. */
export const SNIPPET_MAX = 500;

const httpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain });

// A scheme followed by `//`, or one of the schemes browsers run or open without `//`. Code such as
// `std::vector` or `a:b` is not a URL: `::` and a scheme without `//` are left to be snippets.
const LOOKS_LIKE_URL = /^([a-z][a-z0-9+.-]*):\/\//i;
const BARE_SCHEMES = /^(javascript|data|vbscript|file|mailto|tel|blob):/i;
// Slack (with `should_escape`) hands a URL typed in a slash command over as `<url>` or `<url|label>`.
const SLACK_LINK = /^<([a-z][a-z0-9+.-]*:[^|>\s]+)(?:\|[^>]*)?>$/i;

export function parseReviewSubject(given: string): ReviewSubject {
  const trimmed = given.trim();
  const text = SLACK_LINK.exec(trimmed)?.[1] ?? trimmed;
  const scheme = LOOKS_LIKE_URL.exec(text)?.[1] ?? BARE_SCHEMES.exec(text)?.[1];
  if (scheme === undefined) {
    if (/^www\./i.test(text) && !/\s/.test(text)) return parseReviewSubject(`https://${text}`);
    const chars = Array.from(text).length;
    if (chars > SNIPPET_MAX) return { ok: false, problem: "too-long", max: SNIPPET_MAX };
    return { ok: true, kind: "snippet", value: text, label: "Snippet" };
  }
  if (scheme.toLowerCase() !== "https") return { ok: false, problem: "scheme", scheme: scheme.toLowerCase() };
  if (/\s/.test(text) || !httpsUrl.safeParse(text).success) return { ok: false, problem: "bad-url" };
  const url = new URL(text);
  return { ok: true, kind: "url", value: url.href, label: labelOf(url) };
}

/** "GitHub pull request", "GitLab merge request", "Bitbucket pull request", else "Link" (the card shows the URL itself). */
export function labelOf(url: URL): string {
  const host = url.hostname.toLowerCase().replace(/^www\./, "");
  const path = url.pathname;
  if (host === "github.com" && /^\/[^/]+\/[^/]+\/pull\/\d+/.test(path)) return "GitHub pull request";
  if (/(^|\.)gitlab\./.test(host) && /\/-\/merge_requests\/\d+/.test(path)) return "GitLab merge request";
  if (host === "bitbucket.org" && /^\/[^/]+\/[^/]+\/pull-requests\/\d+/.test(path)) return "Bitbucket pull request";
  return "Link";
}
