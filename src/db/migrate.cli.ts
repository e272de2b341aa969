import fs from "node:fs";
import { loadConfig } from "../config.js";
import { connect } from "./connect.js";
import { migrateToLatest } from "./migrate.js";

// `npm run migrate`: applies pending migrations to DATABASE_URL and says which.
if (fs.existsSync(".env")) process.loadEnvFile(".env");
const config = loadConfig();
const db = connect(config.databaseUrl);
try {
  const applied = await migrateToLatest(db.kysely);
  process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "database is up to date\n");
} finally {
  await db.close();
}
