import type { Kysely } from "kysely";
import { memberId, parseNamespacedId } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Parsed, XpFile, XpSource } from "./xp-file.js";
import type { XpTarget } from "./xp-target.js";

/**
 * Imported points count in all-time only: they were earned before, on no day of ours. Their ledger
 * rows are dated on this day (its week `1970-W01` and month `1970-01` are periods no board shows),
 * so every row still counts in the three totals a day's points go to, and the totals stay the
 * ledger's sums — recomputed, unlinked or exported, like any other row.
 */
export const IMPORT_DAY = "1970-01-01";

/** The most points one member may hold from one import: what the ledger's integer column takes with room. */
const MAX_POINTS = 1_000_000_000;

/** What an import does for one member. */
export interface XpChange {
  memberId: string;
  /** The file's name, cleaned when stored; used only for a member created by the import. */
  name?: string;
  /** An existing member's stored name (what a report shows). */
  storedName?: string;
  isNew: boolean;
  xp: number;
  /** Points this source's earlier imports gave the member (the sum of their rows). */
  before: number;
  /** What the file gives: round(xp × factor). */
  after: number;
  /** The row to write (`after - before`; none when 0). */
  amount: number;
  key: string;
  reverses: string | null;
}

/** Every member's change for one XP file, decided from what earlier imports left. */
export interface XpPlan {
  source: XpSource;
  factor: number;
  changes: XpChange[];
}

/**
 * Ledger keys: a member's first import from a source is `import:<source>:<member id>`; a later
 * import of a different figure writes the difference as `import:<source>:<member id>:<n>` (n = 2, 3,
 * …), marked as correcting the first. So the rows under a source always add up to the latest
 * file's figure, the same file twice writes nothing, and no row is ever changed.
 */
export function importKey(source: XpSource, member: string, rowsBefore: number): string {
  return rowsBefore === 0 ? `import:${source}:${member}` : `import:${source}:${member}:${rowsBefore + 1}`;
}

export const importReason = (source: XpSource) => `import:${source}`;

/** Reads what earlier imports left and decides every member's row; reads only. */
export async function planXp(db: Kysely<Database>, file: XpFile, target: XpTarget, factor: number): Promise<Parsed<XpPlan>> {
  const ids: { id: string; index: number }[] = [];
  for (const [index, r] of file.records.entries()) {
    const id = memberIdOf(r.member, target);
    if (!id.ok) return { ok: false, error: `${r.where()}: ${id.error}` };
    ids.push({ id: id.value, index });
    const points = Math.round(r.xp * factor);
    if (points > MAX_POINTS) return { ok: false, error: `${r.where()}: ${r.xp} XP × ${factor} is ${points} points, more than the ${MAX_POINTS} one member may hold: check the file and --factor` };
  }
  const seen = new Map<string, number>();
  for (const { id, index } of ids) {
    const before = seen.get(id);
    if (before !== undefined) return { ok: false, error: `${file.records[index]!.where()}: member ${id} is in the file twice (also at ${file.records[before]!.where()}); keep one` };
    seen.set(id, index);
  }

  const community = target.community?.id;
  const earlier = new Map<string, { points: number; rows: number }>();
  const known = new Map<string, string>();
  if (community !== undefined) {
    const rows = await db.selectFrom("ledger").select(["member_id", "amount"]).where("community_id", "=", community).where("reason", "=", importReason(file.source)).execute();
    for (const r of rows) {
      const e = earlier.get(r.member_id) ?? { points: 0, rows: 0 };
      e.points += Number(r.amount);
      e.rows++;
      earlier.set(r.member_id, e);
    }
    // Which members exist, a chunk of ids at a time (the file may name a whole server).
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500).map((x) => x.id);
      for (const m of await db.selectFrom("members").select(["member_id", "display_name"]).where("community_id", "=", community).where("member_id", "in", chunk).execute()) known.set(m.member_id, m.display_name);
    }
  }

  const changes: XpChange[] = ids.map(({ id, index }) => {
    const r = file.records[index]!;
    const e = earlier.get(id) ?? { points: 0, rows: 0 };
    const after = Math.round(r.xp * factor);
    return {
      memberId: id,
      ...(r.name !== undefined ? { name: r.name } : {}),
      ...(known.has(id) ? { storedName: known.get(id)! } : {}),
      isNew: !known.has(id),
      xp: r.xp,
      before: e.points,
      after,
      amount: after - e.points,
      key: importKey(file.source, id, e.rows),
      reverses: e.rows === 0 ? null : importKey(file.source, id, 0),
    };
  });
  return { ok: true, value: { source: file.source, factor, changes } };
}

/** A bare user id in the target's home workspace, or a namespaced member id of one of its workspaces. */
function memberIdOf(member: string, target: XpTarget): Parsed<string> {
  if (member.includes(":")) {
    const parts = parseNamespacedId(member);
    if (!parts || parts.localId === "") return { ok: false, error: `"${member}" is neither a user id nor a member id like discord:<server>:<user>` };
    if (!target.workspaces.some((w) => w.platform === parts.platform && w.workspaceId === parts.workspaceId)) {
      return { ok: false, error: `member ${member} is from ${parts.platform} workspace ${parts.workspaceId}, which is not this community's (${target.workspaces.map((w) => `${w.platform}:${w.workspaceId}`).join(", ") || "none"})` };
    }
    return { ok: true, value: member };
  }
  if (!target.home) {
    return { ok: false, error: `"${member}" is a bare user id, and the community has several workspaces (${target.workspaces.map((w) => `${w.platform}:${w.workspaceId}`).join(", ")}): write member ids like discord:<server>:<user>, or name the server with --guild` };
  }
  return { ok: true, value: memberId(target.home.platform, target.home.workspaceId, member) };
}
