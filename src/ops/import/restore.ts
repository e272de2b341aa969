import type { Kysely, Transaction } from "kysely";
import { parseNamespacedId, type Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import { insertCommunity, linkWorkspace } from "../../engine/communities/community.repo.js";
import { memberHash, PSEUDONYM_PREFIX } from "../../engine/forget/pseudonyms.js";
import type { ImportedLedgerRow } from "../../engine/points/points.service.js";
import { allCommunities, chooseCommunity, type CommunityRecord } from "../community-choice.js";
import { EXPORTED_TABLES, type ExportGroup, type ExportedTable } from "../export/tables.js";
import type { GuildkeeperFile, Row } from "./guildkeeper-file.js";
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
  /** The file's tombstones, and whether they are merged (only into the file's own community id). */
  tombstones: { rows: number; carried: boolean };
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

  const rows = (name: string) => file.tables[name] ?? [];
  const fresh = create || !(await db.selectFrom("ledger").select("key").where("community_id", "=", community.id).limit(1).executeTakeFirst());
  const members = new Set<string>();
  if (!create) {
    const ids = rows("members").map((m) => m.member_id as string);
    for (let i = 0; i < ids.length; i += 500) {
      for (const m of await db.selectFrom("members").select("member_id").where("community_id", "=", community.id).where("member_id", "in", ids.slice(i, i + 500)).execute()) members.add(m.member_id);
    }
  }
  const ledger = { rows: 0, points: 0, byMember: new Map<string, { rows: number; points: number }>() };
  const ledgerRows = rows("ledger");
  for (let i = 0; i < ledgerRows.length; i += 500) {
    const chunk = ledgerRows.slice(i, i + 500);
    const here = new Map((await db.selectFrom("ledger").select(["key", "community_id"]).where("key", "in", chunk.map((r) => r.key as string)).execute()).map((r) => [r.key, r.community_id]));
    for (const [j, r] of chunk.entries()) {
      const owner = here.get(r.key as string);
      if (owner !== undefined && owner !== community.id) return { ok: false, error: `${file.where("ledger", i + j)}: ledger row ${shown(r.key)} belongs to community ${owner} here: restore the file into that one (--community ${owner}).` };
      if (owner !== undefined) continue;
      const m = ledger.byMember.get(r.member_id as string) ?? { rows: 0, points: 0 };
      m.rows++;
      m.points += r.amount as number;
      ledger.byMember.set(r.member_id as string, m);
      ledger.rows++;
      ledger.points += r.amount as number;
    }
  }
  const groups: RestorePlan["groups"] = [];
  for (const group of groupsOf(EXPORTED_TABLES.filter((t) => t.group !== "points"))) {
    const count = group.tables.reduce((n, t) => n + rows(t.name).length, 0);
    if (count === 0) continue;
    const taken = create ? undefined : await firstTaken(db, group.tables, community.id);
    groups.push(taken ? { group: group.name, rows: count, restore: false, why: `the community has ${taken} already` } : { group: group.name, rows: count, restore: true });
  }
  const tombstones = { rows: rows("forgotten_members").length, carried: community.id === file.community.id };
  return { ok: true, value: { community, create, link, fresh, newMembers: rows("members").filter((m) => !members.has(m.member_id as string)).length, ledger, groups, tombstones } };
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
  /** Members of this database (not the file's) whom a tombstone names: forgotten since this copy was made. */
  namedByTombstones: number;
}

