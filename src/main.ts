import fs from "node:fs";
import { ConsoleAdapter } from "./adapters/console/console-adapter.js";
import { type App, createApp } from "./app.js";
import { ManualClock, OffsetClock, systemClock } from "./core/clock.js";
import { type Config, loadConfig } from "./config.js";
import { communityPages } from "./http/community/index.js";
import { PrometheusTelemetry } from "./http/metrics.js";
import { adapterProbe, databaseProbe, jobLoopProbe } from "./http/probes.js";
import type { ReadinessProbe } from "./http/readiness.js";
import { HttpListenError, startHttpServer } from "./http/server.js";
import { createLogger, type Logger } from "./log.js";
import { reportStartFailure } from "./startup-failure.js";

// Wiring only: config → logger → signals → database and engine → adapters → HTTP → shutdown.

if (fs.existsSync(".env")) process.loadEnvFile(".env");

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    process.exit(reportStartFailure(error, { secrets: [] }));
  }
}
const config = configOrExit();

const log: Logger = createLogger({ level: config.logLevel, secrets: config.secrets });
// The console's clock can start at a fixed moment, so a scripted session prints the same every run.
const clock = new OffsetClock(config.consoleClockStart ? new ManualClock(config.consoleClockStart) : systemClock);

// Metrics are counted only when an HTTP server can serve them (HTTP_PORT).
const metrics = config.http ? new PrometheusTelemetry() : undefined;
/** What /readyz checks: the database and the job loop, then each adapter as it starts. */
const probes: ReadinessProbe[] = [];

const stoppers: (() => Promise<void>)[] = [];
let stopping = false;
/** The start in progress; settles with the app, or undefined when it failed (and exits). */
let starting: Promise<App | undefined> = Promise.resolve(undefined);

/** Stops adapters (no new events), lets accepted writes commit, closes the database. */
async function shutdown(reason: string, exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, "shutting down");
  for (const stop of stoppers.reverse()) await stop().catch((err: unknown) => log.error({ err }, "adapter did not stop cleanly"));
  // A signal during start waits for it: migrations commit whole (or not at all) and the database
  // closes cleanly, instead of dying between two statements.
  const app = await starting;
  await app?.close();
  // Let piped output drain before leaving; exiting at once can cut the last lines.
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(exitCode);
}
// Before the database is opened, so Ctrl-C during a first start is a clean stop too.
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

/** A start that cannot go on: one line on standard error, a summary in the log, and out. */
function failStart(error: unknown, what?: string): never {
  process.exit(reportStartFailure(error, { log, secrets: config.secrets, ...(what ? { what } : {}) }));
}

/** Starts one adapter; if it cannot start (a refused token, say), stops the others and exits. */
async function startAdapter(name: string, start: () => Promise<{ stop(): Promise<void>; connected(): boolean }>): Promise<void> {
  try {
    const adapter = await start();
    // A signal that arrived while it was connecting has already run the stoppers.
    if (stopping) await adapter.stop();
    else stoppers.push(() => adapter.stop());
    probes.push(adapterProbe(name.toLowerCase(), () => adapter.connected()));
  } catch (err) {
    const code = reportStartFailure(err, { log, secrets: config.secrets, what: `the ${name} adapter` });
    await shutdown(`${name} failed to start`, code);
  }
}

/** Serves /healthz, /readyz, /metrics and the public community pages when HTTP_PORT is set; once the engine's loops run, so /readyz can pass. */
async function startHttp(app: App): Promise<void> {
  if (!config.http || stopping) return;
  try {
    // The public pages (/c/<slug>) are served by the same server; each community turns its own on.
    const plugins = [communityPages({ web: app.engine.services.web })];
    const server = await startHttpServer({ ...config.http, log, health: { probes }, plugins, ...(metrics ? { metrics } : {}) });
    if (stopping) {
      await server.stop();
      return;
    }
    stoppers.push(() => server.stop());
    log.info({ url: server.url }, "http server listening");
    // The console logs only problems: say it where its banner is.
    if (config.console) process.stderr.write(`Health and metrics: ${server.url}/healthz, /readyz, /metrics\n`);
  } catch (err) {
    if (!(err instanceof HttpListenError)) throw err;
    // A setting to fix, like a bad variable: one line and exit code 2.
    process.stderr.write(`guildkeeper: ${err.message}\n`);
    log.error({ err: err.message }, "http server could not start");
    await shutdown("HTTP server failed to start", 2);
  }
}

async function main(): Promise<void> {
  starting = createApp(config, { clock, log, ...(metrics ? { telemetry: metrics } : {}) }).catch((error: unknown) => failStart(error));
  const app = await starting;
  if (!app || stopping) return;
  probes.push(databaseProbe(app.db.kysely), jobLoopProbe(() => app.engine.scheduler.liveness()));
  metrics?.observe({ outboxBacklog: () => app.engine.outboxBacklog(), jobLoop: () => app.engine.scheduler.liveness() });
  if (config.console) log.debug({ database: app.where, created: app.created }, "database ready");
  else log.info({ database: app.where, created: app.created }, app.created ? "created a new, empty database" : "database ready");

  if (config.discord) {
    const discord = config.discord;
    // Each platform's adapter (and its SDK: discord.js, @slack/bolt) is loaded only when configured;
    // a Discord-only process would otherwise hold Slack's too (+6 MiB heap, +7 MiB RSS measured).
    const { startDiscord } = await import("./adapters/discord/index.js");
    await startAdapter("Discord", () => startDiscord({ engine: app.engine, commands: app.engine.commands.catalog, messageActions: app.engine.commands.actions, log, ...discord }));
  }
  if (config.slack) {
    const slack = config.slack;
    const { startSlack } = await import("./adapters/slack/index.js");
    await startAdapter("Slack", () => startSlack({ engine: app.engine, commands: app.engine.commands.catalog, messageActions: app.engine.commands.actions, log, ...slack }));
  }
  if (stopping) return;
  if (!config.console) {
    // Jobs and outbox delivery, once every adapter has registered its outbox.
    app.engine.start();
    await startHttp(app);
    return;
  }

  const interactive = Boolean(process.stdin.isTTY);
  process.stderr.write(
    [
      `guildkeeper console — a terminal community stored in ${app.where}${app.created ? " (a new, empty database)" : ""}`,
      "You are @ada, who runs this community. Type a message, /help for bot commands, /console for console ones.",
      "To connect Discord set DISCORD_TOKEN and DISCORD_APP_ID; for Slack set SLACK_BOT_TOKEN and SLACK_APP_TOKEN.",
      "See .env.example and the README.",
      "",
    ].join("\n"),
  );
  const consoleAdapter = new ConsoleAdapter({
    engine: app.engine,
    commands: app.engine.commands.catalog,
    clock,
    input: process.stdin,
    output: process.stdout,
    interactive,
    picturesDir: config.consolePicturesDir,
    timezone: async () => (await app.engine.communities.resolve({ platform: "console", workspaceId: "local" })).settings.timezone,
  });
  stoppers.push(async () => consoleAdapter.stop());
  app.engine.start();
  await startHttp(app);
  if (stopping) return;
  await consoleAdapter.run();
  await shutdown("end of input");
}

void main().catch((error: unknown) => failStart(error));
