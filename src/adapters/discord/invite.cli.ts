import { applicationId, discordConfig, fail, restFor } from "./cli-setup.js";
import { BOT_PERMISSIONS, inviteUrl } from "./bot-permissions.js";
import { loggableError } from "./discord-errors.js";

// `npm run discord:invite`: prints the URL that adds the bot to a server, asking for exactly the
// scopes and permissions it uses (listed once, in bot-permissions.ts).
const discord = discordConfig();
try {
  const appId = await applicationId(discord, restFor(discord));
  const reasons = BOT_PERMISSIONS.map((p) => `  - ${p.name}: ${p.why}`).join("\n");
  process.stdout.write(`${inviteUrl(appId)}\n\nScopes: bot, applications.commands. Permissions:\n${reasons}\n`);
} catch (error) {
  fail(`could not look up the application id (set DISCORD_APP_ID to skip this): ${JSON.stringify(loggableError(error))}`);
}
