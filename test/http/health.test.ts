import type { AddressInfo } from "node:net";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { connect } from "../../src/db/connect.js";
import { adapterProbe, databaseProbe, jobLoopProbe } from "../../src/http/probes.js";
import { buildHttpServer, HttpListenError, startHttpServer } from "../../src/http/server.js";
import type { Readiness } from "../../src/http/readiness.js";
import { capturingLog } from "../helpers/log-lines.js";
import { silentLog, testEngine, type TestEngine } from "../helpers/engine.js";

/**
 * The health routes over real HTTP: a server built on port 0 around a real engine (testEngine's
 * SQLite file and ManualClock), asked with fetch. Staleness is moved on the engine's clock, never
 * waited for.
 */
let t: TestEngine;
let server: FastifyInstance | undefined;
const connected = { discord: true };

beforeEach(async () => {
  t = await testEngine();
  connected.discord = true;
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await t.engine.stop();
  await t.close();
});

async function listen(o: { plugins?: FastifyPluginAsync[] } = {}): Promise<string> {
  server = await buildHttpServer({
    log: silentLog,
    health: { probes: [databaseProbe(t.db.kysely), jobLoopProbe(() => t.engine.scheduler.liveness()), adapterProbe("discord", () => connected.discord)] },
    ...(o.plugins ? { plugins: o.plugins } : {}),
  });
  await server.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
}

/**
 * Starts the engine's loops and waits for the job loop's first look, which start() arms with a
 * 0 ms timer: a timer set after it fires after it, and then idle() waits for that look to end.
 * The next look is then a minute away (real time), far beyond the test.
 */
async function startAndLook(): Promise<void> {
  t.engine.start();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await t.engine.scheduler.idle();
}

async function readyz(base: string): Promise<{ status: number; type: string | null; body: Readiness }> {
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as Readiness };
}

describe("GET /healthz", () => {
  it("GIVEN the process is up THEN 200 with {status: ok} as JSON, whatever the engine is doing", async () => {
    const base = await listen();
    connected.discord = false;
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok" });
  });
});

describe("GET /readyz", () => {
  it("GIVEN the database answers, the adapter is connected and the job loop has just looked THEN 200 with every check ok", async () => {
    const base = await listen();
    t.engine.start();
    const r = await readyz(base);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body).toEqual({ status: "ready", failed: [], checks: { database: { ok: true }, jobs: { ok: true }, discord: { ok: true } } });
  });

  it("GIVEN the engine's loops have not started THEN 503 naming the job loop", async () => {
    const base = await listen();
    const r = await readyz(base);
    expect(r.status).toBe(503);
    expect(r.body.status).toBe("not ready");
    expect(r.body.failed).toEqual(["jobs"]);
    expect(r.body.checks.jobs).toEqual({ ok: false, reason: "the job loop is not running" });
  });

  it("GIVEN an adapter says it is not connected THEN 503 naming that adapter, and 200 again once it is", async () => {
    const base = await listen();
    t.engine.start();
    connected.discord = false;
    const down = await readyz(base);
    expect(down.status).toBe(503);
    expect(down.body.failed).toEqual(["discord"]);
    expect(down.body.checks).toEqual({ database: { ok: true }, jobs: { ok: true }, discord: { ok: false, reason: "discord is not connected" } });
    connected.discord = true;
    expect((await readyz(base)).status).toBe(200);
  });

  it("GIVEN the job loop has not looked for longer than three of its longest sleeps on the engine's clock THEN 503, and a look makes it ready again", async () => {
    const base = await listen();
    await startAndLook();
    const { staleAfterMs } = t.engine.scheduler.liveness();
    // Exactly at the limit is still alive; a millisecond past it is not.
    t.clock.advance(staleAfterMs);
    expect((await readyz(base)).status).toBe(200);
    t.clock.advance(1);
    const stale = await readyz(base);
    expect(stale.status).toBe(503);
    expect(stale.body.failed).toEqual(["jobs"]);
    expect(stale.body.checks.jobs).toEqual({ ok: false, reason: `the job loop has not looked at the database for ${staleAfterMs / 1000} s (stale after ${staleAfterMs / 1000} s)` });
    // The loop looks (what its wake timer would do): alive again.
    await t.engine.scheduler.tick();
    expect((await readyz(base)).status).toBe(200);
  });

  it("GIVEN the database cannot be reached THEN 503 naming the database, with neither its password nor its address in the body, and the cause in the log once", async () => {
    const unreachable = connect("postgres://gk:hunter2-not-a-real-password@127.0.0.1:1/nowhere");
    const captured = capturingLog();
    try {
      server = await buildHttpServer({ log: captured.log, health: { probes: [databaseProbe(unreachable.kysely)] } });
      await server.listen({ port: 0, host: "127.0.0.1" });
      const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      const first = await fetch(`${base}/readyz`);
      const text = await first.text();
      expect(first.status).toBe(503);
      expect(JSON.parse(text)).toEqual({ status: "not ready", failed: ["database"], checks: { database: { ok: false, reason: "the check failed (see the log)" } } });
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("127.0.0.1:1");
      expect(text).not.toContain("ECONNREFUSED");
      await fetch(`${base}/readyz`);
      const warnings = captured.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "readiness: check failed");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ check: "database", component: "http" });
    } finally {
      await unreachable.close();
    }
  });
});

