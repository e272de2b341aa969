import { type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import { PG_FOLD } from "../../db/migrations/20261201_1910_kb_search.js";
import { fts5Quote, type SearchTerm } from "./kb-search-terms.js";

/** One solved question found by a search, best first. */
export interface KbHit {
  questionKey: string;
  title: string;
  questionText: string;
  answerText: string;
  questionLink: string;
  answerLink: string;
  solvedAt: string;
  /** Higher is better; comparable only within one search (bm25 on SQLite, ts_rank_cd on Postgres). */
  score: number;
}

/**
 * Full-text search over `kb_entries`, one community at a time: SQLite FTS5 on the embedded
 * database, Postgres full-text search on Postgres (migration 20261201_1910_kb_search). Writers
 * never call this: the index follows `kb_entries` by itself. Terms come from `searchTerms`.
 */
export interface KbSearchRepository {
  search(db: Kysely<Database>, communityId: string, terms: readonly SearchTerm[], limit: number): Promise<KbHit[]>;
}

/** The repository for the database `db` runs on (detected like wallet.ts: by kysely's adapter). */
export function kbSearchRepository(db: Kysely<Database>, now: () => number = Date.now): KbSearchRepository {
  return db.getExecutor().adapter instanceof PostgresAdapter ? new PostgresKbSearch() : new SqliteKbSearch(now);
}

interface HitRow {
  question_key: string;
  title: string;
  question_text: string;
  answer_text: string;
  question_link: string;
  answer_link: string;
  solved_at: string;
  score: number | string;
}

const toHit = (r: HitRow): KbHit => ({
  questionKey: r.question_key,
  title: r.title,
  questionText: r.question_text,
  answerText: r.answer_text,
  questionLink: r.question_link,
  answerLink: r.answer_link,
  solvedAt: r.solved_at,
  score: Number(r.score),
});

/** How long a word's document count is trusted: counts move slowly, and reading a common word's is the costly part. */
const DF_TTL_MS = 10 * 60_000;
const DF_CACHE_MAX = 20_000;

/**
 * SQLite: the terms, each a quoted phrase, OR'd and ranked by bm25 (title ×4, question ×2, answer
 * ×1). Words found in more than 5 % of the index (and over 100 rows) are left out of the query
 * while rarer ones remain — bm25 gives them little weight anyway, and matching one would mean
 * ranking most of the index (the difference between ~2 ms and ~150 ms at 100 000 rows). A query
 * with CJK characters searches the trigram table instead, which finds substrings.
 */
class SqliteKbSearch implements KbSearchRepository {
  private readonly docCounts = new Map<string, { doc: number; at: number }>();
  private size: { rows: number; at: number } | undefined;

  constructor(private readonly now: () => number) {}

  async search(db: Kysely<Database>, communityId: string, terms: readonly SearchTerm[], limit: number): Promise<KbHit[]> {
    if (terms.length === 0) return [];
    const cjk = terms.some((t) => t.cjk);
    const table = cjk ? "kb_fts_cjk" : "kb_fts";
    const kept = cjk ? terms : await this.informative(db, terms);
    // The word table is given the words (its tokenizer would split the raw text the same way); the
    // trigram table the raw text, whose punctuation (`std::vector`) it indexes too.
    const match = kept.map((t) => fts5Quote(cjk ? t.raw : t.words.join(" "))).join(" OR ");
    const { rows } = await sql<HitRow>`
      select e.question_key, e.title, e.question_text, e.answer_text, e.question_link, e.answer_link, e.solved_at,
             -bm25(${sql.table(table)}, 4.0, 2.0, 1.0) as score
      from ${sql.table(table)} join kb_entries e on e.rowid = ${sql.ref(`${table}.rowid`)}
      where ${sql.table(table)} match ${match} and e.community_id = ${communityId}
      order by score desc, e.solved_at desc limit ${limit}`.execute(db);
    return rows.map(toHit);
  }

  /** The terms without the too-common ones; the rarest one stays if all are. */
  private async informative(db: Kysely<Database>, terms: readonly SearchTerm[]): Promise<SearchTerm[]> {
    const rows = await this.rows(db);
    const limit = Math.max(100, rows * 0.05);
    const counts = await this.docCountsOf(db, [...new Set(terms.flatMap((t) => t.words))]);
    // A phrase is at most as common as its rarest word.
    const df = (t: SearchTerm) => Math.min(...t.words.map((w) => counts.get(w) ?? 0));
    const kept = terms.filter((t) => df(t) <= limit);
    if (kept.length > 0) return kept;
    return [[...terms].sort((a, b) => df(a) - df(b))[0]!];
  }

  private async rows(db: Kysely<Database>): Promise<number> {
    const now = this.now();
    if (this.size && now - this.size.at < DF_TTL_MS) return this.size.rows;
    const row = await db.selectFrom("kb_entries").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
    this.size = { rows: Number(row?.n ?? 0), at: now };
    return this.size.rows;
  }

  private async docCountsOf(db: Kysely<Database>, words: string[]): Promise<Map<string, number>> {
    const now = this.now();
    const out = new Map<string, number>();
    const missing: string[] = [];
    for (const w of words) {
      const c = this.docCounts.get(w);
      if (c && now - c.at < DF_TTL_MS) out.set(w, c.doc);
      else missing.push(w);
    }
    if (missing.length > 0) {
      const { rows } = await sql<{ term: string; doc: number }>`select term, doc from kb_fts_vocab where term in (${sql.join(missing)})`.execute(db);
      if (this.docCounts.size + missing.length > DF_CACHE_MAX) this.docCounts.clear();
      const found = new Map(rows.map((r) => [r.term, Number(r.doc)]));
      for (const w of missing) {
        const doc = found.get(w) ?? 0;
        this.docCounts.set(w, { doc, at: now });
        out.set(w, doc);
      }
    }
    return out;
  }
}

const [FOLD_BEFORE, FOLD_AFTER] = PG_FOLD("\u0000").split("\u0000") as [string, string];

/**
 * Postgres: each term a phrase query (`std::vector` → `'std' <-> 'vector'`), both as typed and
 * folded the way the index's folded copy is (camelCase split, accents removed, CJK characters one
 * word each), all OR'd and ranked by ts_rank_cd (title weighs most). The GIN index finds the rows.
 */
class PostgresKbSearch implements KbSearchRepository {
  async search(db: Kysely<Database>, communityId: string, terms: readonly SearchTerm[], limit: number): Promise<KbHit[]> {
    if (terms.length === 0) return [];
    const parts: RawBuilder<unknown>[] = [];
    for (const t of terms) {
      if (!t.cjk) parts.push(sql`phraseto_tsquery('simple', ${t.raw})`);
      parts.push(sql`phraseto_tsquery('simple', ${sql.raw(FOLD_BEFORE)}${t.raw}::text${sql.raw(FOLD_AFTER)})`);
    }
    const { rows } = await sql<HitRow>`
      with q as (select (${sql.join(parts, sql` || `)}) as q)
      select e.question_key, e.title, e.question_text, e.answer_text, e.question_link, e.answer_link, e.solved_at,
             ts_rank_cd(e.search, q.q) as score
      from kb_entries e, q
      where e.community_id = ${communityId} and e.search @@ q.q
      order by score desc, e.solved_at desc limit ${limit}`.execute(db);
    return rows.map(toHit);
  }
}
