import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";
import type { Logger } from "../../log.js";
import type { Community } from "../communities/community.repo.js";
import { lockPerson, membersOfPerson } from "../economy/wallet.js";
import type { SolutionsService } from "../knowledge/solutions.service.js";
import type { ModerationService } from "../moderation/moderation.service.js";
import type { PointsService } from "../points/points.service.js";
import type { WriteQueue } from "../write-queue.js";
import { countPersonalRows, type ErasedRows, erasePersonalData, memberIdsIn } from "./erase.js";
import { forgetInOutbox } from "./forget-outbox.js";
import type { ForgottenMembers } from "./forgotten-members.js";
import { IdRewriter, isPseudonym, memberHash, newPseudonym } from "./pseudonyms.js";
import { checkpointAway, purgeFullTextIndex, withSecureDelete } from "./sqlite-purge.js";

/** What forgetting a member will touch, for the confirmation (counts of rows, by table). */
export interface ForgetPreview {
  /** The member and every account linked with it (`/link`): forgotten together. */
  accounts: string[];
  /** Rows naming them, by table (in the tables counted: see {@link ForgetService.preview}). */
  rows: Record<string, number>;
  /** Knowledge-base entries they asked or answered, and thread questions they asked: deleted. */
  knowledge: number;
  /** Their person's all-time points: they stay in the totals, under a pseudonym. */
  points: number;
}

/** What a forgetting did. */
export interface ForgetResult {
  accounts: number;
  /** Rows renamed, rewritten or deleted, by table. */
  rows: ErasedRows;
  /** Outbox rows rewritten, and DMs to them not sent. */
  outbox: { scrubbed: number; refused: number };
  knowledge: number;
  forgottenAt: Date;
}

/** Lets timers and I/O run between two tables' statements (heartbeats, acknowledgements). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The tables the command's confirmation counts: small ones, or indexed by member (never the ledger's full scan). */
const QUICK_TABLES: ReadonlySet<string> = new Set(["members", "messages", "feedback", "code_reviews", "talk_proposals", "tips", "mod_items", "member_links", "member_link_codes"]);

/**
 * `/forget-me` and `npm run forget` (docs/forget-me.md): erases a member's personal data in one
 * write-queue transaction — their names and what they wrote, their links, and their id itself,
 * which is replaced by a pseudonym everywhere (personal-data.ts lists where). Ledger rows stay, as
 * the ledger stays append-only for amounts: renaming the identity column for erasure is the one
 * rewrite it allows, and a renaming keeps every sum, so ledger = totals still holds and nobody
 * else's points or rank move. A tombstone (a hash of the id) makes the gate drop their old events
 * when a platform delivers them again.
 */
