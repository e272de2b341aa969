/**
 * Logging in ends: a refused token fails at once, an API or gateway that never answers fails after
 * the (test-short) bound naming the host, an unreachable one names the host and the reason — and
 * no message carries the token.
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { type DiscordAdapterOptions, startDiscord } from "../../../src/adapters/discord/index.js";
import { FakeDiscord } from "../../fakes/discord/fake-discord.js";
import { startSilentServer, type SilentServer } from "../../fakes/silent-server.js";
import { silentLog, testEngine, type TestEngine } from "../../helpers/engine.js";
import { WORLD } from "./harness.js";

const TOKEN = "MTMwMDAwMDAwMDAwMDAwOTk5OQ.canary.st4rt-up-t0k3n";

let fake: FakeDiscord | undefined;
let silent: SilentServer | undefined;
let te: TestEngine | undefined;

afterEach(async () => {
  await fake?.close();
  await silent?.close();
  await te?.close();
  fake = silent = te = undefined;
});

async function failureOf(o: Partial<DiscordAdapterOptions>): Promise<Error> {
  te = await testEngine();
  const error = await startDiscord({ engine: te.engine, commands, log: silentLog, token: TOKEN, startTimeoutMs: 300, ...o }).then(
    async (adapter) => {
      await adapter.stop();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).not.toContain(TOKEN);
  expect((error as Error).message).not.toContain(TOKEN.split(".")[2]);
  return error as Error;
}

describe("Discord start-up", () => {
  it("GIVEN a token Discord refuses THEN start fails at once, naming DISCORD_TOKEN", async () => {
    fake = await FakeDiscord.start({ ...WORLD, token: "the-only-token-the-fake-accepts" });

    const error = await failureOf({ apiUrl: fake.restUrl, startTimeoutMs: 60_000 });

    expect(error.message).toBe("Discord refused DISCORD_TOKEN (401 Unauthorized): reset the token under Bot in the Developer Portal and put it in DISCORD_TOKEN");
    expect(fake.gatewayConnections).toHaveLength(0);
  });

  it("GIVEN an API address that accepts connections but never answers THEN start fails after the bound, naming the host", async () => {
    silent = await startSilentServer();

    const error = await failureOf({ apiUrl: `${silent.url}/api` });

    expect(error.message).toBe(`Discord at ${silent.host} did not answer within 300 ms; check the network (and DISCORD_API_URL if set)`);
    expect(silent.requests.map((r) => r.path)).toEqual(["/api/v10/gateway/bot"]);
  });

  it("GIVEN a gateway address that never says hello THEN start fails after the bound", async () => {
    fake = await FakeDiscord.start(WORLD);
    silent = await startSilentServer();
    fake.scriptResponse(
      { method: "GET", path: "/gateway/bot" },
      { status: 200, body: { url: silent.url.replace("http", "ws"), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } } },
    );

    const error = await failureOf({ apiUrl: fake.restUrl });

    expect(error.message).toContain("did not answer within 300 ms");
  });

  it("GIVEN an API address where nothing listens THEN start fails naming the host and the reason", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const error = await failureOf({ apiUrl: `http://127.0.0.1:${port}/api`, startTimeoutMs: 20_000 });

    expect(error.message).toBe(`could not reach Discord at 127.0.0.1:${port} (ECONNREFUSED); check the network (and DISCORD_API_URL if set)`);
  });
});
