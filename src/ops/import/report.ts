import { cleanDisplayName, nameFromId } from "../../engine/points/display-name.js";
import type { XpWritten } from "./apply-xp.js";
import type { GuildkeeperFile } from "./guildkeeper-file.js";
import type { XpPlan } from "./plan-xp.js";
import type { Restored, RestorePlan } from "./restore.js";
import { shown } from "./xp-file.js";
import type { XpTarget } from "./xp-target.js";

/** What `npm run import` prints on standard output: the changes (a dry run lists every member's), then the counts. */

const SOURCE_NAMES = { mee6: "MEE6", polaris: "Polaris", csv: "the CSV" } as const;

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function xpSummary(plan: XpPlan, target: XpTarget, o: { dryRun: boolean; written?: XpWritten }): string[] {
  const where = target.community ? `community ${shown(target.community.id)} (${shown(target.community.name)})` : `a new community for ${target.create!.platform} ${target.create!.workspaceId}`;
  const changed = plan.changes.filter((c) => c.amount !== 0);
  const added = changed.filter((c) => c.isNew).length;
  const points = changed.reduce((sum, c) => sum + c.amount, 0);
  const unchanged = plan.changes.length - changed.length;
  const lines: string[] = [];
  if (o.dryRun) {
    lines.push(`Dry run, nothing written. ${SOURCE_NAMES[plan.source]} into ${where}, at ${factorText(plan.factor)} ${plan.factor === 1 ? "point" : "points"} per XP:`);
    for (const c of changed) {
      // A name from the file is shown as it would be stored: bounded, no control or bidi characters.
      const name = c.storedName ?? cleanDisplayName(c.name ?? "", nameFromId(c.memberId));
      lines.push(`  ${signed(c.amount)}  ${shown(name)} (${c.memberId}${c.isNew ? ", new member" : ""}): ${c.xp} XP → ${count(c.after, "point")}${c.before !== 0 ? ` (had ${c.before} from earlier imports)` : ""}`);
    }
    if (changed.length === 0) lines.push("  nothing would change: every member already has what this file gives.");
    lines.push(`Would write ${count(changed.length, "ledger row")} (${signed(points)} ${Math.abs(points) === 1 ? "point" : "points"}, all-time only) and add ${count(added, "member")}; ${count(unchanged, "member")} unchanged.`);
    return lines;
  }
  const w = o.written!;
  lines.push(`Imported ${SOURCE_NAMES[plan.source]} into ${where}, at ${factorText(plan.factor)} ${plan.factor === 1 ? "point" : "points"} per XP.`);
  lines.push(`${count(plan.changes.length, "member")} in the file: ${count(w.rows, "ledger row")} written (${signed(w.points)} ${Math.abs(w.points) === 1 ? "point" : "points"}, all-time only), ${count(w.membersAdded, "member")} added, ${count(unchanged, "member")} unchanged.`);
  if (w.levelUps > 0) lines.push(`${count(w.levelUps, "member")} reached a new level: recorded, not announced (Discord grants role rewards at each one's next level-up).`);
  if (w.rows === 0) lines.push("Nothing changed: every member already had what this file gives.");
  return lines;
}

export function restoreSummary(file: GuildkeeperFile, plan: RestorePlan, restored: Restored | undefined): string[] {
  const into = plan.create ? `a new community ${shown(plan.community.id)} (${shown(plan.community.name)})` : `community ${shown(plan.community.id)} (${shown(plan.community.name)})`;
  const lines: string[] = [];
  const skipped = plan.groups.filter((g) => !g.restore);
  if (!restored) {
    lines.push(`Dry run, nothing written. The export of ${shown(file.community.id)} (${file.exportedAt}) into ${into}:`);
    for (const [member, m] of [...plan.ledger.byMember].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`  ${signed(m.points)}  ${member} (${count(m.rows, "ledger row")})`);
    lines.push(`Would add ${count(plan.newMembers, "member")} and ${count(plan.ledger.rows, "ledger row")} (${signed(plan.ledger.points)} points).`);
    for (const g of plan.groups.filter((g) => g.restore)) lines.push(`Would copy ${g.group}: ${count(g.rows, "row")}.`);
    if (plan.tombstones.rows > 0 && plan.tombstones.carried) lines.push(`Would merge ${count(plan.tombstones.rows, "tombstone")} (forgotten members, as hashes).`);
  } else {
    lines.push(`Restored the export of ${shown(file.community.id)} (${file.exportedAt}) into ${into}.`);
    lines.push(`${count(restored.members, "member")} added, ${count(restored.ledgerRows, "ledger row")} written (${signed(restored.points)} points); totals, levels and ranks derived from them.`);
    const copied = Object.entries(restored.copied).filter(([table, n]) => n > 0 && table !== "members");
    if (copied.length) lines.push(`Copied: ${copied.map(([table, n]) => `${table} ${n}`).join(", ")}.`);
    if (restored.tombstones > 0) lines.push(`Merged ${count(restored.tombstones, "tombstone")}: old events of the members forgotten in the file's copy stay dropped.`);
    if (plan.fresh) lines.push("Checked: the totals equal the file's.");
    if (restored.ledgerRows === 0 && copied.length === 0 && restored.members === 0 && restored.tombstones === 0) lines.push("Nothing changed: everything in the file was here already.");
  }
  for (const g of skipped) lines.push(`Skipped ${g.group} (${count(g.rows, "row")}): ${g.why}; it is restored only into a community without any.`);
  const named = plan.tombstones.named;
  if (named > 0) {
    lines.push(`${count(named, "member")} of this database ${named === 1 ? "was" : "were"} forgotten after it was copied: forget them again with npm run forget -- --tombstones-from <this DATABASE_URL> --yes.`);
  }
  if (plan.tombstones.rows > 0 && !plan.tombstones.carried) {
    lines.push(
      `Not merged: the file's ${count(plan.tombstones.rows, "tombstone")}. A tombstone hashes its member's id with the community's (${shown(file.community.id)}), so under ${shown(plan.community.id)} it would recognise no one; the forgotten members' old events are not dropped here.`,
    );
  }
  return lines;
}

/** 0.25, or 1/15 as 0.0667. */
function factorText(factor: number): string {
  return Number.isInteger(factor * 10_000) ? String(factor) : factor.toFixed(4);
}
