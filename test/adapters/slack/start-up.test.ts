/**
 * Start-up ends: a refused token fails at once, an API that never answers fails after the
 * (test-short) bound naming the host, an unreachable one names the host and the reason — and no
 * message carries a token.
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { startSlack, type SlackAdapterOptions } from "../../../src/adapters/slack/index.js";
import { startFakeSlack, type FakeSlack } from "../../fakes/slack/index.js";
import { startSilentServer, type SilentServer } from "../../fakes/silent-server.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { quietLog } from "./harness.js";

const BOGUS_BOT = "xoxb-bogus-0000000000-canary-bot-token";
const BOGUS_APP = "xapp-bogus-0000000000-canary-app-token";

let fake: FakeSlack | undefined;
let silent: SilentServer | undefined;
let te: TestEngine | undefined;

afterEach(async () => {
  await fake?.close();
  await silent?.close();
  await te?.close();
  fake = silent = te = undefined;
});

async function failureOf(o: Partial<SlackAdapterOptions>): Promise<Error> {
  te = await testEngine();
  const started = startSlack({ engine: te.engine, commands, log: quietLog, botToken: BOGUS_BOT, appToken: BOGUS_APP, startTimeoutMs: 300, ...o });
  const error = await started.then(
    async (adapter) => {
      await adapter.stop();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  for (const secret of [BOGUS_BOT, BOGUS_APP, fake?.config.bot.token, fake?.config.appToken]) if (secret) expect(message).not.toContain(secret);
  return error as Error;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Slack start-up", () => {
  it("GIVEN a bot token Slack refuses THEN start fails at once, naming SLACK_BOT_TOKEN and Slack's reason", async () => {
    fake = await startFakeSlack();

    const error = await failureOf({ apiUrl: fake.apiUrl, startTimeoutMs: 60_000 });

    expect(error.message).toMatch(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\): set it to the Bot User OAuth Token/);
    expect(fake.calls().filter((c) => c.method === "auth.test")).toHaveLength(1);
  });

  it("GIVEN a good bot token and an app token Slack refuses THEN Socket Mode start fails at once, naming SLACK_APP_TOKEN", async () => {
    fake = await startFakeSlack();

    const error = await failureOf({ apiUrl: fake.apiUrl, botToken: fake.config.bot.token, startTimeoutMs: 60_000 });

    expect(error.message).toMatch(/^Slack refused SLACK_APP_TOKEN \(invalid_auth\): set it to an App-Level Token/);
  });

  it("GIVEN an API address that accepts connections but never answers THEN start fails after the bound, naming the host", async () => {
    silent = await startSilentServer();

    const error = await failureOf({ apiUrl: `${silent.url}/api/` });

    expect(error.message).toBe(`Slack at ${silent.host} did not answer within 300 ms; check the network (and SLACK_API_URL if set)`);
    expect(silent.requests.map((r) => r.path)).toEqual(["/api/auth.test"]);
  });

  it("GIVEN an API address where nothing listens THEN start fails naming the host and the reason", async () => {
    const port = await closedPort();

    const error = await failureOf({ apiUrl: `http://127.0.0.1:${port}/api/` });

    expect(error.message).toBe(`could not reach Slack at 127.0.0.1:${port} (ECONNREFUSED); check the network (and SLACK_API_URL if set)`);
  });

  it("GIVEN HTTP mode and an API that never answers THEN start fails the same way", async () => {
    silent = await startSilentServer();

    const error = await failureOf({ apiUrl: `${silent.url}/api/`, appToken: undefined, signingSecret: "a-signing-secret", port: 0, host: "127.0.0.1" });

    expect(error.message).toContain(`Slack at ${silent.host} did not answer`);
  });
});
