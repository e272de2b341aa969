import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { acquireWriterLock } from "../../src/db/writer-lock.js";

/**
 * The commands as a person runs them: real processes on a temporary DATABASE_URL. `npm run import`
 * takes the one-writer lock, so while the bot holds the SQLite file the import is refused (exit 2,
 * naming the holder) and nothing is written; a dry run and an export only read, and work meanwhile.
 */
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const fixture = (name: string) => path.join(REPO, "test/fixtures/import", name);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], databaseUrl: string): Promise<Ran> {
  // Only what the commands need: no platform token reaches them from the developer's shell.
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), DATABASE_URL: databaseUrl, LOG_LEVEL: "error" };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += String(c)));
    child.stderr.on("data", (c) => (stderr += String(c)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const importCli = (args: readonly string[], db: string) => run(process.execPath, ["--import", "tsx", "src/ops/import.cli.ts", ...args], db);
const exportCli = (args: readonly string[], db: string) => run(process.execPath, ["--import", "tsx", "src/ops/export.cli.ts", ...args], db);

describe("npm run import and npm run export as processes", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("GIVEN a temp DATABASE_URL THEN MEE6 imports, a rerun through npm changes nothing, the bot's lock refuses an import but not a dry run (a malformed file: exit 2, its line) or an export, and the export restores elsewhere", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-import-cli-"));
    dirs.push(dir);
    const db = path.join(dir, "gk.db");

    const first = await importCli(["--from", "mee6", fixture("mee6-leaderboard.json")], db);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toContain("4 ledger rows written (+11072 points, all-time only), 4 members added");

    // The npm script itself, as the README shows it.
    const again = await run("npm", ["run", "--silent", "import", "--", "--from", "mee6", fixture("mee6-leaderboard.json")], db);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain("Nothing changed");

    const lock = acquireWriterLock(path.join(fs.realpathSync(dir), "gk.db"), "guildkeeper");
    try {
      const [refused, broken, exported] = await Promise.all([
        importCli(["--from", "polaris", "--guild", "700000000000000001", fixture("polaris-export.json")], db),
        // A dry run only reads: the lock does not stop it, so it gets as far as the file's third line.
        importCli(["--from", "csv", "--dry-run", fixture("members-malformed.csv")], db),
        exportCli(["--out", path.join(dir, "export.json")], db),
      ]);
      expect(refused).toMatchObject({ code: 2, stdout: "" });
      expect(refused.stderr).toContain(`gk.db is in use by guildkeeper (pid ${process.pid}`);
      expect(broken).toMatchObject({ code: 2, stdout: "" });
      expect(broken.stderr).toContain("The file was not imported: line 3: xp");
      expect(exported).toMatchObject({ code: 0 });
      expect(exported.stdout).toContain("ledger 4");
    } finally {
      lock.release();
    }

    const restored = await importCli(["--from", "guildkeeper", path.join(dir, "export.json")], path.join(dir, "restored.db"));
    expect(restored).toMatchObject({ code: 0, stderr: "" });
    expect(restored.stdout).toContain("4 ledger rows written (+11072 points)");
    expect(restored.stdout).toContain("Checked: the totals equal the file's.");
  }, 60_000);
});
