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
/** Rows the OR'd terms may match together, by their document counts (all communities). */
const RANK_BUDGET = 2_000;
/** Matches ranked at most per query: the newest of the community's. */
const RANK_CAP = 2_000;
/** When every term is common, the ones in more than this share of the index are not AND'ed. */
const NARROWING_SHARE = 0.3;

/**
 * SQLite: the terms, each a quoted phrase, OR'd and ranked by bm25 (title ×4, question ×2, answer
 * ×1). bm25 must score every row a query matches, so the rarest terms are OR'd while the rows they
 * match stay within a budget, and common words (which bm25 weighs little anyway) are left out —
 * matching one would mean ranking much of the index (~2 ms against ~150 ms at 100 000 rows). When
 * every term is common, rows holding all of them are asked for instead. A query with CJK
 * characters searches the trigram table, which finds substrings.
 */
class SqliteKbSearch implements KbSearchRepository {
  private readonly docCounts = new Map<string, { doc: number; at: number }>();
  private size: { rows: number; at: number } | undefined;

  constructor(private readonly now: () => number) {}

  async search(db: Kysely<Database>, communityId: string, terms: readonly SearchTerm[], limit: number): Promise<KbHit[]> {
    if (terms.length === 0) return [];
    if (terms.some((t) => t.cjk)) return this.query(db, "kb_fts_cjk", communityId, terms.map((t) => fts5Quote(t.raw)).join(" OR "), limit, true);
    const phrase = (t: SearchTerm) => fts5Quote(t.words.join(" "));
    const plan = await this.plan(db, terms);
    // The OR'd terms match at most RANK_BUDGET rows by their counts: no cap needed.
    if (plan.kind === "any") return this.query(db, "kb_fts", communityId, plan.terms.map(phrase).join(" OR "), limit, false);
    // Every term is common: rows holding all of them are fewer and the best; else the rarest term alone.
    const all = await this.query(db, "kb_fts", communityId, plan.terms.map(phrase).join(" AND "), limit, true);
    return all.length > 0 || plan.terms.length === 1 ? all : this.query(db, "kb_fts", communityId, phrase(plan.terms[0]!), limit, true);
  }

  /**
   * Ranks the newest {@link RANK_CAP} matches of the community, then reads the best `limit` rows.
   * The cap bounds the work whatever the words (bm25 scores every candidate, ~2 µs each); only a
   * query matching thousands of questions is affected, and it keeps the newest of them.
   */
  private async query(db: Kysely<Database>, table: "kb_fts" | "kb_fts_cjk", communityId: string, match: string, limit: number, capped: boolean): Promise<KbHit[]> {
    const fts = sql.table(table);
    const rowid = sql.ref(`${table}.rowid`);
    const { rows: ranked } = capped ? await sql<{ id: number; score: number }>`
      with recent as (
        select ${rowid} as id from ${fts} join kb_entries e on e.rowid = ${rowid}
        where ${fts} match ${match} and e.community_id = ${communityId}
        order by ${rowid} desc limit ${RANK_CAP})
      select ${rowid} as id, -bm25(${fts}, 4.0, 2.0, 1.0) as score
      from ${fts} join kb_entries e on e.rowid = ${rowid}
      where ${fts} match ${match} and ${rowid} >= (select min(id) from recent) and e.community_id = ${communityId}
      order by score desc, ${rowid} desc limit ${limit}`.execute(db) : await sql<{ id: number; score: number }>`
      select ${rowid} as id, -bm25(${fts}, 4.0, 2.0, 1.0) as score
      from ${fts} join kb_entries e on e.rowid = ${rowid}
      where ${fts} match ${match} and e.community_id = ${communityId}
      order by score desc, ${rowid} desc limit ${limit}`.execute(db);
    if (ranked.length === 0) return [];
    const { rows } = await sql<HitRow & { id: number }>`
      select rowid as id, question_key, title, question_text, answer_text, question_link, answer_link, solved_at, 0 as score
      from kb_entries where rowid in (${sql.join(ranked.map((r) => r.id))})`.execute(db);
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    return ranked.flatMap((r) => {
      const row = byId.get(Number(r.id));
      return row ? [toHit({ ...row, score: r.score })] : [];
    });
  }

  /**
   * Which terms to OR: the rarest first, while the rows they match add up to at most
   * {@link RANK_BUDGET}; when even the rarest term
   * alone matches more, the terms are AND'ed instead (rarest first).
   */
  private async plan(db: Kysely<Database>, terms: readonly SearchTerm[]): Promise<{ kind: "any" | "all"; terms: SearchTerm[] }> {
    const rows = await this.rows(db);
    const budget = RANK_BUDGET;
    const counts = await this.docCountsOf(db, [...new Set(terms.flatMap((t) => t.words))]);
    // A phrase is at most as common as its rarest word.
    const df = (t: SearchTerm) => Math.min(...t.words.map((w) => counts.get(w) ?? 0));
    const byRarity = [...terms].sort((a, b) => df(a) - df(b));
    if (df(byRarity[0]!) > budget) {
      // A word in most rows hardly narrows an AND, and walking its row list is what costs: left out.
      const narrowing = byRarity.filter((t, i) => i === 0 || df(t) <= rows * NARROWING_SHARE);
      return { kind: "all", terms: narrowing };
    }
    const kept: SearchTerm[] = [];
    let sum = 0;
    for (const t of byRarity) {
      if (kept.length > 0 && sum + df(t) > budget) break;
      kept.push(t);
      sum += df(t);
    }
    return { kind: "any", terms: kept };
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
