import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect } from "vitest";
import type { Db } from "../../src/db/connect.js";
import { exportCommunity, type ExportResult } from "../../src/ops/export/export.js";

/**
 * JSON exports written to temporary files for a test file's tests, removed after each test. Call
 * it once at the top of a test file or `describe`.
 */
export function exportFiles() {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    /** Exports `community` of `db` as of `now` into a new file, which it must write: the file, its text and the export's result. */
    async write(db: Db, community: string, now: Date): Promise<{ file: string; text: string; result: ExportResult }> {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-export-file-"));
      dirs.push(dir);
      const file = path.join(dir, "export.json");
      const result = await exportCommunity(db.kysely, db.dialect, { format: "json", out: file, community, now });
      expect(result).toMatchObject({ ok: true });
      return { file, text: fs.readFileSync(file, "utf8"), result };
    },
  };
}
