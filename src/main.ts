import fs from "node:fs";
import { ConsoleAdapter } from "./adapters/console/console-adapter.js";
import { startSlack } from "./adapters/slack/index.js";
import { createApp } from "./app.js";
import { commands } from "../commands/index.js";
import { ManualClock, OffsetClock, systemClock } from "./core/clock.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./log.js";

// Wiring only: config → logger → database and engine → adapters → shutdown.

if (fs.existsSync(".env")) process.loadEnvFile(".env");

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

const log = createLogger({ level: config.logLevel, secrets: config.secrets });
// The console's clock can start at a fixed moment, so a scripted session prints the same every run.
const start = process.env.CONSOLE_CLOCK_START;
const clock = new OffsetClock(start ? new ManualClock(start) : systemClock);
const app = await createApp(config, { clock, log });

const stoppers: (() => Promise<void>)[] = [];
let stopping = false;
/** Stops adapters (no new events), lets accepted writes commit, closes the database. */
async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, "shutting down");
  for (const stop of stoppers.reverse()) await stop().catch((err: unknown) => log.error({ err }, "adapter did not stop cleanly"));
  await app.close();
  // Let piped output drain before leaving; exiting at once can cut the last lines.
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

if (config.discord) log.warn("DISCORD_TOKEN is set, but the Discord adapter is not part of this build yet");
if (config.slack) {
  const slack = await startSlack({ engine: app.engine, commands, log, ...config.slack });
  stoppers.push(() => slack.stop());
}

if (config.console) {
  const interactive = Boolean(process.stdin.isTTY);
  process.stderr.write(
    [
      `guildkeeper console — a terminal community stored in ${config.databaseUrl.startsWith("postgres") ? "Postgres" : config.databaseUrl}`,
      "You are @ada, who runs this community. Type a message, /help for bot commands, /console for console ones.",
      "To connect Discord set DISCORD_TOKEN and DISCORD_APP_ID; for Slack set SLACK_BOT_TOKEN and SLACK_APP_TOKEN.",
      "See .env.example and the README.",
      "",
    ].join("\n"),
  );
  const consoleAdapter = new ConsoleAdapter({
    engine: app.engine,
    commands,
    clock,
    input: process.stdin,
    output: process.stdout,
    interactive,
    timezone: async () => (await app.engine.communities.resolve({ platform: "console", workspaceId: "local" })).settings.timezone,
  });
  stoppers.push(async () => consoleAdapter.stop());
  await consoleAdapter.run();
  await shutdown("end of input");
}
