import { commands } from "../../../commands/index.js";
import { applicationId, discordConfig, fail, restFor } from "./cli-setup.js";
import { registerCommands } from "./command-registration.js";
import { loggableError } from "./discord-errors.js";

// `npm run discord:register`: registers the slash commands declared in commands/ (and the
// "Thank the author" message menu) — in DISCORD_GUILD_ID's server when set (instant, for
// development), else globally (Discord may take up to an hour to show changes everywhere).
const discord = discordConfig();
const rest = restFor(discord);
try {
  const appId = await applicationId(discord, rest);
  const result = await registerCommands(rest, { appId, guildId: discord.guildId, commands });
  const where = result.scope === "guild" ? `in server ${discord.guildId}` : "globally";
  process.stdout.write(`registered ${result.names.length} commands ${where}: ${result.names.join(", ")}\n`);
} catch (error) {
  fail(`registration failed: ${JSON.stringify(loggableError(error))}`);
}
