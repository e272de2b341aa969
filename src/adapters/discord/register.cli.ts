import fs from "node:fs";
import { commands, messageActions } from "../../../commands/index.js";
import { registerCommand } from "./cli-commands.js";
import { runCli } from "./cli-setup.js";

// `npm run discord:register`: registers the slash commands and message actions declared in
// commands/ (each message action is an entry of a message's Apps menu) — in DISCORD_GUILD_ID's
// server when set (instant, for development), else globally (Discord may take up to an hour to
// show changes everywhere).
if (fs.existsSync(".env")) process.loadEnvFile(".env");
await runCli((io) => registerCommand(process.env, io, commands, messageActions), process.env);
