import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import { parseNamespacedId, type Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import { insertCommunity, linkWorkspace } from "../../engine/communities/community.repo.js";
import { memberIdsIn } from "../../engine/forget/erase.js";
import { keepTombstones, type Tombstone } from "../../engine/forget/forgotten-members.js";
import { memberHash } from "../../engine/forget/pseudonyms.js";
import type { ImportedLedgerRow } from "../../engine/points/points.service.js";
import { allCommunities, chooseCommunity, type CommunityRecord } from "../community-choice.js";
import { EXPORTED_TABLES, type ExportGroup, type ExportedTable } from "../export/tables.js";
import type { GuildkeeperFile, Row, RowAt } from "./guildkeeper-file.js";
import type { ImportWriter } from "./import-writer.js";
import type { Progress } from "./progress.js";
import { type Parsed, shown } from "./xp-file.js";
import { type Workspace, workspacesOf } from "./xp-target.js";

/**
 * `--from guildkeeper`: our own export, restored.
 *
 * - The community: the one named with `--community`, else the one with the file's id, else the one
 *   that has the file's workspaces, else a new one with the file's id, name, settings and workspaces
 *   (an empty database). A file whose community exists here under its id is restored only into it:
 *   its ids (ledger keys, talks…) are that community's.
 * - Points, merged row by row: members (with their links to a person, their own points at 0), the
 *   recorded events, the levels reached, then every ledger row through the points engine, which
 *   derives totals, the histogram, members' points and levels. A row already here is skipped.
 * - Every other capability's tables (a group, tables.ts) are copied as they are, but only into a
 *   community with none of that group's rows yet; otherwise the group is skipped and said so.
 * - Into a community that had no ledger rows, the totals the engine derived must equal the file's:
 *   if not, nothing is kept.
 * - The file's tombstones (forgotten members, as hashes) are merged, the later forgetting winning,
 *   so a forgotten member's old events stay dropped — but only into the community the file was
 *   exported from: a tombstone hashes the community's id with the member's, and means nothing
 *   under another id. Members already here whom a tombstone names (this database is older than
 *   the forgetting) are counted, and the report says how to forget them again.
 */
export interface RestorePlan {
  community: CommunityRecord;
  /** The community is made by the restore (not there yet). */
  create: boolean;
  /** The file's workspaces not linked to any community yet: linked to this one. */
  link: Workspace[];
  /** The community has no ledger rows yet: the totals check applies. */
  fresh: boolean;
  newMembers: number;
  /** Ledger rows not here yet, and their points, per member. */
  ledger: { rows: number; points: number; byMember: Map<string, { rows: number; points: number }> };
  groups: { group: ExportGroup; rows: number; restore: boolean; why?: string }[];
  /**
   * The file's tombstones; whether they are merged (only into the file's own community id); and how
   * many members already here one names (forgotten since this database was copied).
   */
  tombstones: { rows: number; carried: boolean; named: number };
}

type Db = Kysely<Database>;

export async function planRestore(db: Db, file: GuildkeeperFile, wanted: string | undefined): Promise<Parsed<RestorePlan>> {
  const target = await chooseTarget(db, file, wanted);
  if (!target.ok) return target;
  const { community, create } = target.value;
  const link: Workspace[] = [];
  for (const w of file.workspaces) {
    const owner = await db.selectFrom("community_workspaces").select("community_id").where("platform", "=", w.platform).where("workspace_id", "=", w.workspaceId).executeTakeFirst();
    if (!owner) link.push(w);
    else if (owner.community_id !== community.id) return { ok: false, error: `Workspace ${w.platform}:${w.workspaceId} of the file belongs to community ${owner.community_id} here, not ${community.id}: name that one with --community.` };
  }

  const fresh = create || !(await db.selectFrom("ledger").select("key").where("community_id", "=", community.id).limit(1).executeTakeFirst());
  let newMembers = 0;
  const ledger = { rows: 0, points: 0, byMember: new Map<string, { rows: number; points: number }>() };
  const hashes = new Set<string>();
  const tombstones = { rows: file.counts.forgotten_members ?? 0, carried: community.id === file.community.id, named: 0 };
  // One read of the members, the ledger and the tombstones, 500 rows at a time.
  const members = new Chunks<RowAt>(500, async (chunk) => {
    if (create) return void (newMembers += chunk.length);
    const ids = chunk.map((m) => m.row.member_id as string);
    const here = await db.selectFrom("members").select("member_id").where("community_id", "=", community.id).where("member_id", "in", ids).execute();
    newMembers += chunk.length - here.length;
  });
  let conflict: string | undefined;
  const ledgerRows = new Chunks<RowAt>(500, async (chunk) => {
    const here = new Map((await db.selectFrom("ledger").select(["key", "community_id"]).where("key", "in", chunk.map((r) => r.row.key as string)).execute()).map((r) => [r.key, r.community_id]));
    for (const { row: r, index, line } of chunk) {
      const owner = here.get(r.key as string);
      if (owner !== undefined && owner !== community.id) {
        conflict ??= `tables.ledger[${index}] (line ${line}): ledger row ${shown(r.key)} belongs to community ${owner} here: restore the file into that one (--community ${owner}).`;
        continue;
      }
      if (owner !== undefined) continue;
      const m = ledger.byMember.get(r.member_id as string) ?? { rows: 0, points: 0 };
      m.rows++;
      m.points += r.amount as number;
      ledger.byMember.set(r.member_id as string, m);
      ledger.rows++;
      ledger.points += r.amount as number;
    }
  });
  for await (const r of file.rows(new Set(["members", "ledger", "forgotten_members"]))) {
    if (r.table.name === "members") await members.add(r);
    else if (r.table.name === "ledger") await ledgerRows.add(r);
    else hashes.add(r.row.member_hash as string);
    if (conflict) return { ok: false, error: conflict };
  }
  await members.flush();
  await ledgerRows.flush();
  if (conflict) return { ok: false, error: conflict };
  // Members already here that a tombstone names: forgotten since this database was copied. Counted
  // before anything is written (the file's own members could be ones who came back), among the ids
  // `npm run forget -- --tombstones-from` would forget (forget.service.ts, forgetAgain).
  if (tombstones.carried && hashes.size > 0 && !create) {
    for (const id of await memberIdsIn(db, community.id)) if (hashes.has(memberHash(community.id, id))) tombstones.named++;
  }

  const groups: RestorePlan["groups"] = [];
  for (const group of groupsOf(EXPORTED_TABLES.filter((t) => t.group !== "points"))) {
    const count = group.tables.reduce((n, t) => n + (file.counts[t.name] ?? 0), 0);
    if (count === 0) continue;
    const taken = create ? undefined : await firstTaken(db, group.tables, community.id);
    groups.push(taken ? { group: group.name, rows: count, restore: false, why: `the community has ${taken} already` } : { group: group.name, rows: count, restore: true });
  }
  return { ok: true, value: { community, create, link, fresh, newMembers, ledger, groups, tombstones } };
}

/** What a restore wrote. */
export interface Restored {
  members: number;
  ledgerRows: number;
  points: number;
  levelUps: number;
  /** Rows copied per table, besides the ledger. */
  copied: Record<string, number>;
  /** Tombstones the restore added or moved to a later forgetting. */
  tombstones: number;
}

/** Ledger rows handed to the points engine at a time: a member's levels are judged after each batch. */
const LEDGER_BATCH = 5_000;

/**
 * Writes a plan inside the import's transaction, reading the file twice: first every table but the
 * ledger (members, with their own points at 0, the recorded events, the levels reached, the
 * tombstones, the other groups), then the ledger through the points engine — which finds every
 * member and level there, and derives totals, the histogram, members' points and levels — and the
 * file's totals to check against. Throws (so nothing is kept) when a fresh community's totals come
 * out other than the file's.
 */
export async function applyRestore(trx: Transaction<Database>, writer: ImportWriter, file: GuildkeeperFile, plan: RestorePlan, progress: Progress): Promise<Restored> {
  const community = plan.community;
  if (plan.create) await insertCommunity(trx, { id: community.id, name: community.name, settings: community.settings, createdAt: new Date(community.createdAt) });
  for (const w of plan.link) await linkWorkspace(trx, w.platform, w.workspaceId, community.id);

  const restored: Restored = { members: 0, ledgerRows: 0, points: 0, levelUps: 0, copied: {}, tombstones: 0 };
  const copies = EXPORTED_TABLES.filter(
    (t) => t.name !== "ledger" && t.name !== "totals" && (t.name !== "forgotten_members" || plan.tombstones.carried) && (t.group === "points" || plan.groups.some((g) => g.group === t.group && g.restore)),
  );
  const copied = new Set<string>(copies.map((t) => t.name));
  progress.start((file.counts.ledger ?? 0) + copies.reduce((n, t) => n + (file.counts[t.name] ?? 0), 0));

  let pending: { table: ExportedTable; rows: Row[] } | undefined;
  const flush = async () => {
    if (!pending) return;
    const { table, rows } = pending;
    pending = undefined;
    const n = table.name === "forgotten_members" ? await keepTombstones(trx, community.id, rows as unknown as Tombstone[]) : await insertRows(trx, table, rows, community.id);
    if (table.name === "forgotten_members") restored.tombstones += n;
    else restored.copied[table.name] = (restored.copied[table.name] ?? 0) + n;
    progress.advance(rows.length);
  };
  for await (const { table, row } of file.rows(copied)) {
    if (pending && pending.table !== table) await flush();
    // A member's own points start at 0: the ledger rows add them.
    (pending ??= { table, rows: [] }).rows.push(table.name === "members" ? { ...row, points: 0 } : row);
    if (pending.rows.length >= insertChunk(pending.rows[0]!)) await flush();
  }
  await flush();
  restored.members = restored.copied.members ?? 0;
  await analyze(trx, ["members", "messages", "reactions", "thanks", "level_ups"]);

  // A forgotten member (a pseudonym) is on no platform: their rows count under the file's first one.
  const fallback = file.workspaces[0] ?? { platform: "console" as const, workspaceId: community.id };
  const check = plan.fresh ? new TotalsCheck(trx, community.id) : undefined;
  const ledger = new Chunks<Row>(LEDGER_BATCH, async (rows) => {
    const byMember = new Map<string, Row[]>();
    for (const r of rows) {
      const list = byMember.get(r.member_id as string);
      if (list) list.push(r);
      else byMember.set(r.member_id as string, [r]);
    }
    for (const [memberId, list] of byMember) {
      const parts = parseNamespacedId(memberId) ?? fallback;
      const place: Place = { platform: parts.platform, workspaceId: parts.workspaceId, channelId: "import" };
      const outcome = await writer.points.importIn(trx, community, place, list.map(ledgerRow));
      if (!outcome.duplicate) {
        restored.ledgerRows += outcome.awards.length;
        restored.points += outcome.awards.reduce((sum, a) => sum + a.amount, 0);
        restored.levelUps += outcome.levelUps.length;
      }
    }
    progress.advance(rows.length);
  });
  let checking = false;
  for await (const { table, row } of file.rows(new Set(check ? ["ledger", "totals"] : ["ledger"]))) {
    if (table.name === "ledger") await ledger.add(row);
    else {
      // The file's totals come after its ledger: every ledger row is in by now.
      if (!checking) {
        await ledger.flush();
        await analyze(trx, ["totals", "ledger"]);
        checking = true;
      }
      await check!.add(row);
    }
  }
  await ledger.flush();
  await check?.finish();
  progress.stop();
  return restored;
}

/**
 * Postgres: brings the planner's statistics up to the rows this transaction wrote. A restore fills
 * empty tables in one transaction, which autovacuum cannot see, so the planner still believed them
 * empty and chose sequential scans: the totals check of 400 000 members ran 0.1 s a look-up.
 * (SQLite plans from its indexes alone unless ANALYZE was ever run, so it is left alone there.)
 */
async function analyze(trx: Transaction<Database>, tables: readonly string[]): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(trx);
}

