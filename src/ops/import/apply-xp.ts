import type { Transaction } from "kysely";
import { parseNamespacedId, type Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../../engine/communities/community.repo.js";
import type { ImportWriter } from "./import-writer.js";
import { IMPORT_DAY, importReason, type XpPlan } from "./plan-xp.js";
import type { Progress } from "./progress.js";

/** What an import wrote. */
export interface XpWritten {
  rows: number;
  points: number;
  membersAdded: number;
  levelUps: number;
}

/**
 * Writes a plan's rows through the points engine (one settlement per member), inside the import's
 * transaction. Rows are dated `at` (when they were imported) on {@link IMPORT_DAY}. A row whose key
 * is taken already writes nothing (counted from what the ledger writer reports, not from the plan).
 */
export async function applyXp(trx: Transaction<Database>, writer: ImportWriter, community: Community, plan: XpPlan, at: string, progress: Progress): Promise<XpWritten> {
  const written: XpWritten = { rows: 0, points: 0, membersAdded: 0, levelUps: 0 };
  const changes = plan.changes.filter((c) => c.amount !== 0);
  progress.start(changes.length);
  for (const c of changes) {
    const parts = parseNamespacedId(c.memberId)!;
    // A level-up's place; never posted (import-writer.ts), kept in level_ups.channel_key.
    const place: Place = { platform: parts.platform, workspaceId: parts.workspaceId, channelId: "import" };
    const outcome = await writer.points.importIn(trx, community, place, [
      {
        key: c.key,
        // Only a member the import creates takes the file's name: an existing one keeps what the platform said last.
        member: c.isNew && c.name !== undefined ? { id: c.memberId, displayName: c.name } : { id: c.memberId },
        amount: c.amount,
        reason: importReason(plan.source),
        sourceKey: importReason(plan.source),
        at,
        day: IMPORT_DAY,
        reverses: c.reverses,
      },
    ]);
    if (!outcome.duplicate) {
      written.rows += outcome.awards.length;
      written.points += outcome.awards.reduce((sum, a) => sum + a.amount, 0);
      if (c.isNew) written.membersAdded++;
      written.levelUps += outcome.levelUps.length;
    }
    progress.advance();
  }
  progress.stop();
  return written;
}
