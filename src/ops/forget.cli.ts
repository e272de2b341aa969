import fs from "node:fs";
import { forgetCli } from "./forget-cli.js";

// `npm run forget -- --member <id> [--community …] [--yes]`: forgets a member on request, as
// /forget-me would (src/engine/forget/, docs/forget-me.md). It writes: stop the bot first on SQLite.
if (fs.existsSync(".env")) process.loadEnvFile(".env");
process.exitCode = await forgetCli(process.argv.slice(2), process.env);
