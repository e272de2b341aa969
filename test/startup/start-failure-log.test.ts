import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, type Checkout, makeCheckout, run } from "./checkout.js";

/**
 * Issue 7.6: when an adapter could not start, main logged the raw error — for a Discord API error
 * that is the request URL, the request body and Discord's raw response. Start-up failures are
 * logged as a summary through the redacting logger, and standard error keeps its one line.
 */
let checkout: Checkout;
let server: http.Server;
let apiUrl: string;
beforeAll(async () => {
  checkout = await makeCheckout();
  // A Discord API that refuses everything, with something in its answer that must not be logged.
  server = http.createServer((_req, res) => {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "Missing Access", code: 50001, canary: "CANARY-RESPONSE-BODY" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  checkout?.cleanup();
});

describe("an adapter that cannot start", () => {
  it("GIVEN Discord refuses the bot at start THEN the fatal log line holds the error's type, code and message but no request or response data, and stderr says it in one line", async () => {
    const token = "CANARY-TOKEN.abcdefghijklmnop.qrstuvwxyz";
    const dir = checkout.tmp();
    const result = await run(process.execPath, [checkout.entry("main")], {
      cwd: dir,
      env: baseEnv({ DATABASE_URL: path.join(dir, "gk.db"), DISCORD_TOKEN: token, DISCORD_API_URL: apiUrl, LOG_LEVEL: "info" }),
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    const fatal = lines.map((l) => (l.startsWith("{") ? (JSON.parse(l) as { level: number; msg: string; err?: Record<string, unknown> }) : undefined)).find((l) => l?.level === 60);
    expect(fatal?.msg).toBe("the Discord adapter could not start");
    // The adapter turns Discord's refusal into one sentence naming the host and what Discord said.
    expect(fatal?.err).toMatchObject({ type: "DiscordStartError", message: expect.stringMatching(/^Discord at 127\.0\.0\.1:\d+ answered 403 \(50001: Missing Access\)/) });
    expect(Object.keys(fatal?.err ?? {}).sort()).toEqual(expect.arrayContaining(["message", "stack", "type"]));
    expect(JSON.stringify(fatal?.err)).not.toContain("CANARY-RESPONSE-BODY");
    expect(result.stderr).not.toContain("CANARY-RESPONSE-BODY");
    expect(result.stderr).not.toContain("requestBody");
    expect(result.stderr).not.toContain(apiUrl);
    expect(result.stderr).not.toContain(token);
    expect(lines.filter((l) => !l.startsWith("{"))).toEqual([expect.stringMatching(/^guildkeeper: the Discord adapter could not start: Discord at 127\.0\.0\.1:\d+ answered 403 \(50001: Missing Access\)/)]);
  }, 30_000);
});
