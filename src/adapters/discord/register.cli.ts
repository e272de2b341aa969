import fs from "node:fs";
import { commands } from "../../../commands/index.js";
import { registerCommand } from "./cli-commands.js";
import { runCli } from "./cli-setup.js";

// `npm run discord:register`: registers the slash commands declared in commands/ (and the
// "Thank the author" message menu) — in DISCORD_GUILD_ID's server when set (instant, for
// development), else globally (Discord may take up to an hour to show changes everywhere).
if (fs.existsSync(".env")) process.loadEnvFile(".env");
await runCli((io) => registerCommand(process.env, io, commands), process.env);
