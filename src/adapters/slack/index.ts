import type { AddressInfo } from "node:net";
import { App, webApi } from "@slack/bolt";
import { messageActions as declaredMessageActions } from "../../../commands/index.js";
import type { Command, MessageAction } from "../../engine/commands/context.js";
import type { Engine } from "../../engine/engine.js";
import type { Logger } from "../../log.js";
import { listenToActivity } from "./activity.js";
import { listenToCommands } from "./commands.js";
import { SlackDirectory } from "./directory.js";
import { SignedHttpReceiver } from "./http-receiver.js";
import { listenToInteractivity } from "./interactivity.js";
import { listenToMessageActions } from "./message-actions.js";
import { SlackOutbox, slackOutboxClient } from "./outbox.js";
import { RateLimitWatch } from "./rate-limits.js";
import { AckAfterProcessingReceiver } from "./socket-mode-receiver.js";
import { boltLogger, Secrets } from "./secrets.js";
import { checkBotToken, DEFAULT_START_TIMEOUT_MS, explainStartFailure, hostOf, SlackStartError, type StartBounds, withDeadline } from "./start-up.js";

/**
 * The Slack adapter: a Bolt app that turns Slack activity into engine events and engine replies
 * into Block Kit. Socket Mode by default (bot token + app token, no public URL); HTTP mode when a
 * signing secret and a port are given. Setup: docs/slack.md.
 */
export interface SlackAdapterOptions {
  engine: Engine;
  commands: readonly Command[];
  /** The message actions answered as message shortcuts (default: those in commands/index.ts; the manifest must list the same). */
  messageActions?: readonly MessageAction[];
  log: Logger;
  /** `xoxb-…` (OAuth & Permissions). */
  botToken: string;
  /** `xapp-…` with `connections:write`, for Socket Mode. */
  appToken?: string;
  /** With `port`, selects HTTP mode. */
  signingSecret?: string;
  /** HTTP mode's port; 0 picks a free one (returned). */
  port?: number;
  host?: string;
  /** Web API base (default Slack's), for tests and proxies. */
  apiUrl?: string;
  /**
   * How long start-up may take before it fails naming the host (default 30 s). A token Slack
   * refuses fails at once, whatever this is.
   */
  startTimeoutMs?: number;
}

export const DEFAULT_API_URL = "https://slack.com/api/";

/** A started Slack adapter. */
export interface SlackAdapter {
  /** Socket Mode: the WebSocket is open and Slack said hello (false while it reconnects). HTTP mode: listening. */
  connected(): boolean;
  stop(): Promise<void>;
  /** HTTP mode's port. */
  port?: number;
}

