import fs from "node:fs";
import { loadConfig } from "../config.js";
import { reportStartFailure } from "../startup-failure.js";
import { exportCommunity } from "./export/export.js";
import { openForReading } from "./open-for-reading.js";
import { EXPORT_USAGE, parseExportArgs } from "./ops-args.js";

// `npm run export -- [--format json|csv] [--community <id or name>] [--out FILE or FOLDER]`
// (docs/import-export.md). It only reads, in one transaction, so like `npm run talks:ics` it takes
// no writer lock and works while the bot runs: the file is one moment's state. (To move a
// community to another database, stop the bot first, so nothing it says after the export is lost.)
if (fs.existsSync(".env")) process.loadEnvFile(".env");
let secrets: readonly string[] = [];
try {
  const config = loadConfig();
  secrets = config.secrets;
  const parsed = parseExportArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n${EXPORT_USAGE}\n`);
    process.exitCode = 2;
  } else if ("help" in parsed) {
    process.stdout.write(`${EXPORT_USAGE}\n`);
  } else {
    const opened = await openForReading(config.databaseUrl, { missing: "refuse" });
    try {
      const result = await exportCommunity(opened.db.kysely, opened.db.dialect, { ...parsed.args, now: new Date() });
      if (result.ok) {
        const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
        const busiest = Object.entries(result.rows).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(", ");
        // The JSON itself may be on standard output: the summary goes to standard error then.
        const say = result.where === "standard output" ? process.stderr : process.stdout;
        say.write(`Exported community ${result.community.id} (${result.community.name}) to ${result.where}: ${total} rows${busiest ? ` (${busiest})` : ""}.\n`);
      } else {
        process.stderr.write(`${result.error}\n`);
        process.exitCode = 2;
      }
    } finally {
      await opened.close();
    }
  }
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === "EPIPE") {
    // `npm run export | head`: whatever read standard output stopped before the end.
    process.stderr.write("guildkeeper: standard output was closed before the export was written to the end: what was written is incomplete.\n");
    process.exitCode = 1;
  } else process.exitCode = reportStartFailure(error, { secrets, what: "npm run export" });
}
