/**
 * What the other bots' files come down to: one XP figure per member. The parsers (mee6.ts,
 * polaris.ts, csv-xp.ts) validate a file with zod and hand back these records; plan-xp.ts turns
 * them into ledger rows.
 */

/** The files another bot wrote; `guildkeeper` (our own export) is restored differently (restore.ts). */
export type XpSource = "mee6" | "polaris" | "csv";

/** Every `--from`. */
export type ImportSource = XpSource | "guildkeeper";

export const IMPORT_SOURCES: readonly ImportSource[] = ["mee6", "polaris", "csv", "guildkeeper"];

/**
 * Points per XP when `--factor` is not given: what one message earns there against one post here
 * (5 points at the default `points.post`). MEE6 gives 15–25 XP per message, at most once a minute
 * (20 on average): 5 / 20. Polaris gives 50–100 by default (`gain.min`/`gain.max`, once per 60 s):
 * 5 / 75. A CSV is taken to be in points already.
 */
export const DEFAULT_FACTORS: Readonly<Record<XpSource, number>> = { mee6: 0.25, polaris: 1 / 15, csv: 1 };

/** The most XP one member may have in a file: far beyond any real server, well inside a 32-bit integer column. */
export const MAX_XP = 1_000_000_000;

/** One member's XP as a file states it. */
export interface XpRecord {
  /** A Discord user id (MEE6, Polaris); in a CSV also another platform's user id or a namespaced member id. */
  member: string;
  /** The name the file gives, if any (cleaned before it is stored). */
  name?: string;
  xp: number;
  /** Where the record is, for messages (`line 4`, `players[2] (line 31, column 5)`); worked out only when needed. */
  where(): string;
}

/** A validated file. */
export interface XpFile {
  source: XpSource;
  /** Set when every member id is a Discord user id (MEE6, Polaris). */
  platform?: "discord";
  /** The Discord server the file says it is from (MEE6 names it; Polaris does not). */
  guildId?: string;
  records: XpRecord[];
  /** Worth saying before the figures (the file's own XP rates differ from the defaults the factor assumes). */
  notes: string[];
}

/** A result that is a value or the one error to show (which names where in the file). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A Discord snowflake as these files write it: digits, as a string (numbers would lose precision). */
export const SNOWFLAKE = /^\d{5,20}$/;

/** The same member twice in one file is refused: which figure is meant cannot be guessed. */
export function refuseDuplicates(records: readonly XpRecord[], key: (r: XpRecord) => string = (r) => r.member): string | undefined {
  const seen = new Map<string, XpRecord>();
  for (const r of records) {
    const k = key(r);
    const before = seen.get(k);
    if (before) return `${r.where()}: member ${r.member} is in the file twice (also at ${before.where()}); keep one`;
    seen.set(k, r);
  }
  return undefined;
}

/** A value from a file, safe to print in a terminal: control and bidi characters shown as �, at most 100 characters. */
export function shown(value: unknown): string {
  const text = String(value).replace(/\p{C}/gu, "\ufffd");
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
