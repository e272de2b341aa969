import { type Kysely, PostgresAdapter, sql } from "kysely";

// Full-text search over kb_entries (src/engine/knowledge/kb-search.repo.ts; docs/knowledge-search.md).
// Writers only touch kb_entries: the index follows it on its own.
//
// SQLite: an external-content FTS5 table `kb_fts` (title, question, answer; unicode61 with
// remove_diacritics 2: case- and accent-insensitive words in every script, punctuation splits
// `std::vector` and `snake_case_name` into words that a quoted query matches as a phrase), kept in
// step by triggers. CJK text has no spaces between words, so rows holding CJK characters are also
// indexed in `kb_fts_cjk` with the trigram tokenizer (any substring of 3+ characters matches).
// `kb_fts_vocab` gives per-word document counts, so a query can skip words too common to help.
//
// Postgres: a generated tsvector column `search` (the 'simple' configuration: no stemming, no
// stop words, every language alike) with a GIN index. Beside the raw words it holds a folded copy:
// camelCase split (`useEffect` → `use effect`), lower-cased, common Latin accents removed and each
// CJK character a word of its own, so a phrase of characters finds a CJK substring.

/** The folded copy's expression, over a text expression; the query folds its terms with the same one. */
export const PG_FOLD = (text: string) =>
  `translate(lower(regexp_replace(regexp_replace(${text}, '([[:lower:][:digit:]])([[:upper:]])', '\\1 \\2', 'g'), '([\\u3040-\\u30ff\\u3400-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff])', ' \\1 ', 'g')), 'àáâãäåāçćčèéêëēěìíîïīłñńòóôõöøōùúûüūůýÿžźżśšđ', 'aaaaaaaccceeeeeeiiiiilnnoooooooouuuuuuyyzzzssd')`;

/** Rows with CJK characters (hiragana, katakana, CJK ideographs, hangul) also go to the trigram table. */
const HAS_CJK = (row: "new" | "old" | "kb_entries") =>
  `(${row}.title || ' ' || ${row}.question_text || ' ' || ${row}.answer_text) GLOB '*[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]*'`;

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const all = "coalesce(title, '') || ' ' || coalesce(question_text, '') || ' ' || coalesce(answer_text, '')";
    await sql
      .raw(
        `alter table kb_entries add column search tsvector generated always as (
          setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
          setweight(to_tsvector('simple', coalesce(question_text, '')), 'B') ||
          setweight(to_tsvector('simple', coalesce(answer_text, '')), 'C') ||
          setweight(to_tsvector('simple', ${PG_FOLD(all)}), 'D')
        ) stored`,
      )
      .execute(db);
    await sql`create index kb_entries_search on kb_entries using gin (search)`.execute(db);
    return;
  }
  await sql
    .raw(
      `create virtual table kb_fts using fts5(title, question_text, answer_text, content='kb_entries', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`,
    )
    .execute(db);
  // The trigram table's content is a view of the rows it indexes, so FTS5's own checks
  // ('integrity-check', 'rebuild') see exactly those rows.
  await sql
    .raw(`create view kb_entries_cjk as select rowid as kb_rowid, title, question_text, answer_text from kb_entries where ${HAS_CJK("kb_entries")}`)
    .execute(db);
  await sql
    .raw(
      `create virtual table kb_fts_cjk using fts5(title, question_text, answer_text, content='kb_entries_cjk', content_rowid='kb_rowid', tokenize='trigram remove_diacritics 1')`,
    )
    .execute(db);
  await sql.raw(`create virtual table kb_fts_vocab using fts5vocab('kb_fts', 'row')`).execute(db);
  const cols = "title, question_text, answer_text";
  const put = (table: string) => `insert into ${table}(rowid, ${cols}) values (new.rowid, new.title, new.question_text, new.answer_text);`;
  // External content: a delete must name the values that were indexed, which are the old row's.
  const drop = (table: string) => `insert into ${table}(${table}, rowid, ${cols}) values ('delete', old.rowid, old.title, old.question_text, old.answer_text);`;
  await sql.raw(`create trigger kb_fts_insert after insert on kb_entries begin ${put("kb_fts")} end`).execute(db);
  await sql.raw(`create trigger kb_fts_delete after delete on kb_entries begin ${drop("kb_fts")} end`).execute(db);
  await sql.raw(`create trigger kb_fts_update after update on kb_entries begin ${drop("kb_fts")} ${put("kb_fts")} end`).execute(db);
  await sql.raw(`create trigger kb_fts_cjk_insert after insert on kb_entries when ${HAS_CJK("new")} begin ${put("kb_fts_cjk")} end`).execute(db);
  await sql.raw(`create trigger kb_fts_cjk_delete after delete on kb_entries when ${HAS_CJK("old")} begin ${drop("kb_fts_cjk")} end`).execute(db);
  await sql.raw(`create trigger kb_fts_cjk_unindex after update on kb_entries when ${HAS_CJK("old")} begin ${drop("kb_fts_cjk")} end`).execute(db);
  await sql.raw(`create trigger kb_fts_cjk_reindex after update on kb_entries when ${HAS_CJK("new")} begin ${put("kb_fts_cjk")} end`).execute(db);
  // Rows written before this migration.
  await sql.raw(`insert into kb_fts(kb_fts) values ('rebuild')`).execute(db);
  await sql.raw(`insert into kb_fts_cjk(kb_fts_cjk) values ('rebuild')`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index if exists kb_entries_search`.execute(db);
    await sql`alter table kb_entries drop column if exists search`.execute(db);
    return;
  }
  for (const t of ["kb_fts_insert", "kb_fts_delete", "kb_fts_update", "kb_fts_cjk_insert", "kb_fts_cjk_delete", "kb_fts_cjk_unindex", "kb_fts_cjk_reindex"]) {
    await sql.raw(`drop trigger if exists ${t}`).execute(db);
  }
  for (const t of ["kb_fts_vocab", "kb_fts_cjk", "kb_fts"]) await sql.raw(`drop table if exists ${t}`).execute(db);
  await sql.raw("drop view if exists kb_entries_cjk").execute(db);
}