export class ForgetService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      writes: WriteQueue;
      clock: Clock;
      log: Logger;
      points: PointsService;
      knowledge: SolutionsService;
      moderation?: ModerationService;
      registry: ForgottenMembers;
    },
  ) {}

  /** The member and the accounts linked with them (a person is forgotten whole), sorted; none for a pseudonym. */
  async accountsOf(db: Kysely<Database>, communityId: string, memberId: string): Promise<string[]> {
    if (isPseudonym(memberId)) return [];
    const row = await db.selectFrom("members").select("person_id").where("community_id", "=", communityId).where("member_id", "=", memberId).executeTakeFirst();
    const accounts = await membersOfPerson(db, communityId, row?.person_id ?? memberId);
    return [...new Set([memberId, ...accounts])].sort();
  }

  /**
   * What forgetting `memberId` would touch. `thorough` counts every table (`npm run forget`, which
   * may scan the ledger); otherwise only small or member-indexed ones (the command's confirmation).
   */
  async preview(community: Community, memberId: string, o: { thorough?: boolean } = {}): Promise<ForgetPreview> {
    const db = this.deps.db;
    const accounts = await this.accountsOf(db, community.id, memberId);
    if (accounts.length === 0) return { accounts, rows: {}, knowledge: 0, points: 0 };
    const rows = await countPersonalRows(db, community.id, accounts, o.thorough ? undefined : QUICK_TABLES);
    const kb = await db
      .selectFrom("kb_entries")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("community_id", "=", community.id)
      .where((eb) => eb.or([eb("asker_id", "in", accounts), eb("answer_author_id", "in", accounts)]))
      .executeTakeFirstOrThrow();
    const questions = await db.selectFrom("thread_questions").select((eb) => eb.fn.countAll<number | string>().as("n")).where("community_id", "=", community.id).where("author_id", "in", accounts).executeTakeFirstOrThrow();
    const person = await db.selectFrom("members").select("person_id").where("community_id", "=", community.id).where("member_id", "=", memberId).executeTakeFirst();
    const points = await db.selectFrom("totals").select("points").where("community_id", "=", community.id).where("period", "=", "all").where("member_id", "=", person?.person_id ?? memberId).executeTakeFirst();
    return { accounts, rows, knowledge: Number(kb.n) + Number(questions.n), points: Number(points?.points ?? 0) };
  }

  /** Forgets `memberId` and its linked accounts; resolves once committed. A second call finds nothing left to rename. */
  async forget(community: Community, memberId: string): Promise<ForgetResult> {
    const result = await this.deps.writes.submit((trx) => withSecureDelete(trx, () => this.forgetIn(trx, community, memberId)));
    await checkpointAway(this.deps.db);
    return result;
  }

  /**
   * After a restore from a backup older than some forgettings: takes the tombstones of another copy
   * of the database (the one replaced), keeps them here (their old events stay dropped), and
   * forgets again every member of this database whose id one of them matches. Returns how many.
   */
  async forgetAgain(community: Community, tombstones: readonly { member_hash: string; forgotten_at: string }[]): Promise<{ tombstones: number; forgotten: number }> {
    if (tombstones.length === 0) return { tombstones: 0, forgotten: 0 };
    await this.deps.writes.submit((trx) => this.deps.registry.adopt(trx, community.id, tombstones));
    const wanted = new Set(tombstones.map((t) => t.member_hash));
    const done = new Set<string>();
    let forgotten = 0;
    for (const id of [...(await memberIdsIn(this.deps.db, community.id))].sort()) {
      if (done.has(id) || !wanted.has(memberHash(community.id, id))) continue;
      // A person is forgotten whole: their other accounts need no second pass.
      for (const account of await this.accountsOf(this.deps.db, community.id, id)) done.add(account);
      forgotten += (await this.forget(community, id)).accounts;
    }
    return { tombstones: tombstones.length, forgotten };
  }

  private async forgetIn(trx: Transaction<Database>, community: Community, memberId: string): Promise<ForgetResult> {
    const at = this.deps.clock.now();
    const accounts = await this.accountsOf(trx, community.id, memberId);
    for (const id of accounts) await lockPerson(trx, community.id, id);
    // Read before the rename: the moderation capability remembers recent texts by message.
    const messageKeys = accounts.length ? (await trx.selectFrom("messages").select("message_key").where("community_id", "=", community.id).where("member_id", "in", accounts).execute()).map((r) => r.message_key) : [];
    let knowledge = 0;
    for (const id of accounts) knowledge += await this.deps.knowledge.forgetMember(trx, community.id, id);
    if (knowledge > 0) await purgeFullTextIndex(trx);
    const rewriter = new IdRewriter(new Map(accounts.map((id) => [id, newPseudonym()])));
    const rows = accounts.length ? await erasePersonalData(trx, community.id, rewriter, breathe) : {};
    const outbox = accounts.length ? await forgetInOutbox(trx, community.id, rewriter) : { scrubbed: 0, refused: 0 };
    await this.deps.registry.add(trx, community.id, accounts, at);
    // Memory last: rows under the points cache were renamed (a rollback clears it anyway).
    this.deps.points.dropCachedMembers();
    this.deps.moderation?.forgetTexts(messageKeys);
    // Counts only: the point is to keep no id, in the logs as anywhere.
    this.deps.log.info({ community: community.id, accounts: accounts.length, rows: Object.values(rows).reduce((a, b) => a + b, 0), outbox: outbox.scrubbed }, "member forgotten");
    return { accounts: accounts.length, rows, outbox, knowledge, forgottenAt: at };
  }
}
