import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/db/project-root.js";

/**
 * docker/healthcheck.mjs, the image's HEALTHCHECK, run as Docker runs it (node, exit code read):
 * 0 when GET http://127.0.0.1:$HTTP_PORT/healthz answers 2xx, 1 when it answers otherwise, nothing
 * listens, or it does not answer within its timeout. The HTTP server that serves /healthz is not
 * part of this branch; a stand-in answers here.
 */
const check = path.join(projectRoot()!, "docker/healthcheck.mjs");
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function run(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [check], { env: { PATH: process.env.PATH, ...env } }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }));
  });
}

describe("docker/healthcheck.mjs", () => {
  it("GIVEN /healthz answering 200 THEN healthy (exit 0), and it asked /healthz", async () => {
    const paths: string[] = [];
    const port = await serve((req, res) => {
      paths.push(req.url ?? "");
      res.end("ok");
    });
    expect(await run({ HTTP_PORT: String(port) })).toEqual({ code: 0, stderr: "" });
    expect(paths).toEqual(["/healthz"]);
  });

  it("GIVEN /healthz answering 503 THEN unhealthy (exit 1), saying what it answered", async () => {
    const port = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    expect(await run({ HTTP_PORT: String(port) })).toEqual({ code: 1, stderr: "healthz answered 503\n" });
  });

  it("GIVEN nothing listening, or no answer within the timeout THEN unhealthy (exit 1)", async () => {
    const port = await serve(() => {
      // Never answers.
    });
    const silent = await run({ HTTP_PORT: String(port), HEALTHCHECK_TIMEOUT_MS: "300" });
    expect(silent.code).toBe(1);
    expect(silent.stderr).toContain(`healthz did not answer on port ${port}`);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    expect((await run({ HTTP_PORT: String(port) })).code).toBe(1);
  });
});
