import { type Kysely, PostgresAdapter, sql } from "kysely";

// The public web pages (src/engine/web/, docs/web-leaderboard.md).
//
// `members.web_hidden`: 1 when the member ran `/privacy hide` — the web leaderboard leaves out a
// person any of whose member rows says so. `/privacy` writes every row of the person at once.
//
// `communities_web_slug`: `web.slug` lives in the settings JSON like every other setting; this
// unique index over that one value is what keeps two communities from holding the same address
// (null, the default, may repeat), and what the page's slug look-up walks. The index expression
// and the look-up's (web.repo.ts `slugExpression`) must stay the same text for the index to be used.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("members").addColumn("web_hidden", "integer", (c) => c.notNull().defaultTo(0)).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create unique index communities_web_slug on communities (((settings::jsonb) #>> '{web,slug}'))`.execute(db);
  } else {
    await sql`create unique index communities_web_slug on communities (json_extract(settings, '$.web.slug'))`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("communities_web_slug").ifExists().execute();
  await db.schema.alterTable("members").dropColumn("web_hidden").execute();
}
