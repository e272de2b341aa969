import { LinkifyIt } from "linkify-it";

/**
 * Links in a message, found by linkify-it (a real parser: schemes, bare domains with known TLDs,
 * e-mail addresses), not by a regular expression of our own, then sorted into what the score cares
 * about: invites, documentation, URL shorteners and look-alikes of well-known domains.
 */
export interface LinkFacts {
  count: number;
  invite: boolean;
  doc: boolean;
  shortener: boolean;
  /** A host that imitates discord, steam, github… without being it (`dlscord-gift.com`). */
  lookalike: boolean;
  /** Spans [start, end) of the links in the text, to leave them out of the letter counts. */
  spans: number[];
}

export const NO_LINKS: LinkFacts = Object.freeze({ count: 0, invite: false, doc: false, shortener: false, lookalike: false, spans: [] as number[] }) as LinkFacts;

// Fuzzy links ("docs.rs/tokio") need their TLD known; the default list lacks the ones chat uses most.
const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: false }).tlds(
  ["dev", "app", "io", "gg", "sh", "rs", "ai", "xyz", "site", "online", "top", "link", "click", "club", "live", "tech", "store", "fun", "me", "to", "ly", "co", "cc"],
  true,
);

const INVITE_HOSTS = new Set(["discord.gg", "discord.me", "dsc.gg", "invite.gg", "t.me", "telegram.me", "chat.whatsapp.com", "join.slack.com"]);
const INVITE_PATH = /^\/(invite|servers)\//i;
const SHORTENERS = new Set(["bit.ly", "tinyurl.com", "t.co", "goo.gl", "cutt.ly", "is.gd", "rb.gy", "shorturl.at", "ow.ly", "tiny.cc", "rebrand.ly", "s.id"]);
const DOC_HOSTS = new Set([
  "github.com", "gist.github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "stackoverflow.com", "serverfault.com", "superuser.com",
  "developer.mozilla.org", "npmjs.com", "www.npmjs.com", "pypi.org", "docs.rs", "crates.io", "pkg.go.dev", "go.dev", "man7.org",
  "wikipedia.org", "en.wikipedia.org", "nodejs.org", "python.org", "www.python.org", "typescriptlang.org", "www.typescriptlang.org",
  "rust-lang.org", "doc.rust-lang.org", "kubernetes.io", "react.dev", "vuejs.org", "svelte.dev", "kotlinlang.org", "php.net", "www.php.net",
  "postgresql.org", "www.postgresql.org", "sqlite.org", "www.sqlite.org", "w3.org", "www.w3.org", "caniuse.com", "regex101.com", "rfc-editor.org",
  "datatracker.ietf.org", "learn.microsoft.com", "cppreference.com", "en.cppreference.com", "hexdocs.pm", "rubydoc.info", "javadoc.io",
]);
const DOC_HOST_PREFIX = /^(docs?|developers?|devdocs|learn|api|wiki|reference|manual)\./;
const DOC_HOST_SUFFIX = /\.(readthedocs\.io|stackexchange\.com|github\.io|gitbook\.io)$/;
const DOC_PATH = /\/(docs?|api|reference|manual|guide|guides|wiki|tutorial|issues|pull|blob|tree|discussions)(\/|$|#)/i;
const GENUINE = new Set(["discord.com", "discord.gg", "discordapp.com", "discord.media", "steamcommunity.com", "steampowered.com", "store.steampowered.com", "github.com"]);
const LOOKALIKE = /d[i1l!|]s[ck]{1,2}[o0]r[dcl]{1,2}|steam[-c]?[o0]m+un[i1l!|]t[yi]|steampow[e3]r|g[i1l]thub[-.]?(gift|gg|login)|n[i1]tr[o0][-.]?(gift|free|drop)/i;

const LINKISH = /[\w-]\.[a-z]|:\/\//i;

function hostAndPath(url: string): { host: string; path: string } {
  const start = url.indexOf("//");
  const rest = start >= 0 ? url.slice(start + 2) : url;
  const slash = rest.search(/[/?#]/);
  const host = (slash >= 0 ? rest.slice(0, slash) : rest).toLowerCase().replace(/^[^@]*@/, "").replace(/:\d+$/, "");
  return { host, path: slash >= 0 ? rest.slice(slash) : "/" };
}

export function linksIn(text: string): LinkFacts {
  // Cheap tests first: most messages have no link at all, and a link has a dot followed by a letter.
  if (!LINKISH.test(text) || !linkify.test(text)) return NO_LINKS;
  const matches = linkify.match(text) ?? [];
  const facts: LinkFacts = { count: 0, invite: false, doc: false, shortener: false, lookalike: false, spans: [] };
  for (const m of matches) {
    if (m.schema === "mailto:") continue;
    facts.count++;
    facts.spans.push(m.index, m.lastIndex);
    const { host, path } = hostAndPath(m.url);
    const bare = host.replace(/^www\./, "");
    if (INVITE_HOSTS.has(bare) || ((bare === "discord.com" || bare === "discordapp.com") && INVITE_PATH.test(path))) facts.invite = true;
    if (SHORTENERS.has(bare)) facts.shortener = true;
    if (DOC_HOSTS.has(host) || DOC_HOSTS.has(bare) || DOC_HOST_PREFIX.test(bare) || DOC_HOST_SUFFIX.test(bare) || DOC_PATH.test(path)) facts.doc = true;
    if (!GENUINE.has(bare) && ![...GENUINE].some((g) => bare.endsWith(`.${g}`)) && LOOKALIKE.test(bare)) facts.lookalike = true;
  }
  if (facts.lookalike || facts.invite) facts.doc = false;
  return facts;
}

/**
 * The text with every link made unclickable ("defanged": `https[://]dlscord-gift[.]com/x`), for
 * showing a reported or flagged message to moderators: Discord and Slack turn a URL into a link even
 * inside escaped text, and a queue full of spam is a queue full of scam links one click away.
 */
export function defangLinks(text: string): string {
  if (!LINKISH.test(text) || !linkify.test(text)) return text;
  let out = "";
  let from = 0;
  for (const m of linkify.match(text) ?? []) {
    out += text.slice(from, m.index) + m.raw.replace("://", "[://]").replace(/\./g, "[.]");
    from = m.lastIndex;
  }
  return out + text.slice(from);
}

/** The text with the given [start, end) spans cut out (links, code). */
export function without(text: string, spans: readonly number[]): string {
  if (spans.length === 0) return text;
  let out = "";
  let from = 0;
  for (let i = 0; i < spans.length; i += 2) {
    out += `${text.slice(from, spans[i])} `;
    from = spans[i + 1]!;
  }
  return out + text.slice(from);
}
