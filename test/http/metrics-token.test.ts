import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { bearerCheck } from "../../src/http/bearer.js";
import { PrometheusTelemetry } from "../../src/http/metrics.js";
import type { ReadinessProbe } from "../../src/http/readiness.js";
import { buildHttpServer } from "../../src/http/server.js";
import { silentLog } from "../helpers/engine.js";
import { parsePrometheusText } from "./prometheus-text.js";

/**
 * METRICS_TOKEN over real HTTP: the web board shares the port and is meant to be public, so with a
 * token set the counters and the probes' details answer only its bearer; /healthz and /readyz's
 * status code stay open for load balancers.
 */
const TOKEN = "4f9c1d7e2b8a6035c1e9f7a2d4b6c8e0";
let server: FastifyInstance | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function listen(o: { token?: string; probes?: ReadinessProbe[] } = {}): Promise<string> {
  server = await buildHttpServer({ log: silentLog, health: { probes: o.probes ?? [] }, metrics: new PrometheusTelemetry(), ...(o.token ? { metricsToken: o.token } : {}) });
  await server.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
}

const get = (url: string, authorization?: string) => fetch(url, authorization === undefined ? {} : { headers: { authorization } });

describe("METRICS_TOKEN", () => {
  it("GIVEN a token THEN /metrics is 401 with a Bearer challenge and a JSON reason without it or with a wrong one, and the Prometheus text with it", async () => {
    const base = await listen({ token: TOKEN });
    for (const [authorization, reason] of [
      [undefined, "this server's metrics need Authorization: Bearer <METRICS_TOKEN>"],
      [`Bearer ${TOKEN.slice(0, -1)}x`, "that bearer token is not this server's METRICS_TOKEN"],
      [`Bearer ${TOKEN}extra`, "that bearer token is not this server's METRICS_TOKEN"],
      [`Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`, "that bearer token is not this server's METRICS_TOKEN"],
      ["Bearer", "that bearer token is not this server's METRICS_TOKEN"],
    ] as const) {
      const res = await get(`${base}/metrics`, authorization);
      expect([authorization, res.status]).toEqual([authorization, 401]);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="guildkeeper metrics"');
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ error: reason });
      expect(body).not.toContain(TOKEN);
    }
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER  ${TOKEN} `]) {
      const res = await get(`${base}/metrics`, authorization);
      expect(res.status).toBe(200);
      expect(parsePrometheusText(await res.text()).map((f) => f.name)).toContain("guildkeeper_ledger_rows_total");
    }
  });

  it("GIVEN a token THEN /readyz gives everyone its status code and status, and only the bearer which check failed; /healthz stays open", async () => {
    let up = false;
    const base = await listen({ token: TOKEN, probes: [{ name: "discord", check: () => (up ? undefined : "the gateway is not connected") }] });
    const anonymous = await get(`${base}/readyz`);
    expect(anonymous.status).toBe(503);
    expect(await anonymous.json()).toEqual({ status: "not ready" });
    const bearer = await get(`${base}/readyz`, `Bearer ${TOKEN}`);
    expect(bearer.status).toBe(503);
    expect(await bearer.json()).toMatchObject({ status: "not ready", failed: ["discord"] });
    up = true;
    const ready = await get(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready" }]);
    const health = await get(`${base}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
  });

  it("GIVEN no token THEN /metrics and /readyz answer anyone in full, as before", async () => {
    const base = await listen();
    expect((await get(`${base}/metrics`)).status).toBe(200);
    expect(await (await get(`${base}/readyz`)).json()).toEqual({ status: "ready", failed: [], checks: {} });
  });

  it("GIVEN METRICS_TOKEN in the environment THEN it reaches the HTTP settings and the secrets the logger scrubs; a short or spaced one is refused naming the variable, never the value", () => {
    const config = loadConfig({ HTTP_PORT: "9464", METRICS_TOKEN: TOKEN });
    expect(config.http).toEqual({ port: 9464, host: "127.0.0.1", metricsToken: TOKEN });
    expect(config.secrets).toContain(TOKEN);
    expect(loadConfig({ HTTP_PORT: "9464", METRICS_TOKEN: "" }).http).toEqual({ port: 9464, host: "127.0.0.1" });
    for (const bad of ["short", "sixteen chars with spaces"]) {
      let message = "";
      try {
        loadConfig({ HTTP_PORT: "9464", METRICS_TOKEN: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/METRICS_TOKEN: /);
      expect(message).not.toContain(bad);
    }
  });

  it("GIVEN bearerCheck THEN only the exact token passes, whatever its length", () => {
    const check = bearerCheck(TOKEN);
    expect(check(`Bearer ${TOKEN}`)).toBe(true);
    expect(check(undefined)).toBe(false);
    expect(check("")).toBe(false);
    expect(check(`Bearer ${TOKEN.toUpperCase()}`)).toBe(false);
    expect(check(`Bearer ${"x".repeat(10_000)}`)).toBe(false);
    expect(check(`Bearer ${TOKEN} ${TOKEN}`)).toBe(false);
  });
});
