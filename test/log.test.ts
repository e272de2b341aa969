import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { lineSink } from "./helpers/log-lines.js";

const CANARY = "xoxb-CANARY-7f3a9c1e5d2b4a6f8e0c";
const DISCORD_CANARY = "MTA5ODc2NTQzMjEwOTg3NjU0.CANARY.dGhpcyBpcyBhIGZha2U";

describe("logging never prints a secret", () => {
  it("GIVEN canary tokens configured WHEN anything containing them is logged at any level THEN no line contains them", () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: CANARY, DISCORD_TOKEN: DISCORD_CANARY, DATABASE_URL: "postgres://gk:CANARY-pass-123@127.0.0.1/test" });
    const { lines, stream } = lineSink();
    const log = createLogger({ level: "trace", secrets: config.secrets, destination: stream });
    const error = new Error(`request failed with token ${CANARY}`);
    for (const level of ["trace", "debug", "info", "warn", "error", "fatal"] as const) {
      log[level](`plain message with ${CANARY} and ${DISCORD_CANARY}`);
      log[level]({ token: CANARY, headers: { authorization: `Bearer ${CANARY}` }, nested: { deeper: { value: `x${DISCORD_CANARY}x` } } }, "object");
      log[level]({ err: error, url: `https://slack.com/api/x?token=${encodeURIComponent(CANARY)}` }, "error object");
      log[level]({ quoted: `"${DISCORD_CANARY}"`, dsn: config.databaseUrl }, "json-escaped");
      log.child({ bot: { token: DISCORD_CANARY } })[level]("child logger");
    }
    expect(lines.length).toBe(30);
    const all = lines.join("");
    for (const secret of [CANARY, DISCORD_CANARY, "CANARY-pass-123", encodeURIComponent(CANARY)]) expect(all).not.toContain(secret);
    expect(all).toContain("[redacted]");
  });

  it("GIVEN an invalid setting WHEN config fails THEN the message names the variable, not its value", () => {
    try {
      loadConfig({ SLACK_PORT: `not-a-port-${CANARY}` });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain("SLACK_PORT");
      expect((error as Error).message).not.toContain(CANARY);
    }
  });
});
