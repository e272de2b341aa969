import crypto, { randomBytes } from "node:crypto";
import { parseNamespacedId } from "../../core/identity.js";

/**
 * What a forgotten member becomes, and how their id is found inside other values.
 *
 * A member id (`discord:<guild>:<user>`) is a platform user id, which is personal data. Forgetting
 * replaces it, everywhere it is stored, with a pseudonym `forgotten:<32 hex>` — random, made once
 * per forgetting, so nothing in the database leads back to the id, and forgetting a member who came
 * back and was forgotten again gives a second, unrelated pseudonym (no rows to merge). The ledger
 * stays whole under the pseudonym: a pure renaming keeps every sum, so ledger = totals still holds.
 * A pseudonym is no platform id (`parseNamespacedId` refuses it), so no adapter can mention or
 * message it: a DM to it is refused as "rejected".
 */

/** The prefix every pseudonym starts with; nothing else the engine stores does. */
export const PSEUDONYM_PREFIX = "forgotten:";

/** Shown wherever the member's name was: leaderboards, cards, history. */
export const FORGOTTEN_NAME = "forgotten member";

/** Put in place of what the member wrote (feedback, an excerpt, a review's snippet, a talk proposal). */
export const FORGOTTEN_TEXT = "(forgotten)";

export function newPseudonym(): string {
  return `${PSEUDONYM_PREFIX}${randomBytes(16).toString("hex")}`;
}

export function isPseudonym(memberId: string): boolean {
  return memberId.startsWith(PSEUDONYM_PREFIX);
}

/**
 * sha256 hex of `<community>|<member id>`: what the tombstone keeps. It recognises the id when it
 * comes back (a replayed event) and says nothing to whoever does not already have the id.
 */
export function memberHash(communityId: string, memberId: string): string {
  const input = `${communityId}|${memberId}`;
  // The one-shot hash (Node 20.12+) is ~5× faster than createHash on an id this short: the gate
  // may hash every event of a community that has forgotten members.
  return oneShot ? oneShot("sha256", input, "hex") : crypto.createHash("sha256").update(input).digest("hex");
}

const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Characters a member id may go on with: `discord:g1:ada` must not match inside `discord:g1:adam`. */
const ID_CHAR = "A-Za-z0-9_.\\-";

/**
 * Finds the forgotten ids inside longer values and rewrites them. Two spellings occur:
 *
 * - the whole member id, inside natural keys (`<message>:thanks:<member id>`, `talk:<id>:attendee:<member id>`),
 *   outbox keys and JSON (a DM's destination, a mention token `⟦m:<id>|<name>⟧`), wallet memos;
 * - the bare platform user id, inside reaction and voice keys, which the platforms' events spell
 *   without the workspace: `discord:react:<message>:<user>:<emoji>`, `slack:<team>:<channel>:<ts>:react:<user>:<emoji>`,
 *   `console:react:<message>:<user>:<emoji>`, `discord:voice:<guild>:<user>:…`. It becomes
 *   `forgotten-<hex>` (the pseudonym's hex: a key keeps its number of `:`-separated parts).
 *
 * `likes` are SQL LIKE patterns that find every value that may hold one (a superset: the rewrite
 * decides), so the database is asked only for candidate rows.
 */
export class IdRewriter {
  readonly likes: string[] = [];
  private readonly rules: { pattern: RegExp; to: string }[] = [];
  private readonly mentions: RegExp[] = [];

  constructor(readonly renames: ReadonlyMap<string, string>) {
    for (const [id, pseudonym] of renames) {
      this.rules.push({ pattern: new RegExp(`${escape(id)}(?![${ID_CHAR}])`, "g"), to: pseudonym });
      this.likes.push(`%${id}%`);
      this.mentions.push(new RegExp(`⟦m:${escape(pseudonym)}\\|[^⟧]*⟧`, "g"));
      const parts = parseNamespacedId(id);
      if (!parts) continue;
      const user = escape(parts.localId);
      const segment = `forgotten-${pseudonym.slice(PSEUDONYM_PREFIX.length)}`;
      const end = `(?=:)`;
      if (parts.platform === "slack") {
        this.rules.push({ pattern: new RegExp(`(slack:${escape(parts.workspaceId)}:[^:]+:[^:]+:react:)${user}${end}`, "g"), to: `$1${segment}` });
        this.likes.push(`%:react:${parts.localId}:%`);
      } else {
        this.rules.push({ pattern: new RegExp(`(${parts.platform}:react:[^:]+:)${user}${end}`, "g"), to: `$1${segment}` });
        // One simple pattern finds both the reaction and the voice keys (a LIKE with one wildcard
        // pair costs a forgetting far less on a big ledger than one per key shape).
        this.likes.push(`%:${parts.localId}:%`);
      }
      if (parts.platform === "discord") this.rules.push({ pattern: new RegExp(`(discord:voice:[^:]+:)${user}${end}`, "g"), to: `$1${segment}` });
    }
  }

  /** `text` with every forgotten id (both spellings) replaced. */
  rewrite(text: string): string {
    let out = text;
    for (const r of this.rules) out = out.replace(r.pattern, r.to);
    return out;
  }

  /** True when `text` (after {@link rewrite}) mentions a forgotten member. */
  mentionsForgotten(text: string): boolean {
    for (const pseudonym of this.renames.values()) if (text.includes(pseudonym)) return true;
    return false;
  }

  /**
   * A reply (as stored in the outbox) about a forgotten member: ids rewritten, their mention shown
   * as "forgotten member", every piece of member text replaced (a card about them quotes what they
   * wrote), and pictures dropped (a leaderboard picture draws their name).
   */
  scrubReply(json: string): string {
    const reply = JSON.parse(json) as Record<string, unknown>;
    delete reply.attachments;
    const scrub = (value: unknown): unknown => {
      if (typeof value === "string") {
        let s = this.rewrite(value);
        for (const m of this.mentions) s = s.replace(m, (token) => `${token.slice(0, token.indexOf("|") + 1)}${FORGOTTEN_NAME}⟧`);
        return s.replace(/⟦l:[^⟧]*⟧/g, `⟦l:${FORGOTTEN_TEXT}⟧`);
      }
      if (Array.isArray(value)) return value.map(scrub);
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
      return value;
    };
    return JSON.stringify(scrub(reply));
  }
}