/** Writes a plan inside the import's transaction. Throws (so nothing is kept) when a fresh community's totals come out other than the file's. */
export async function applyRestore(trx: Transaction<Database>, writer: ImportWriter, file: GuildkeeperFile, plan: RestorePlan, progress: Progress): Promise<Restored> {
  const community = plan.community;
  if (plan.create) await insertCommunity(trx, { id: community.id, name: community.name, settings: community.settings, createdAt: new Date(community.createdAt) });
  for (const w of plan.link) await linkWorkspace(trx, w.platform, w.workspaceId, community.id);

  const rows = (name: string) => file.tables[name] ?? [];
  const restored: Restored = { members: 0, ledgerRows: 0, points: 0, levelUps: 0, copied: {}, tombstones: 0, namedByTombstones: 0 };
  const copies = EXPORTED_TABLES.filter((t) => t.name !== "ledger" && t.name !== "totals" && t.name !== "forgotten_members" && (t.group === "points" || plan.groups.some((g) => g.group === t.group && g.restore)));
  progress.start(rows("ledger").length + copies.reduce((n, t) => n + rows(t.name).length, 0));
  if (plan.tombstones.carried) Object.assign(restored, await mergeTombstones(trx, community.id, rows("forgotten_members")));

  // Members first (their own points start at 0: the ledger rows below add them), the recorded
  // events and the levels reached, then the ledger, whose writer finds every member and level there.
  for (const table of copies.filter((t) => t.group === "points")) {
    const source = table.name === "members" ? rows("members").map((m) => ({ ...m, points: 0 })) : rows(table.name);
    restored.copied[table.name] = await insertRows(trx, table, source, community.id, progress);
  }
  restored.members = restored.copied.members ?? 0;

  const byMember = new Map<string, Row[]>();
  for (const r of rows("ledger")) {
    const list = byMember.get(r.member_id as string);
    if (list) list.push(r);
    else byMember.set(r.member_id as string, [r]);
  }
  // A forgotten member (a pseudonym) is on no platform: their rows count under the file's first one.
  const fallback = file.workspaces[0] ?? { platform: "console" as const, workspaceId: community.id };
  for (const [memberId, list] of byMember) {
    const parts = parseNamespacedId(memberId) ?? fallback;
    const place: Place = { platform: parts.platform, workspaceId: parts.workspaceId, channelId: "import" };
    const outcome = await writer.points.importIn(trx, community, place, list.map(ledgerRow));
    if (!outcome.duplicate) {
      restored.ledgerRows += outcome.awards.length;
      restored.points += outcome.awards.reduce((sum, a) => sum + a.amount, 0);
      restored.levelUps += outcome.levelUps.length;
    }
    progress.advance(list.length);
  }

  for (const table of copies.filter((t) => t.group !== "points")) restored.copied[table.name] = await insertRows(trx, table, rows(table.name), community.id, progress);
  progress.stop();

  if (plan.fresh) await checkTotals(trx, file, community.id);
  return restored;
}

/**
 * Adds the file's tombstones to the community's, keeping the later `forgotten_at` of two, and
 * counts the members already here (before the file's are added) whom one names. Runs before the
 * members are copied: the file's own members of a forgetting are pseudonyms, never named.
 */
async function mergeTombstones(trx: Transaction<Database>, communityId: string, tombstones: readonly Row[]): Promise<{ tombstones: number; namedByTombstones: number }> {
  let merged = 0;
  for (const t of tombstones) {
    const row = { community_id: communityId, member_hash: t.member_hash as string, forgotten_at: t.forgotten_at as string };
    const result = await trx
      .insertInto("forgotten_members")
      .values(row)
      .onConflict((oc) => oc.columns(["community_id", "member_hash"]).doUpdateSet({ forgotten_at: row.forgotten_at }).where("forgotten_members.forgotten_at", "<", row.forgotten_at))
      .executeTakeFirst();
    merged += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  if (tombstones.length === 0) return { tombstones: 0, namedByTombstones: 0 };
  const hashes = new Set(tombstones.map((t) => t.member_hash as string));
  let named = 0;
  const here = await trx.selectFrom("members").select("member_id").where("community_id", "=", communityId).where("member_id", "not like", `${PSEUDONYM_PREFIX}%`).execute();
  for (const m of here) if (hashes.has(memberHash(communityId, m.member_id))) named++;
  return { tombstones: merged, namedByTombstones: named };
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

/** Inserts rows a chunk at a time, each unless its key is there; `community_id` becomes the target's. Returns how many went in. */
async function insertRows(db: Db, table: ExportedTable, rows: readonly Row[], communityId: string, progress: Progress): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = new Set(rows.flatMap((r) => Object.keys(r)));
  // Well under SQLite's 32 766 bound parameters per statement.
  const chunk = Math.max(1, Math.min(500, Math.floor(30_000 / columns.size)));
  let inserted = 0;
  for (let i = 0; i < rows.length; i += chunk) {
    const values = rows.slice(i, i + chunk).map((r) => (table.viaTalk ? { ...r } : { ...r, community_id: communityId }));
    const result = await (db as unknown as Kysely<any>)
      .insertInto(table.name)
      .values(values)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    progress.advance(values.length);
  }
  return inserted;
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

async function checkTotals(db: Db, file: GuildkeeperFile, communityId: string): Promise<void> {
  const want = new Map<string, number>();
  for (const t of file.tables.totals ?? []) if (t.points !== 0) want.set(`${t.period}|${t.member_id}`, t.points as number);
  const got = new Map<string, number>();
  for (const t of await db.selectFrom("totals").select(["period", "member_id", "points"]).where("community_id", "=", communityId).execute()) {
    if (Number(t.points) !== 0) got.set(`${t.period}|${t.member_id}`, Number(t.points));
  }
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    if (want.get(key) !== got.get(key)) {
      const [period, member] = key.split("|").map(shown);
      throw new RestoreMismatch(`the restored totals differ from the file's (${member}, ${period}: the file says ${want.get(key) ?? 0}, its ledger rows give ${got.get(key) ?? 0}); the file's ledger and totals disagree, so nothing was imported`);
    }
  }
}
