import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { type KbHit, type KbSearchRepository, kbSearchRepository } from "./kb-search.repo.js";
import { type SearchTerm, searchTerms } from "./kb-search-terms.js";

/** What `/ask` shows: up to five solved questions, best first. */
export const ASK_RESULTS = 5;

/** A search's answer: the terms it looked for (for snippets) and the hits, best first. */
export interface KbSearchResult {
  terms: SearchTerm[];
  hits: KbHit[];
}

/**
 * The searchable knowledge base of one community (`ctx.services.kb`): full-text search over its
 * solved questions. Read-only: `kb_entries` is written by the accepted-answers capability, and the
 * index follows it by itself.
 */
export class KbSearchService {
  readonly repo: KbSearchRepository;

  constructor(
    private readonly db: Kysely<Database>,
    now: () => number,
  ) {
    this.repo = kbSearchRepository(db, now);
  }

  /** The best `limit` solved questions of the community for what a member typed; none for a query of only punctuation. */
  async search(communityId: string, query: string, limit = ASK_RESULTS, db: Kysely<Database> = this.db): Promise<KbSearchResult> {
    const terms = searchTerms(query);
    if (terms.length === 0) return { terms, hits: [] };
    return { terms, hits: await this.repo.search(db, communityId, terms, limit) };
  }
}