/** Collects items and hands them on `size` at a time (and what is left, at `flush`). */
class Chunks<T> {
  private items: T[] = [];
  constructor(
    private readonly size: number,
    private readonly write: (items: T[]) => Promise<void>,
  ) {}

  async add(item: T): Promise<void> {
    this.items.push(item);
    if (this.items.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    await this.write(items);
  }
}

/** The community a file goes to, or the one to create. */
async function chooseTarget(db: Db, file: GuildkeeperFile, wanted: string | undefined): Promise<Parsed<{ community: CommunityRecord; create: boolean }>> {
  const all = await allCommunities(db);
  const same = all.find((c) => c.id === file.community.id);
  if (wanted !== undefined) {
    const chosen = await chooseCommunity(db, wanted);
    if (!chosen.ok) return chosen;
    if (same && same.id !== chosen.community.id) {
      return { ok: false, error: `The file is community ${same.id} (${same.name}), which is in this database: it can only be restored into that one (leave --community out).` };
    }
    return { ok: true, value: { community: chosen.community, create: false } };
  }
  if (same) return { ok: true, value: { community: same, create: false } };
  const owners = new Set<string>();
  for (const w of file.workspaces) {
    const owner = await db.selectFrom("community_workspaces").select("community_id").where("platform", "=", w.platform).where("workspace_id", "=", w.workspaceId).executeTakeFirst();
    if (owner) owners.add(owner.community_id);
  }
  if (owners.size > 1) return { ok: false, error: `The file's workspaces belong to several communities here (${[...owners].join(", ")}): name one with --community.` };
  const [owner] = owners;
  const found = owner !== undefined ? all.find((c) => c.id === owner) : undefined;
  if (found) return { ok: true, value: { community: found, create: false } };
  return { ok: true, value: { community: { id: file.community.id, name: file.community.name, settings: file.community.settings, createdAt: file.community.createdAt }, create: true } };
}

function ledgerRow(r: Row): ImportedLedgerRow {
  return {
    key: r.key as string,
    member: { id: r.member_id as string },
    amount: r.amount as number,
    reason: r.reason as string,
    sourceKey: r.source_key as string,
    at: r.at as string,
    day: r.day as string,
    reverses: (r.reverses as string | null) ?? null,
  };
}

/** Rows per insert: well under SQLite's 32 766 bound parameters per statement. */
function insertChunk(sample: Row): number {
  return Math.max(1, Math.min(500, Math.floor(30_000 / (Object.keys(sample).length + 1))));
}

/** Inserts rows (one chunk: see {@link insertChunk}), each unless its key is there; `community_id` becomes the target's. Returns how many went in. */
async function insertRows(db: Db, table: ExportedTable, rows: readonly Row[], communityId: string): Promise<number> {
  if (rows.length === 0) return 0;
  const values = rows.map((r) => (table.viaTalk ? { ...r } : { ...r, community_id: communityId }));
  const result = await (db as unknown as Kysely<any>)
    .insertInto(table.name)
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

function groupsOf(tables: readonly ExportedTable[]): { name: ExportGroup; tables: ExportedTable[] }[] {
  const groups = new Map<ExportGroup, ExportedTable[]>();
  for (const t of tables) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  return [...groups].map(([name, list]) => ({ name, tables: list }));
}

/** The first table of a group the community has rows in, if any. */
async function firstTaken(db: Db, tables: readonly ExportedTable[], communityId: string): Promise<string | undefined> {
  for (const t of tables) {
    if (t.viaTalk) continue;
    const row = await (db as unknown as Kysely<any>).selectFrom(t.name).select("community_id").where("community_id", "=", communityId).limit(1).executeTakeFirst();
    if (row) return t.name;
  }
  return undefined;
}

/** Thrown inside the transaction, so a restore whose totals differ from the file's keeps nothing. */
export class RestoreMismatch extends Error {}

/**
 * The totals the engine derived, against the file's, 500 of the file's rows at a time: each nonzero
 * one must be there with the same points, and there must be no other nonzero one.
 */
class TotalsCheck {
  private wanted: Row[] = [];
  private nonzero = 0;
  constructor(
    private readonly db: Db,
    private readonly communityId: string,
  ) {}

  async add(row: Row): Promise<void> {
    if (row.points === 0) return;
    this.nonzero++;
    this.wanted.push(row);
    if (this.wanted.length >= 500) await this.compare();
  }

  async finish(): Promise<void> {
    await this.compare();
    const got = await this.db.selectFrom("totals").select((eb) => eb.fn.countAll().as("n")).where("community_id", "=", this.communityId).where("points", "!=", 0).executeTakeFirstOrThrow();
    if (Number(got.n) !== this.nonzero) {
      throw new RestoreMismatch(`the restored totals differ from the file's (its ledger rows give ${Number(got.n)} nonzero totals, the file lists ${this.nonzero}); the file's ledger and totals disagree, so nothing was imported`);
    }
  }

  private async compare(): Promise<void> {
    const rows = this.wanted;
    this.wanted = [];
    if (rows.length === 0) return;
    const got = new Map<string, number>();
    // By period, then members: the primary key's order (community, period, member), so each is a
    // few index look-ups. (The file lists totals in that order: a chunk holds one period or two.)
    const byPeriod = new Map<string, Set<string>>();
    for (const r of rows) {
      const members = byPeriod.get(r.period as string);
      if (members) members.add(r.member_id as string);
      else byPeriod.set(r.period as string, new Set([r.member_id as string]));
    }
    for (const [period, members] of byPeriod) {
      for (const t of await this.db.selectFrom("totals").select(["member_id", "points"]).where("community_id", "=", this.communityId).where("period", "=", period).where("member_id", "in", [...members]).execute()) {
        got.set(`${period}|${t.member_id}`, Number(t.points));
      }
    }
    for (const r of rows) {
      const have = got.get(`${r.period}|${r.member_id}`) ?? 0;
      if (have !== r.points) {
        throw new RestoreMismatch(`the restored totals differ from the file's (${shown(r.member_id)}, ${shown(r.period)}: the file says ${r.points}, its ledger rows give ${have}); the file's ledger and totals disagree, so nothing was imported`);
      }
    }
  }
}
