import fs from "node:fs";
import { inviteCommand } from "./cli-commands.js";
import { runCli } from "./cli-setup.js";

// `npm run discord:invite`: prints the URL that adds the bot to a server, asking for exactly the
// scopes and permissions it uses (listed once, in bot-permissions.ts). Needs DISCORD_APP_ID only.
if (fs.existsSync(".env")) process.loadEnvFile(".env");
await runCli((io) => inviteCommand(process.env, io), process.env);
