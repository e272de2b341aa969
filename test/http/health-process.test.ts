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

describe("the bot with HTTP_PORT set", () => {
  it("GIVEN the console started with HTTP_PORT THEN /healthz, /readyz and /metrics answer, and SIGTERM stops it with exit code 0", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", TSX, path.join(REPO, "src/main.ts")], {
      // Not the checkout: no developer's .env is read.
      cwd: tmp,
      env: baseEnv({ CONSOLE: "1", HTTP_PORT: String(port), DATABASE_URL: path.join(tmp, "gk.db"), CONSOLE_PICTURES_DIR: path.join(tmp, "pictures") }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += String(c)));
    child.stdout.resume();
    let exited = false;
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("close", (code, signal) => {
        exited = true;
        resolve({ code, signal });
      }),
    );
    // Standard input stays open: the console waits for input until the signal.
    try {
      const base = `http://127.0.0.1:${port}`;
      const health = await until200(`${base}/healthz`, () => !exited, 60_000);
      expect(await health.json()).toEqual({ status: "ok" });
      const ready = await until200(`${base}/readyz`, () => !exited, 30_000);
      expect(await ready.json()).toEqual({ status: "ready", failed: [], checks: { database: { ok: true }, jobs: { ok: true } } });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const families = parsePrometheusText(await metrics.text());
      expect(valueOf(families, "guildkeeper_ledger_rows_total")).toBe(0);
      expect(families.map((f) => f.name)).toContain("nodejs_eventloop_lag_seconds");
      expect(stderr).toContain(`Health and metrics: ${base}/healthz`);
    } finally {
      if (!exited) child.kill("SIGTERM");
    }
    expect(await closed, stderr).toEqual({ code: 0, signal: null });
  }, 120_000);

  it("GIVEN METRICS_TOKEN as well THEN /metrics answers 401 without it and 200 with it, /readyz's details only with it, and the token is in no output", async () => {
    const port = await freePort();
    const token = "c0ffee4d2b9e81a7f35d6c0b9a8e7f61";
    const child = spawn(process.execPath, ["--import", TSX, path.join(REPO, "src/main.ts")], {
      cwd: tmp,
      env: baseEnv({ CONSOLE: "1", HTTP_PORT: String(port), METRICS_TOKEN: token, LOG_LEVEL: "debug", DATABASE_URL: path.join(tmp, "gk-token.db"), CONSOLE_PICTURES_DIR: path.join(tmp, "pictures") }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stderr.on("data", (c) => (output += String(c)));
    child.stdout.on("data", (c) => (output += String(c)));
    let exited = false;
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("close", (code, signal) => {
        exited = true;
        resolve({ code, signal });
      }),
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      const ready = await until200(`${base}/readyz`, () => !exited, 60_000);
      expect(await ready.json()).toEqual({ status: "ready" });
      const refused = await fetch(`${base}/metrics`);
      expect(refused.status).toBe(401);
      const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(metrics.status).toBe(200);
      expect(valueOf(parsePrometheusText(await metrics.text()), "guildkeeper_ledger_rows_total")).toBe(0);
      const details = await fetch(`${base}/readyz`, { headers: { authorization: `Bearer ${token}` } });
      expect(await details.json()).toEqual({ status: "ready", failed: [], checks: { database: { ok: true }, jobs: { ok: true } } });
    } finally {
      if (!exited) child.kill("SIGTERM");
    }
    expect(await closed, output).toEqual({ code: 0, signal: null });
    expect(output).not.toContain(token);
  }, 120_000);
});
