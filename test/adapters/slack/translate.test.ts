import { describe, expect, it } from "vitest";
import { naturalKeys } from "../../../src/core/events.js";
import { type Actor, memberId } from "../../../src/core/identity.js";
import { commandEvent } from "../../../src/adapters/slack/command-text.js";
import { messageEventSchema, reactionEventSchema, slashCommandSchema } from "../../../src/adapters/slack/payloads.js";
import { fromMessage, fromReaction, type People } from "../../../src/adapters/slack/translate-events.js";
import { commands } from "../../../commands/index.js";

const T = "T0GUILD001";
const C = "C0GENERAL1";
const people: People = {
  actor: async (team, userId): Promise<Actor> => ({ id: memberId("slack", team, userId), platform: "slack", workspaceId: team, userId, displayName: userId.toLowerCase(), isBot: false }),
  mention: (team, userId, name) => ({ id: memberId("slack", team, userId), ...(name ? { displayName: name } : {}) }),
};
const message = (fields: Record<string, unknown>) => fromMessage(T, messageEventSchema.parse({ type: "message", channel: C, ts: "1700000000.000200", ...fields }), people);

describe("Slack events become neutral events keyed by team, channel and ts", () => {
  it("GIVEN a thread reply THEN it is placed in the thread and points at its parent; the parent itself is not a reply", async () => {
    const reply = await message({ user: "U0ALICE001", text: "yes", thread_ts: "1700000000.000100" });
    const parent = await message({ user: "U0BOB00001", text: "q?", ts: "1700000000.000100", thread_ts: "1700000000.000100" });

    expect(reply).toMatchObject({ kind: "message.created", place: { threadId: "1700000000.000100" }, threadParentKey: naturalKeys.slackMessage(T, C, "1700000000.000100") });
    expect(parent).not.toHaveProperty("threadParentKey");
    expect(parent).toMatchObject({ key: naturalKeys.slackMessage(T, C, "1700000000.000100"), place: { channelId: C } });
  });

  it("GIVEN mentions in the text THEN each member is a MemberRef once", async () => {
    const event = await message({ user: "U0ALICE001", text: "thanks <@U0BOB00001|bob> and <@U0BOB00001>, <@W0CAROL001>!" });

    expect(event).toMatchObject({ mentions: [{ id: memberId("slack", T, "U0BOB00001"), displayName: "bob" }, { id: memberId("slack", T, "W0CAROL001") }] });
  });

  it("GIVEN message_changed and message_deleted THEN they become message.edited and message.deleted of the original message", async () => {
    const edited = await message({ subtype: "message_changed", ts: "1700000000.000900", message: { user: "U0ALICE001", text: "fixed", ts: "1700000000.000200" } });
    const deleted = await message({ subtype: "message_deleted", ts: "1700000000.000901", deleted_ts: "1700000000.000200" });

    expect(edited).toMatchObject({ kind: "message.edited", messageKey: naturalKeys.slackMessage(T, C, "1700000000.000200"), text: "fixed" });
    expect(deleted).toMatchObject({ kind: "message.deleted", messageKey: naturalKeys.slackMessage(T, C, "1700000000.000200") });
  });

  it("GIVEN a reaction on a file THEN nothing is ingested; on a message, the item's author is the message author", async () => {
    const onFile = reactionEventSchema.parse({ type: "reaction_added", user: "U0ALICE001", reaction: "tada", item: { type: "file" }, event_ts: "1700000000.000300" });
    const onMessage = reactionEventSchema.parse({ type: "reaction_removed", user: "U0ALICE001", reaction: "+1::skin-tone-4", item_user: "U0BOB00001", item: { type: "message", channel: C, ts: "1700000000.000200" }, event_ts: "1700000000.000300" });

    expect(await fromReaction(T, onFile, people)).toBeUndefined();
    expect(await fromReaction(T, onMessage, people)).toMatchObject({ kind: "reaction.removed", emoji: "👍", messageAuthor: { id: memberId("slack", T, "U0BOB00001") } });
  });

  it("GIVEN slash command text with mentions and escaped characters THEN the options are typed values and plain text is unescaped", () => {
    const payload = slashCommandSchema.parse({ team_id: T, channel_id: C, user_id: "U0ALICE001", command: "/thanks", text: "<@U0BOB00001|bob> for R&amp;D &lt;3", trigger_id: "1.2.abc", response_url: "https://hooks.slack.com/commands/x" });
    const actor = { id: memberId("slack", T, "U0ALICE001"), platform: "slack" as const, workspaceId: T, userId: "U0ALICE001", displayName: "alice", isBot: false };

    expect(commandEvent(payload, commands, actor, new Date())).toMatchObject({
      key: naturalKeys.slackCommand(T, "1.2.abc"),
      name: "thanks",
      options: { member: { id: memberId("slack", T, "U0BOB00001"), displayName: "bob" }, reason: "for R&D <3" },
    });
  });
});
