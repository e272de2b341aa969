import fs from "node:fs";
import { backupCli } from "./backup-cli.js";

// `npm run backup -- FILE [--force]`: an online backup of the SQLite database, safe while the bot
// runs (read-only, no writer lock; see backup.ts and docs/backups.md).
if (fs.existsSync(".env")) process.loadEnvFile(".env");
process.exitCode = await backupCli(process.argv.slice(2), process.env);
