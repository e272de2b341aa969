import {
  type Kysely,
  type KyselyPlugin,
  type Migration,
  type MigrationProvider,
  Migrator,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresAdapter,
  type QueryResult,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from "kysely";
import * as foundation from "./migrations/20261126_1530_foundation.js";
import * as levelsAndNotices from "./migrations/20261126_1700_levels_and_notices.js";
import * as linkCodes from "./migrations/20261126_1800_link_codes.js";
import * as jobs from "./migrations/20261201_1000_jobs.js";
import * as outbox from "./migrations/20261201_1010_outbox.js";
import * as pointsEvents from "./migrations/20261201_1130_points_events.js";
import * as talks from "./migrations/20261201_1400_talks.js";
import * as moderation from "./migrations/20261201_1230_moderation.js";
import * as modScoresCompact from "./migrations/20261201_1600_mod_scores_compact.js";
import * as sponsors from "./migrations/20261201_1700_sponsors.js";
import * as digest from "./migrations/20261201_1710_digest.js";
import * as totalsHistogram from "./migrations/20261201_1720_totals_histogram.js";
import * as knowledgeBase from "./migrations/20261201_1900_knowledge_base.js";
import * as codeReviews from "./migrations/20261201_1930_code_reviews.js";
import * as solutions from "./migrations/20261201_1920_solutions.js";
import * as kbSearch from "./migrations/20261201_1910_kb_search.js";
import * as threadQuestions from "./migrations/20261201_1950_thread_questions.js";
import * as wallet from "./migrations/20261201_1800_wallet.js";
import * as shop from "./migrations/20261201_1830_shop.js";
import * as bounties from "./migrations/20261201_1820_bounties.js";
import * as memberLinks from "./migrations/20261201_1840_member_links.js";
import * as tips from "./migrations/20261201_1810_tips.js";
import * as feedback from "./migrations/20261201_1940_feedback.js";
import * as webPrivacy from "./migrations/20261201_2000_web_privacy.js";
import * as communityWriteEpochs from "./migrations/20261202_1200_community_write_epochs.js";
import * as forgetMe from "./migrations/20261201_2010_forget_me.js";
import * as outboxRateLimited from "./migrations/20261202_1300_outbox_rate_limited.js";

/**
 * Migrations are listed here rather than read from the file system, so they work the same from
 * TypeScript sources, a bundle or a test. Names sort by time; never rename or edit a landed one.
 */
export const migrations: Record<string, Migration> = {
  "20261126_1530_foundation": foundation,
  "20261126_1700_levels_and_notices": levelsAndNotices,
  "20261126_1800_link_codes": linkCodes,
  "20261201_1000_jobs": jobs,
  "20261201_1010_outbox": outbox,
  "20261201_1130_points_events": pointsEvents,
  "20261201_1230_moderation": moderation,
  "20261201_1400_talks": talks,
  "20261201_1600_mod_scores_compact": modScoresCompact,
  "20261201_1700_sponsors": sponsors,
  "20261201_1710_digest": digest,
  "20261201_1720_totals_histogram": totalsHistogram,
  "20261201_1800_wallet": wallet,
  "20261201_1810_tips": tips,
  "20261201_1820_bounties": bounties,
  "20261201_1830_shop": shop,
  "20261201_1840_member_links": memberLinks,
  "20261201_1900_knowledge_base": knowledgeBase,
  "20261201_1910_kb_search": kbSearch,
  "20261201_1920_solutions": solutions,
  "20261201_1930_code_reviews": codeReviews,
  "20261201_1940_feedback": feedback,
  "20261201_1950_thread_questions": threadQuestions,
  "20261201_2000_web_privacy": webPrivacy,
  "20261202_1200_community_write_epochs": communityWriteEpochs,
  "20261201_2010_forget_me": forgetMe,
  "20261202_1300_outbox_rate_limited": outboxRateLimited,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrateOptions {
  /**
   * Called after each statement the migrator runs (its bookkeeping included), with a count from 1.
   * Tests use it to kill the process at an exact point between two statements.
   */
  afterStatement?: (count: number) => void;
}

/** A migration that failed, and which one: the cause is the database's own error. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string | undefined,
    override readonly cause: unknown,
  ) {
    super(`migration ${migration ?? "(bookkeeping)"} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions = {}): Promise<string[]> {
  const probe = options.afterStatement;
  const schema = await postgresSchema(db);
  const migrator = new Migrator({ db: probe ? db.withPlugin(new StatementProbe(probe)) : db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new MigrationError(results?.find((r) => r.status === "Error")?.migrationName, error);
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * On Postgres, the schema the tables go to. Without it, kysely looks for its bookkeeping tables in
 * every schema of the database, finds another schema's, skips creating its own and fails with
 * `relation "kysely_migration_lock" does not exist` (two apps, or two test files, sharing one
 * database). Named, it looks in this one only — the same place unqualified tables land.
 */
async function postgresSchema(db: Kysely<any>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

class StatementProbe implements KyselyPlugin {
  private count = 0;
  constructor(private readonly after: (count: number) => void) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.after(++this.count);
    return args.result;
  }
}