describe("the server", () => {
  it("GIVEN route plugins passed in THEN they are served beside ours, registered after them", async () => {
    const leaderboard: FastifyPluginAsync = async (app) => {
      app.get<{ Params: { slug: string } }>("/c/:slug", async (request) => ({ community: request.params.slug }));
    };
    const base = await listen({ plugins: [leaderboard] });
    const res = await fetch(`${base}/c/rustaceans`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ community: "rustaceans" });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });

  it("GIVEN startHttpServer on port 0 THEN it says its URL, serves it, and stop() closes it; a port in use is a clear HttpListenError", async () => {
    const running = await startHttpServer({ port: 0, host: "127.0.0.1", log: silentLog, health: { probes: [] } });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    const port = Number(new URL(running.url).port);
    const clash = startHttpServer({ port, host: "127.0.0.1", log: silentLog, health: { probes: [] } });
    await expect(clash).rejects.toBeInstanceOf(HttpListenError);
    await expect(clash).rejects.toThrow(`could not listen for HTTP on 127.0.0.1:${port}: the port is in use (set HTTP_PORT to a free one)`);
    await running.stop();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });
});

describe("HTTP_PORT and HTTP_HOST", () => {
  it("GIVEN no HTTP_PORT THEN there is no HTTP server; GIVEN one THEN it listens on 127.0.0.1 unless HTTP_HOST says otherwise; a bad value is refused naming the variable", () => {
    expect(loadConfig({}).http).toBeUndefined();
    expect(loadConfig({ HTTP_PORT: "" }).http).toBeUndefined();
    expect(loadConfig({ HTTP_PORT: "9464" }).http).toEqual({ port: 9464, host: "127.0.0.1" });
    expect(loadConfig({ HTTP_PORT: "9464", HTTP_HOST: "0.0.0.0" }).http).toEqual({ port: 9464, host: "0.0.0.0" });
    expect(loadConfig({ HTTP_PORT: "9464", HTTP_HOST: "::" }).http).toEqual({ port: 9464, host: "::" });
    expect(() => loadConfig({ HTTP_PORT: "nine" })).toThrow(/HTTP_PORT: a port number/);
    expect(() => loadConfig({ HTTP_PORT: "70000" })).toThrow(/HTTP_PORT/);
    expect(() => loadConfig({ HTTP_PORT: "9464", HTTP_HOST: "metrics.example.com" })).toThrow(/HTTP_HOST: an IP address/);
  });
});
