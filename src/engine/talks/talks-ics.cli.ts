import fs from "node:fs";
import { loadConfig } from "../../config.js";
import { connect } from "../../db/connect.js";
import { reportStartFailure } from "../../startup-failure.js";
import { icsFor } from "./talks-ics.js";

// `npm run talks:ics [-- --community <id or name>]`: prints the community's upcoming talks as an
// .ics calendar on stdout. It only reads (no writer lock), so it works while the bot is running.
if (fs.existsSync(".env")) process.loadEnvFile(".env");
let secrets: readonly string[] = [];
try {
  const config = loadConfig();
  secrets = config.secrets;
  const db = connect(config.databaseUrl);
  try {
    const result = await icsFor(db.kysely, process.argv.slice(2), new Date());
    if (result.ok) process.stdout.write(result.ics);
    else {
      process.stderr.write(`${result.error}\n`);
      process.exitCode = 2;
    }
  } finally {
    await db.close();
  }
} catch (error) {
  process.exitCode = reportStartFailure(error, { secrets, what: "npm run talks:ics" });
}
