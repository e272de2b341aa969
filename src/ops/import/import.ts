import fs from "node:fs";
import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";
import { applyXp } from "./apply-xp.js";
import { restoreSummary, xpSummary } from "./report.js";
import { parseCsvXp } from "./csv-xp.js";
import { type LineSource, linesOfFile, linesOfText, parseGuildkeeper } from "./guildkeeper-file.js";
import { ImportWriter } from "./import-writer.js";
import { parseMee6 } from "./mee6.js";
import { planXp } from "./plan-xp.js";
import { parsePolaris } from "./polaris.js";
import { noProgress, type Progress } from "./progress.js";
import { applyRestore, planRestore, RestoreMismatch } from "./restore.js";
import { DEFAULT_FACTORS, type ImportSource, type Parsed, type XpFile, type XpSource } from "./xp-file.js";
import { createCommunityFor, resolveXpTarget } from "./xp-target.js";

/** One `npm run import`, as the CLI (and the tests) hand it over. */
export interface ImportRequest {
  source: ImportSource;
  /** The file's text; for `--from guildkeeper`, `file` instead reads it from disk a line at a time (an export may be larger than a string can be). */
  text?: string;
  file?: string;
  /** `--community <id or name>`. */
  community?: string;
  /** `--guild <server id>`: the Discord server of a file that does not name it (Polaris, CSV). */
  guild?: string;
  /** `--factor N`: points per XP (default per source, xp-file.ts). */
  factor?: number;
  dryRun: boolean;
  /** The timezone of a community the import creates (DEFAULT_TIMEZONE, as the bot would). */
  timezone: string;
  clock: Clock;
  progress?: Progress;
}

/** What to print: the report (standard output), or the one error (standard error, exit 2). Nothing is written on an error. */
export type ImportResult = { ok: true; report: string[] } | { ok: false; error: string };

const parsers: Record<XpSource, (text: string) => Parsed<XpFile>> = { mee6: parseMee6, polaris: parsePolaris, csv: parseCsvXp };

/**
 * Validates the whole file, decides every row, and writes them in one transaction through the
 * points engine — or, with `dryRun`, says what it would write and writes nothing (not even the
 * community it would create).
 */
export async function runImport(db: Kysely<Database>, request: ImportRequest): Promise<ImportResult> {
  const progress = request.progress ?? noProgress;
  if (request.source === "guildkeeper") return restore(db, request, progress);
  const factor = request.factor ?? DEFAULT_FACTORS[request.source];
  // Another bot's file is small (one row per member) and parsed whole.
  const parsed = parsers[request.source](request.text ?? (request.file !== undefined ? fs.readFileSync(request.file, "utf8") : ""));
  if (!parsed.ok) return { ok: false, error: `The file was not imported: ${parsed.error}` };
  const file = parsed.value;
  const notes = request.factor === undefined ? file.notes : [];

  if (request.dryRun) {
    const target = await resolveXpTarget(db, file, request);
    if (!target.ok) return target;
    const plan = await planXp(db, file, target.value, factor);
    if (!plan.ok) return { ok: false, error: `The file was not imported: ${plan.error}` };
    return { ok: true, report: [...notes, ...xpSummary(plan.value, target.value, { dryRun: true })] };
  }

  const writer = new ImportWriter(db, request.clock);
  try {
    const outcome = await writer.run(async (trx) => {
      // Decided again inside the transaction, under the writer lock: what an earlier import left is read where it is written.
      const target = await resolveXpTarget(trx, file, request);
      if (!target.ok) return target;
      const plan = await planXp(trx, file, target.value, factor);
      if (!plan.ok) return { ok: false as const, error: `The file was not imported: ${plan.error}` };
      const now = request.clock.now();
      const community = target.value.community ?? (await createCommunityFor(trx, target.value.create!, { timezone: request.timezone, now }));
      const written = await applyXp(trx, writer, community, plan.value, now.toISOString(), progress);
      return { ok: true as const, plan: plan.value, target: { ...target.value, community }, written };
    });
    if (!outcome.ok) return outcome;
    return { ok: true, report: [...notes, ...xpSummary(outcome.plan, outcome.target, { dryRun: false, written: outcome.written })] };
  } finally {
    progress.stop();
  }
}

/**
 * The file's first read — the check, before anything is written, a third of a large restore's
 * time — drives the bar by the bytes read; the later reads (plan, copy, ledger) count rows.
 */
function checkedWithProgress(source: LineSource, bytes: number, progress: Progress): LineSource {
  let first = true;
  return () => {
    if (!first) return source();
    first = false;
    return (async function* () {
      progress.start(bytes);
      try {
        for await (const line of source()) {
          progress.advance(line.length + 1);
          yield line;
        }
      } finally {
        progress.stop();
      }
    })();
  };
}

async function restore(db: Kysely<Database>, request: ImportRequest, progress: Progress): Promise<ImportResult> {
  if (request.factor !== undefined) return { ok: false, error: "--factor does not apply to --from guildkeeper: an export holds our own points, restored as they are." };
  if (request.guild !== undefined) return { ok: false, error: "--guild does not apply to --from guildkeeper: the file names its workspaces." };
  const lines = request.file !== undefined ? checkedWithProgress(linesOfFile(request.file), fs.statSync(request.file).size, progress) : linesOfText(request.text ?? "");
  const parsed = await parseGuildkeeper(lines);
  if (!parsed.ok) return { ok: false, error: `The file was not imported: ${parsed.error}` };
  const file = parsed.value;
  if (request.dryRun) {
    const plan = await planRestore(db, file, request.community);
    if (!plan.ok) return plan;
    return { ok: true, report: restoreSummary(file, plan.value, undefined) };
  }
  const writer = new ImportWriter(db, request.clock);
  try {
    const outcome = await writer.run(async (trx) => {
      const plan = await planRestore(trx, file, request.community);
      if (!plan.ok) return plan;
      return { ok: true as const, plan: plan.value, restored: await applyRestore(trx, writer, file, plan.value, progress) };
    });
    if (!outcome.ok) return outcome;
    return { ok: true, report: restoreSummary(file, outcome.plan, outcome.restored) };
  } catch (error) {
    if (error instanceof RestoreMismatch) return { ok: false, error: `The file was not imported: ${error.message}` };
    throw error;
  } finally {
    progress.stop();
  }
}
