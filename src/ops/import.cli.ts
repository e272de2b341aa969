import fs from "node:fs";
import { systemClock } from "../core/clock.js";
import { loadConfig } from "../config.js";
import { type Db } from "../db/connect.js";
import { openDatabase } from "../db/open-database.js";
import { reportStartFailure } from "../startup-failure.js";
import { openForReading } from "./open-for-reading.js";
import { runImport } from "./import/import.js";
import { terminalProgress } from "./import/progress.js";
import { IMPORT_USAGE, parseImportArgs } from "./ops-args.js";

// `npm run import -- --from mee6|polaris|csv|guildkeeper FILE [...]` (docs/import-export.md).
//
// An import writes, so it opens the database as the bot does: it takes the one-writer lock
// (src/db/writer-lock.ts) and migrates. While the bot runs on the same SQLite file the lock is
// refused (exit 2, naming the bot's pid): the bot keeps members' rows and points in memory and
// would overwrite what an import wrote behind its back. Stop the bot, import, start it again. On
// Postgres nothing enforces it: stop the bot all the same. `--dry-run` only reads (no lock, no
// migration), so it works while the bot runs.
if (fs.existsSync(".env")) process.loadEnvFile(".env");
let secrets: readonly string[] = [];
try {
  const config = loadConfig();
  secrets = config.secrets;
  const parsed = parseImportArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n${IMPORT_USAGE}\n`);
    process.exitCode = 2;
  } else if ("help" in parsed) {
    process.stdout.write(`${IMPORT_USAGE}\n`);
  } else {
    const args = parsed.args;
    // Our own export is read a line at a time (it may be larger than a string can hold); another
    // bot's file is small and read whole.
    let source: { text: string } | { file: string } | undefined;
    try {
      if (args.source === "guildkeeper") {
        fs.accessSync(args.file, fs.constants.R_OK);
        if (fs.statSync(args.file).isDirectory()) throw new Error("it is a folder (a CSV export is not imported back: use --format json)");
        source = { file: args.file };
      } else source = { text: fs.readFileSync(args.file, "utf8") };
    } catch (error) {
      process.stderr.write(`Cannot read ${args.file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}\n`);
      process.exitCode = 2;
    }
    if (source !== undefined) {
      const opened: { db: Db; close(): Promise<void> } = args.dryRun ? await openForReading(config.databaseUrl) : await openDatabase(config.databaseUrl, { role: "npm run import" });
      try {
        const result = await runImport(opened.db.kysely, {
          ...args,
          ...source,
          timezone: config.defaultTimezone,
          clock: systemClock,
          progress: terminalProgress("importing"),
        });
        if (result.ok) process.stdout.write(`${result.report.join("\n")}\n`);
        else {
          process.stderr.write(`${result.error}\n`);
          process.exitCode = 2;
        }
      } finally {
        await opened.close();
      }
    }
  }
} catch (error) {
  process.exitCode = reportStartFailure(error, { secrets, what: "npm run import" });
}
