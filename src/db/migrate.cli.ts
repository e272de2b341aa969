import fs from "node:fs";
import { loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { reportStartFailure } from "../startup-failure.js";
import { openDatabase } from "./open-database.js";

// `npm run migrate`: applies pending migrations to DATABASE_URL and says which. It takes the same
// one-writer lock as the app, so it is refused (exit 2, naming the running process) while the app
// has the SQLite file open; the app migrates at start anyway.
if (fs.existsSync(".env")) process.loadEnvFile(".env");
let secrets: readonly string[] = [];
try {
  const config = loadConfig();
  secrets = config.secrets;
  const log = createLogger({ level: config.logLevel, secrets });
  try {
    const opened = await openDatabase(config.databaseUrl, { role: "npm run migrate" });
    await opened.close();
    const what = opened.applied.length ? `applied: ${opened.applied.join(", ")}` : "database is up to date";
    process.stdout.write(`${what} (${opened.where})\n`);
  } catch (error) {
    process.exitCode = reportStartFailure(error, { log, secrets, what: "npm run migrate" });
  }
} catch (error) {
  process.exitCode = reportStartFailure(error, { secrets });
}
