/**
 * The Slack side of the outbox contract: the real @slack/web-api WebClient (built by
 * `slackOutboxClient`: rejects rate-limited calls, no retries) against the fake Slack.
 */
import { SlackOutbox, slackOutboxClient } from "../../src/adapters/slack/outbox.js";
import type { Place } from "../../src/core/identity.js";
import { FakeSlack } from "../fakes/slack/index.js";
import type { OutboxHarness } from "./outbox-contract.js";

export const TEAM = "T0OUTBOX01";
export const GENERAL = "C0GENERAL1";
export const ALICE = "U0ALICE001";
export const GUEST = "U0GUEST001";

const OPS = { "chat.postMessage": "post", "chat.update": "edit", "chat.delete": "delete" } as const;

export async function startSlackHarness(): Promise<OutboxHarness & { fake: FakeSlack }> {
  const fake = await FakeSlack.start({
    team: { id: TEAM },
    users: [{ id: ALICE, name: "alice" }, { id: GUEST, name: "guest", isRestricted: true }],
    channels: [{ id: GENERAL, name: "general" }],
  });
  fake.strictDeletes();
  fake.hideFromBot(GUEST);
  const question = fake.addMemberMessage(GENERAL, ALICE, "How do I run the tests?");
  const client = slackOutboxClient(fake.config.bot.token, { slackApiUrl: fake.apiUrl });
  const place = (threadId?: string): Place => ({ platform: "slack", workspaceId: TEAM, channelId: GENERAL, ...(threadId ? { threadId } : {}) });
  return {
    fake,
    outbox: new SlackOutbox(client, TEAM),
    channel: place(),
    thread: place(question),
    member: `slack:${TEAM}:${ALICE}`,
    memberWithClosedDms: `slack:${TEAM}:${GUEST}`,
    // A bot token deletes only the bot's own messages.
    deletesMemberMessages: false,
    memberMessage: async () => fake.addMemberMessage(GENERAL, ALICE, "buy cheap followers"),
    // Nothing to take away: a bot token never had the right.
    refuseDeletes: () => undefined,
    shown: (at) =>
      fake
        .channelMessages(at.channelId)
        .filter((m) => m.bot_id === fake.config.bot.botId && (at.threadId ? m.thread_ts === at.threadId : m.thread_ts === undefined))
        .map((m) => ({ messageId: m.ts, text: m.text })),
    pictures: (at) =>
      fake
        .uploads()
        .filter((u) => u.completed?.channelId === at.channelId && u.completed.threadTs === at.threadId)
        .map((u) => u.data!),
    received: () =>
      fake
        .calls()
        .filter((c): c is typeof c & { method: keyof typeof OPS } => c.method in OPS)
        .map((c) => ({ op: OPS[c.method], ok: c.status === 200 && c.response.ok })),
    rateLimitNextPost: (seconds) => fake.rateLimitNext("chat.postMessage", { retryAfterSec: seconds }),
    failNextPost: () => fake.failNext("chat.postMessage", "service_unavailable"),
    timeMoved: () => undefined,
    close: () => fake.close(),
  };
}
