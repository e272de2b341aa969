import { spawn } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv } from "../startup/checkout.js";
import { parsePrometheusText, valueOf } from "./prometheus-text.js";

/**
 * The wiring, as `npm run dev` starts it: the real src/main.ts under tsx, in the console with
 * HTTP_PORT set, standard input left open. /healthz and /readyz are polled until they answer 200
 * (a generous deadline, not a timing assertion); then SIGTERM must stop it cleanly, with exit code 0.
 */
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TSX = import.meta.resolve("tsx");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-http-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A port nothing listens on right now (the OS picks it; it is closed again before the bot takes it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Asks `url` until it answers 200, the process dies, or the deadline passes. */
async function until200(url: string, alive: () => boolean, deadlineMs: number): Promise<Response> {
  const deadline = Date.now() + deadlineMs;
  let last = "no answer";
  while (Date.now() < deadline && alive()) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return res;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 (${alive() ? "deadline passed" : "the process ended"}; last: ${last})`);
}

/**
 * The console started as `npm run dev` starts it, with `env` on top, in `tmp` (not the checkout: no
 * developer's .env is read); standard input stays open, so it waits for input until a signal.
 */
function startBot(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", TSX, path.join(REPO, "src/main.ts")], {
    cwd: tmp,
    env: baseEnv({ CONSOLE: "1", CONSOLE_PICTURES_DIR: path.join(tmp, "pictures"), ...env }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const bot = { child, stderr: "", stdout: "", exited: false, closed: undefined as unknown as Promise<{ code: number | null; signal: NodeJS.Signals | null }> };
  child.stderr.on("data", (c) => (bot.stderr += String(c)));
  child.stdout.on("data", (c) => (bot.stdout += String(c)));
  bot.closed = new Promise((resolve) =>
    child.on("close", (code, signal) => {
      bot.exited = true;
      resolve({ code, signal });
    }),
  );
  return bot;
}

describe("the bot with HTTP_PORT set", () => {
  it("GIVEN the console started with HTTP_PORT THEN /healthz, /readyz and /metrics answer, and SIGTERM stops it with exit code 0", async () => {
    const port = await freePort();
    const bot = startBot({ HTTP_PORT: String(port), DATABASE_URL: path.join(tmp, "gk.db") });
    try {
      const base = `http://127.0.0.1:${port}`;
      const health = await until200(`${base}/healthz`, () => !bot.exited, 60_000);
      expect(await health.json()).toEqual({ status: "ok" });
      const ready = await until200(`${base}/readyz`, () => !bot.exited, 30_000);
      expect(await ready.json()).toEqual({ status: "ready", failed: [], checks: { database: { ok: true }, jobs: { ok: true } } });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const families = parsePrometheusText(await metrics.text());
      expect(valueOf(families, "guildkeeper_ledger_rows_total")).toBe(0);
      expect(families.map((f) => f.name)).toContain("nodejs_eventloop_lag_seconds");
      expect(bot.stderr).toContain(`Health and metrics: ${base}/healthz`);
    } finally {
      if (!bot.exited) bot.child.kill("SIGTERM");
    }
    expect(await bot.closed, bot.stderr).toEqual({ code: 0, signal: null });
  }, 120_000);

  it("GIVEN METRICS_TOKEN as well THEN /metrics answers 401 without it and 200 with it, /readyz's details only with it, and the token is in no output", async () => {
    const port = await freePort();
    const token = "c0ffee4d2b9e81a7f35d6c0b9a8e7f61";
    const bot = startBot({ HTTP_PORT: String(port), METRICS_TOKEN: token, LOG_LEVEL: "debug", DATABASE_URL: path.join(tmp, "gk-token.db") });
    try {
      const base = `http://127.0.0.1:${port}`;
      const ready = await until200(`${base}/readyz`, () => !bot.exited, 60_000);
      expect(await ready.json()).toEqual({ status: "ready" });
      const refused = await fetch(`${base}/metrics`);
      expect(refused.status).toBe(401);
      const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(metrics.status).toBe(200);
      expect(valueOf(parsePrometheusText(await metrics.text()), "guildkeeper_ledger_rows_total")).toBe(0);
      const details = await fetch(`${base}/readyz`, { headers: { authorization: `Bearer ${token}` } });
      expect(await details.json()).toEqual({ status: "ready", failed: [], checks: { database: { ok: true }, jobs: { ok: true } } });
    } finally {
      if (!bot.exited) bot.child.kill("SIGTERM");
    }
    expect(await bot.closed, bot.stderr).toEqual({ code: 0, signal: null });
    expect(bot.stderr + bot.stdout).not.toContain(token);
  }, 120_000);
});