export async function startSlack(o: SlackAdapterOptions): Promise<SlackAdapter> {
  const log = o.log.child({ adapter: "slack" });
  const secrets = new Secrets([o.botToken, o.appToken, o.signingSecret]);
  const logger = boltLogger(log, secrets);
  const http = o.signingSecret !== undefined && o.port !== undefined;
  if (!http && !o.appToken) throw new Error("Slack needs SLACK_APP_TOKEN for Socket Mode, or SLACK_SIGNING_SECRET and SLACK_PORT for HTTP mode.");

  // @slack/web-api joins method names onto this, so it must end with a slash.
  const slackApiUrl = (o.apiUrl ?? DEFAULT_API_URL).replace(/\/?$/, "/");
  const bounds: StartBounds = { host: hostOf(slackApiUrl), timeoutMs: o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS };
  const started = Date.now();
  const remaining = (): StartBounds => ({ ...bounds, timeoutMs: Math.max(1, bounds.timeoutMs - (Date.now() - started)) });
  // First, once and bounded: is the bot token good and Slack reachable? (start-up.ts)
  const identity = await checkBotToken({ apiUrl: slackApiUrl, botToken: o.botToken, logger, bounds }).catch((error: unknown) => {
    throw scrubbed(error, secrets);
  });
  const team = identity.team_id;

  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl,
    // The default (10 retries over ~30 minutes) would hold a reply far past any use.
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
  };
  const socket = http
    ? undefined
    : new AckAfterProcessingReceiver({
        appToken: o.appToken!,
        logger,
        clientOptions,
        onUnacknowledged: (error, envelope) => log.warn({ ...secrets.describe(error), ...envelope }, "slack: envelope not acknowledged; Slack will deliver it again"),
        onDropped: (problem, envelope) => log.warn({ problem, ...envelope }, "slack: Socket Mode envelope dropped"),
        onSocketError: (error) => log.warn({ ...secrets.describe(error) }, "slack: Socket Mode connection error; reconnecting"),
      });
  // @slack/socket-mode's state events: "connected" once Slack's hello arrived; "close" when the
  // WebSocket closed (it waits seconds before "reconnecting", and says nothing meanwhile), and the
  // states on the way down. Slack also asks for a fresh connection now and then: a short "no".
  let socketConnected = false;
  socket?.client.on("connected", () => void (socketConnected = true));
  for (const state of ["close", "disconnecting", "reconnecting", "disconnected"]) socket?.client.on(state, () => void (socketConnected = false));
  const app = new App({
    token: o.botToken,
    // Known from the check above, so Bolt need not call auth.test again (with its retries).
    tokenVerificationEnabled: false,
    botUserId: identity.user_id,
    ...(identity.bot_id ? { botId: identity.bot_id } : {}),
    logger,
    clientOptions,
    // Bolt's conversation store keeps state in memory for every conversation; nothing here uses it.
    convoStore: false,
    // init() is awaited below instead of running unawaited inside the constructor.
    deferInitialization: true,
    ...(http
      ? {
          // Holds the HTTP answer (the ack) until the listener has finished — i.e. after commit —
          // and refuses what Bolt's own HTTP receiver let through (http-receiver.ts).
          receiver: new SignedHttpReceiver({
            signingSecret: o.signingSecret!,
            onRefused: (status, problem) => log.warn({ status, problem }, "slack: HTTP request refused"),
            onFailed: (error) => log.warn({ ...secrets.describe(error) }, "slack: HTTP delivery failed; Slack will deliver it again"),
          }),
        }
      : { receiver: socket! }),
  });
  // Failures reach the receiver (no ack / HTTP 500, so Slack retries) after being logged safely;
  // Bolt's default handler would log the raw error object.
  app.error(async (error) => {
    log.warn({ ...secrets.describe(error) }, "slack: event processing failed; Slack will deliver it again");
    throw error;
  });
  await app.init();
  // Every 429 Slack answers, on any of the app's clients: Bolt hands listeners a client per team
  // (not app.client), so each is watched the first time it passes through.
  const rateLimits = new RateLimitWatch(() => o.engine.telemetry.rateLimited("slack"));
  rateLimits.watch(app.client);
  app.use(async ({ client, next }) => {
    rateLimits.watch(client);
    await next();
  });

  const directory = new SlackDirectory(app.client, { log, secrets, botUserId: identity.user_id });
  listenToActivity(app, { engine: o.engine, people: directory, log });
  listenToCommands(app, { engine: o.engine, commands: o.commands, directory, log, secrets });
  listenToInteractivity(app, { engine: o.engine, commands: o.commands, directory, log, secrets });
  listenToMessageActions(app, { engine: o.engine, commands: o.commands, directory, log, secrets }, o.messageActions ?? declaredMessageActions);

  let port: number | undefined;
  let listener: { listening: boolean } | undefined;
  try {
    if (http) {
      // Bolt types start()'s result after its own receiver; ours resolves with a node:http Server.
      const server = (await app.start({ port: o.port!, ...(o.host ? { host: o.host } : {}) })) as { address(): AddressInfo | string | null; listening: boolean };
      listener = server;
      const address = server.address();
      port = address && typeof address === "object" ? address.port : o.port;
    } else {
      // Resolves once Slack's `hello` arrived on the WebSocket; the app token is checked on the way.
      await withDeadline(app.start(), remaining(), "Socket Mode's connection");
    }
  } catch (error) {
    // Stops Socket Mode's reconnect attempts; a listener that never opened has nothing to close.
    await app.stop().catch(() => undefined);
    if (http) throw scrubbed(new SlackStartError(`could not listen for Slack on port ${o.port}: ${error instanceof Error ? error.message : String(error)}`), secrets);
    throw scrubbed(explainStartFailure(error, "app", bounds), secrets);
  }
  log.info({ mode: http ? "http" : "socket", team, ...(port !== undefined ? { port } : {}) }, "slack adapter started");
  // What the engine says on its own (level-ups, notices) goes out through this workspace's outbox,
  // on a client that answers 429s instead of waiting, so the delivery loop can reschedule.
  o.engine.registerOutbox(
    new SlackOutbox(rateLimits.watch(slackOutboxClient(o.botToken, { slackApiUrl, logger })), team, (detail) => log.warn({ detail }, "slack: a post went out without its pictures (upload failed)")),
  );

  return {
    ...(port !== undefined ? { port } : {}),
    connected: () => (listener ? listener.listening : socketConnected),
    async stop() {
      await app.stop();
    },
  };
}

/** A start-up error as one clean sentence: no library error (with its request) attached, no secret. */
function scrubbed(error: unknown, secrets: Secrets): SlackStartError {
  const message = error instanceof Error ? error.message : String(error);
  return new SlackStartError(secrets.scrub(message));
}
