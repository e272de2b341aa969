import { z } from "zod";
import { readCsv } from "./csv.js";
import { MAX_XP, type Parsed, refuseDuplicates, type XpFile, type XpRecord } from "./xp-file.js";

/**
 * A plain CSV of points per member: `member,xp` or `member,xp,name`, with or without a header. A
 * header names its columns in any order (`member`/`id`/`user_id`, `xp`/`points`, and optionally
 * `name`/`display_name`/`username`); without one, the first row is data. `member` is a platform
 * user id (`123456789012345678`, `U0G9QF9C6`) or a namespaced member id (`discord:<guild>:<user>`).
 */
const COLUMNS = {
  member: ["member", "member_id", "id", "user", "user_id", "userid"],
  xp: ["xp", "points", "score"],
  name: ["name", "display_name", "displayname", "username", "nickname"],
} as const;

const row = z.object({
  member: z
    .string()
    .min(1, "the member is empty")
    .max(200, "the member id is too long")
    .regex(/^[^\s,"\p{C}]+$/u, "a member id has no spaces, quotes or control characters"),
  xp: z
    .string()
    .regex(/^\d+(\.\d+)?$/, "xp must be a number of 0 or more, digits only (no thousands separators)")
    .transform(Number)
    .pipe(z.number().max(MAX_XP, `xp is at most ${MAX_XP}`)),
  name: z.string().max(1024, "the name is too long").optional(),
});

export function parseCsvXp(text: string): Parsed<XpFile> {
  const csv = readCsv(text);
  if (!csv.ok) return csv;
  if (csv.records.length === 0) return { ok: false, error: "the file has no rows" };
  let columns = { member: 0, xp: 1, name: 2 as number | undefined };
  let rows = csv.records;
  let most = 3;
  const first = rows[0]!;
  if (!/^\s*\d+(\.\d+)?\s*$/.test(first.fields[1] ?? "")) {
    const header = first.fields.map((f) => f.trim().toLowerCase());
    const find = (names: readonly string[]) => {
      const i = header.findIndex((h) => names.includes(h));
      return i < 0 ? undefined : i;
    };
    const member = find(COLUMNS.member);
    const xp = find(COLUMNS.xp);
    if (member === undefined || xp === undefined) {
      return { ok: false, error: `line ${first.line}: a header needs a member column (${COLUMNS.member.join(", ")}) and an xp column (${COLUMNS.xp.join(", ")}); without a header the first row must be data: member,xp[,name]` };
    }
    columns = { member, xp, name: find(COLUMNS.name) };
    rows = rows.slice(1);
    most = header.length;
  }
  const records: XpRecord[] = [];
  for (const r of rows) {
    if (r.fields.length < Math.max(columns.member, columns.xp) + 1 || r.fields.length > most) {
      return { ok: false, error: `line ${r.line}: expected ${most === 3 ? "member,xp[,name]" : `the header's ${most} columns`} (${r.fields.length} field${r.fields.length === 1 ? "" : "s"} found)` };
    }
    const name = columns.name === undefined ? undefined : r.fields[columns.name];
    const parsed = row.safeParse({ member: r.fields[columns.member]!.trim(), xp: r.fields[columns.xp]!.trim(), ...(name ? { name } : {}) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, error: `line ${r.line}: ${String(issue.path[0] ?? "row")}: ${issue.message}` };
    }
    const line = r.line;
    records.push({ member: parsed.data.member, ...(parsed.data.name?.trim() ? { name: parsed.data.name } : {}), xp: parsed.data.xp, where: () => `line ${line}` });
  }
  if (records.length === 0) return { ok: false, error: "the file has a header but no rows" };
  const duplicate = refuseDuplicates(records);
  if (duplicate) return { ok: false, error: duplicate };
  return { ok: true, value: { source: "csv", records, notes: [] } };
}
