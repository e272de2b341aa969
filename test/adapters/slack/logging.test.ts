import { describe, expect, it, vi } from "vitest";
import { capturingLog } from "../../helpers/log-lines.js";
import { ALICE, BOB, GENERAL, type Mode, startWorld } from "./harness.js";

// Canary secrets: if any of these (or their URL-encoded form) shows up in a log line, it leaked.
const BOT_TOKEN = "xoxb-CANARY-1111111111-2222222222-bottokenCanary";
const APP_TOKEN = "xapp-1-A0GUILDKPR-CANARY-apptokenCanary";
const SIGNING_SECRET = "CANARY-signing-secret-9f8e7d6c5b4a";

describe.each<Mode>(["http", "socket"])("Slack adapter logs (%s) never contain a token", (mode) => {
  it("GIVEN canary tokens WHEN events, commands, refusals and failures are logged at every level THEN no line contains them", async () => {
    const { lines, log } = capturingLog();
    const w = await startWorld(mode, { log, fake: { bot: { token: BOT_TOKEN }, appToken: APP_TOKEN, signingSecret: SIGNING_SECRET } });
    try {
      w.fake.failNext("users.info", "ratelimited");
      await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: ALICE, text: "hello" }));
      vi.spyOn(w.te.engine, "ingest").mockRejectedValueOnce(new Error(`write failed for ${BOT_TOKEN}`));
      if (mode === "http") {
        await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "boom" }));
        await w.event(w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "forged" }), { post: { badSignature: true } });
      } else {
        await expect(w.fake.sendEvent(w.fake.payloads.messageEvent({ channel: GENERAL, user: BOB, text: "boom" }), { timeoutMs: 300 })).rejects.toThrow();
      }
      await w.command("leaderboard", "", ALICE);
      await w.command("config", "set points.post 9", ALICE);
      await w.event({ type: "message", channel: "not a channel!", ts: "nope" });
    } finally {
      await w.close();
    }

    const all = lines.join("");
    expect(lines.length).toBeGreaterThan(3);
    expect(all).toContain("users.info failed");
    for (const secret of [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET]) {
      expect(all).not.toContain(secret);
      expect(all).not.toContain(encodeURIComponent(secret));
    }
  });
});
