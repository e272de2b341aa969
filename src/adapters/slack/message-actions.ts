import type { App, webApi } from "@slack/bolt";
import { type MessageActionInvoked, type MessageTarget, naturalKeys } from "../../core/events.js";
import { memberId, type Place } from "../../core/identity.js";
import { errorReply, type Reply } from "../../core/reply.js";
import { within } from "../../core/within.js";
import type { MessageAction } from "../../engine/commands/context.js";
import { type MessageActionPayload, messageActionSchema, teamOfInteraction } from "./payloads.js";
import { renderModal } from "./render-modal.js";
import { ANSWER_BUDGET_MS, configuredGroups, type ListenerDeps, postToResponseUrl, responseBody } from "./replies.js";

/**
 * Message shortcuts ("More actions → Thank the author") as the engine's `message.action` events,
 * one Bolt listener per declared message action (the manifest gives each its declaration's id as
 * `callback_id`), and one for a shortcut an older manifest still shows.
 *
 * Acknowledged first — Slack allows 3 s and does not retry interactions — then answered through the
 * payload's `response_url`: privately when the reply is ephemeral, in the channel otherwise, as
 * slash commands are. The message's author is who Slack says wrote it, confirmed with `users.info`
 * like a command's member option (member-options.ts); a message no member wrote gets a private
 * answer and never reaches the engine.
 */
export function listenToMessageActions(app: App, deps: ListenerDeps, actions: readonly MessageAction[]): void {
  for (const action of actions) {
    app.shortcut({ type: "message_action", callback_id: action.id }, async ({ body, ack, client }) => {
      await ack();
      await useMessageAction(body, action, client, deps);
    });
  }
  // Any other callback_id: a shortcut this version of the bot no longer declares.
  const declared = new Set(actions.map((a) => a.id));
  app.shortcut({ type: "message_action", callback_id: /[\s\S]*/ }, async ({ shortcut, body, ack }) => {
    // Bolt runs every listener that matches: a declared one is answered by its own listener above.
    if (declared.has(shortcut.callback_id)) return;
    await ack();
    const parsed = messageActionSchema.safeParse(body);
    const team = parsed.success ? teamOfInteraction(parsed.data) : undefined;
    if (parsed.success && team) void answer(parsed.data.response_url, errorReply("That shortcut no longer does anything."), team, deps);
  });
}

const SORRY = "Something went wrong on our side. Please try again in a moment.";

async function useMessageAction(body: unknown, action: MessageAction, client: webApi.WebClient, deps: ListenerDeps): Promise<void> {
  const parsed = messageActionSchema.safeParse(body);
  const team = parsed.success ? teamOfInteraction(parsed.data) : undefined;
  if (!parsed.success || !team) {
    deps.log.warn({ action: action.id }, "slack: unreadable message_action payload");
    return;
  }
  const p = parsed.data;
  // In HTTP mode Slack's 200 waits for this listener (http-receiver.ts), so answers are sent
  // without waiting for them, and a slow engine's answer is delivered after the listener returns.
  const deliver = (reply: Reply | Promise<Reply>) => void Promise.resolve(reply).then((r) => answer(p.response_url, r, team, deps));
  try {
    const [actor, author] = await Promise.all([deps.directory.actor(team, p.user.id, await configuredGroups(deps.engine, team)), confirmedAuthor(p, team, action, deps)]);
    if (!("id" in author)) return deliver(author);

    const place = placeOf(p, team);
    const event: MessageActionInvoked = {
      kind: "message.action",
      key: naturalKeys.slackInteraction(team, p.trigger_id),
      at: deps.engine.now(),
      place,
      actor,
      action: action.id,
      target: { messageKey: naturalKeys.slackMessage(team, p.channel.id, p.message.ts), author, text: p.message.text ?? "", place },
    };
    const reply = deps.engine.messageAction(event).catch((error: unknown) => {
      deps.log.error({ ...deps.secrets.describe(error), action: action.id }, "slack: engine failed to answer a message action");
      return errorReply(SORRY);
    });
    const quick = await within(reply, ANSWER_BUDGET_MS);
    if (quick === "timed-out") return deliver(reply.then((late) => (late.form ? errorReply("That took too long to open a dialog. Please try the shortcut again.") : late)));
    // A dialog needs the shortcut's trigger_id, which Slack honours for 3 s: only a quick answer can open one.
    if (!quick.value.form) return deliver(quick.value);
    await client.views.open({ trigger_id: p.trigger_id, view: renderModal(quick.value.form, { channel: place.channelId, ...(place.threadId ? { thread: place.threadId } : {}), responseUrl: p.response_url }) });
  } catch (error) {
    deps.log.error({ ...deps.secrets.describe(error), action: action.id }, "slack: message action failed");
    deliver(errorReply(SORRY));
  }
}

/** The channel the message is in, and its thread when it is a reply (a parent's thread_ts is its own ts). */
function placeOf(p: MessageActionPayload, team: string): Place {
  const parentTs = p.message.thread_ts && p.message.thread_ts !== p.message.ts ? p.message.thread_ts : undefined;
  return { platform: "slack", workspaceId: team, channelId: p.channel.id, ...(parentTs ? { threadId: parentTs } : {}) };
}

/**
 * Who wrote the message, as Slack confirms it, or the private answer when no member can be named:
 * an app or integration wrote it (no `user`), Slack knows no such member, or Slack could not say.
 */
async function confirmedAuthor(p: MessageActionPayload, team: string, action: MessageAction, deps: ListenerDeps): Promise<MessageTarget["author"] | Reply> {
  const what = `“${action.name}”`;
  const userId = p.message.user;
  if (!userId) return errorReply(`${what} works on messages a member wrote; that one was posted by an app or an integration.`);
  const check = await deps.directory.checkMember(userId);
  if (check.verdict === "unknown") return errorReply(`Slack doesn't know the author of that message as a member of this workspace (they may have left), so ${what} did nothing.`);
  if (check.verdict === "unchecked") return errorReply(`I could not check who wrote that message with Slack just now, so ${what} did nothing. Please try again in a moment.`);
  // A modern app posts with its bot user *and* a bot_id: either makes it a bot's message.
  return { id: memberId("slack", team, userId), displayName: check.profile.displayName, isBot: check.profile.isBot || p.message.bot_id !== undefined };
}

/** Posts the answer through the shortcut's response_url; failures are logged, never thrown. */
async function answer(responseUrl: string, reply: Reply, team: string, deps: Pick<ListenerDeps, "log" | "secrets">): Promise<void> {
  await postToResponseUrl(responseUrl, { ...responseBody(reply, team), replace_original: false }).catch((error: unknown) =>
    deps.log.warn({ ...deps.secrets.describe(error) }, "slack: could not deliver a message action's answer"),
  );
}
