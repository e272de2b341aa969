import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.js";
import { startDiscord } from "../../src/adapters/discord/index.js";
import { startSlack } from "../../src/adapters/slack/index.js";
import { PrometheusTelemetry } from "../../src/http/metrics.js";
import { FakeDiscord } from "../fakes/discord/fake-discord.js";
import { startFakeSlack } from "../fakes/slack/index.js";
import { APP, GENERAL as DISCORD_GENERAL, GUILD, WORLD } from "../adapters/discord/harness.js";
import { silentLog, testEngine, type TestEngine } from "../helpers/engine.js";
import { parsePrometheusText, valueOf } from "./prometheus-text.js";

/**
 * What the adapters feed /readyz and /metrics, with the real discord.js client and Bolt app against
 * the local fakes: `connected()` through start, a dropped connection and stop, and a 429 on the
 * outbox counted in guildkeeper_rate_limited_total.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function engineWithMetrics(): Promise<{ te: TestEngine; metrics: PrometheusTelemetry; value(name: string, labels: Record<string, string>): Promise<number | undefined> }> {
  const metrics = new PrometheusTelemetry({ defaultMetrics: false });
  const te = await testEngine({ start: new Date().toISOString(), telemetry: metrics });
  cleanups.push(() => te.close());
  return { te, metrics, value: async (name, labels) => valueOf(parsePrometheusText((await metrics.scrape()).body), name, labels) };
}

describe("the Discord adapter", () => {
  it("GIVEN it logged in THEN connected() is true, false while the gateway is down and again true once resumed, false after stop; a 429 on its outbox is counted", async () => {
    const fake = await FakeDiscord.start(WORLD);
    cleanups.push(() => fake.close());
    const { te, value } = await engineWithMetrics();
    const adapter = await startDiscord({ engine: te.engine, commands, log: silentLog, token: FakeDiscord.TOKEN, appId: APP, apiUrl: fake.restUrl });
    let stopped = false;
    cleanups.push(async () => void (stopped || (await adapter.stop())));
    expect(adapter.connected()).toBe(true);

    await fake.dropConnection();
    await expect.poll(() => adapter.connected(), { timeout: 5_000 }).toBe(false);
    await fake.waitForResume();
    await expect.poll(() => adapter.connected(), { timeout: 5_000 }).toBe(true);

    fake.rateLimitNext({ method: "POST", path: /^\/channels\/\d+\/messages$/ }, { retryAfterSeconds: 3 });
    await te.engine.outbox.enqueue(te.db.kysely, { communityId: "k", dedupeKey: "metrics:discord:429", operation: "post", to: { platform: "discord", workspaceId: GUILD, channelId: DISCORD_GENERAL }, reply: { text: "hello" } });
    expect(await te.engine.delivery.deliverDue()).toMatchObject({ retrying: 1 });
    expect(await value("guildkeeper_rate_limited_total", { platform: "discord" })).toBe(1);
    expect(await value("guildkeeper_outbox_delivery_failures_total", { platform: "discord", outcome: "retrying" })).toBe(1);

    await adapter.stop();
    stopped = true;
    expect(adapter.connected()).toBe(false);
  });
});

describe("the Slack adapter", () => {
  it("GIVEN Socket Mode THEN connected() follows the socket: true once Slack said hello, false as soon as the socket drops, false after stop; a 429 on its outbox is counted", async () => {
    const fake = await startFakeSlack({ channels: [{ id: "C0GENERAL1", name: "general" }] });
    cleanups.push(() => fake.close());
    const { te, value } = await engineWithMetrics();
    const adapter = await startSlack({ engine: te.engine, commands, log: silentLog, botToken: fake.config.bot.token, appToken: fake.config.appToken, apiUrl: fake.apiUrl });
    let stopped = false;
    cleanups.push(async () => void (stopped || (await adapter.stop())));
    expect(adapter.connected()).toBe(true);

    fake.rateLimitNext("chat.postMessage", { retryAfterSec: 3 });
    await te.engine.outbox.enqueue(te.db.kysely, { communityId: "k", dedupeKey: "metrics:slack:429", operation: "post", to: { platform: "slack", workspaceId: fake.config.team.id, channelId: "C0GENERAL1" }, reply: { text: "hello" } });
    expect(await te.engine.delivery.deliverDue()).toMatchObject({ retrying: 1 });
    expect(await value("guildkeeper_rate_limited_total", { platform: "slack" })).toBe(1);

    // A network drop: @slack/socket-mode waits its ping timeout (5 s) before it even says it is
    // reconnecting; the socket's close alone must make the adapter say it is not connected.
    // (Not waited for here: the reconnect itself is @slack/socket-mode's.)
    fake.dropConnection();
    await expect.poll(() => adapter.connected(), { timeout: 2_000 }).toBe(false);

    await adapter.stop();
    stopped = true;
    expect(adapter.connected()).toBe(false);
  });

  it("GIVEN HTTP mode THEN connected() is whether its listener listens", async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    const { te } = await engineWithMetrics();
    const adapter = await startSlack({ engine: te.engine, commands, log: silentLog, botToken: fake.config.bot.token, signingSecret: fake.config.signingSecret, port: 0, host: "127.0.0.1", apiUrl: fake.apiUrl });
    expect(adapter.connected()).toBe(true);
    await adapter.stop();
    expect(adapter.connected()).toBe(false);
  });
});
