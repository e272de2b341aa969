import type { App, ViewResponseAction, webApi } from "@slack/bolt";
import { type ButtonPressed, type FormSubmitted, naturalKeys } from "../../core/events.js";
import type { Place } from "../../core/identity.js";
import { errorReply, type Reply } from "../../core/reply.js";
import { within } from "../../core/within.js";
import { clip, plainText } from "./mrkdwn.js";
import { blockActionsSchema, teamOfInteraction, viewSubmissionSchema } from "./payloads.js";
import { sharePictures } from "./pictures.js";
import { renderMessage } from "./render-blocks.js";
import { decodeOrigin, type ModalOrigin, renderModal, submittedValues } from "./render-modal.js";
import { ANSWER_BUDGET_MS, configuredGroups, deliverLater, type ListenerDeps, postToResponseUrl, responseBody } from "./replies.js";

/**
 * Buttons (`block_actions`) and modals (`view_submission`) as the engine's neutral `button` and
 * `form` events. Slack does not retry interactions, so these acknowledge first and deliver after;
 * the engine still answers within the budget where it can, because a modal must open (or stay
 * open with an error) as part of the acknowledgement.
 *
 * Interactions carry a fresh `trigger_id` each, which is their natural key
 * (`naturalKeys.slackInteraction`: every interaction has a fresh trigger id).
 */
export function listenToInteractivity(app: App, deps: ListenerDeps): void {
  app.action(/.*/, async ({ body, ack, client }) => {
    await ack();
    await pressButton(body, client, deps).catch((error: unknown) => deps.log.error({ ...deps.secrets.describe(error) }, "slack: button press failed"));
  });

  app.view({ callback_id: /.*/, type: "view_submission" }, async ({ body, ack: boltAck, client }) => {
    let acked = false;
    const ack: ViewAck = (response) => {
      acked = true;
      return boltAck(response);
    };
    try {
      await submitForm(body, ack, client, deps);
    } catch (error) {
      deps.log.error({ ...deps.secrets.describe(error) }, "slack: form submission failed");
      if (!acked) await ack();
    }
  });
}

async function pressButton(body: unknown, client: webApi.WebClient, deps: ListenerDeps): Promise<void> {
  const parsed = blockActionsSchema.safeParse(body);
  const team = parsed.success ? teamOfInteraction(parsed.data) : undefined;
  const channel = parsed.success ? (parsed.data.container.channel_id ?? parsed.data.channel?.id) : undefined;
  if (!parsed.success || !team || !channel) {
    deps.log.warn("slack: unreadable block_actions payload");
    return;
  }
  const a = parsed.data;
  const messageTs = a.container.message_ts;
  const event: ButtonPressed = {
    kind: "button",
    key: naturalKeys.slackInteraction(team, a.trigger_id),
    at: deps.engine.now(),
    place: { platform: "slack", workspaceId: team, channelId: channel },
    actor: await deps.directory.actor(team, a.user.id, await configuredGroups(deps.engine, team)),
    buttonId: a.actions[0]!.action_id,
    ...(messageTs ? { messageKey: naturalKeys.slackMessage(team, channel, messageTs) } : {}),
  };
  const answer = deps.engine.press(event);
  const raced = await within(answer, ANSWER_BUDGET_MS);
  const quick = raced === "timed-out" ? undefined : raced;
  if (quick?.value.form) {
    await client.views.open({ trigger_id: a.trigger_id, view: renderModal(quick.value.form, { channel, ...(a.response_url ? { responseUrl: a.response_url } : {}) }) });
    return;
  }
  deliverLater(
    async () => {
      const reply = quick ? quick.value : await answer;
      await showButtonReply(client, team, a.user.id, { channel, messageTs, ephemeral: a.container.is_ephemeral === true, responseUrl: a.response_url }, reply.form ? errorReply("Please press the button again.") : reply);
    },
    deps,
    "a button's answer",
  );
}

type ViewAck = (response?: ViewResponseAction) => Promise<void>;

async function submitForm(body: unknown, ack: ViewAck, client: webApi.WebClient, deps: ListenerDeps): Promise<void> {
  const parsed = viewSubmissionSchema.safeParse(body);
  const team = parsed.success ? teamOfInteraction(parsed.data) : undefined;
  const origin = parsed.success ? decodeOrigin(parsed.data.view.private_metadata) : undefined;
  if (!parsed.success || !team || !origin) {
    deps.log.warn("slack: unreadable view_submission payload (or a modal this app did not open)");
    await ack();
    return;
  }
  const v = parsed.data;
  const place: Place = { platform: "slack", workspaceId: team, channelId: origin.channel, ...(origin.thread ? { threadId: origin.thread } : {}) };
  const event: FormSubmitted = {
    kind: "form",
    key: naturalKeys.slackInteraction(team, v.trigger_id),
    at: deps.engine.now(),
    place,
    actor: await deps.directory.actor(team, v.user.id, await configuredGroups(deps.engine, team)),
    formId: v.view.callback_id,
    values: submittedValues(v.view.state.values),
  };
  const answer = deps.engine.submit(event);
  const raced = await within(answer, ANSWER_BUDGET_MS);
  const quick = raced === "timed-out" ? undefined : raced;
  const firstField = Object.keys(v.view.state.values)[0];
  if (quick?.value.form) {
    await ack({ response_action: "update", view: renderModal(quick.value.form, origin) });
    return;
  }
  if (quick && quick.value.tone === "error" && firstField) {
    // Keep the modal open with the problem under the field, so the value can be fixed in place.
    await ack({ response_action: "errors", errors: { [firstField]: clip(plainText(quick.value.text), 1000) } });
    return;
  }
  await ack();
  deliverLater(async () => deliverFormReply(client, team, v.user.id, origin, quick ? quick.value : await answer), deps, "a form's answer");
}

interface PressedMessage {
  channel: string;
  messageTs: string | undefined;
  ephemeral: boolean;
  responseUrl: string | undefined;
}

/**
 * A button's reply replaces the message it was pressed on, through the press's `response_url` with
 * `replace_original` — that reaches every message a button can sit on: ones the bot posted, slash
 * command answers (which `chat.update` often cannot edit) and ephemeral ones. Without a
 * `response_url`, `chat.update`. An ephemeral reply to a button on a shared message (a refusal,
 * say) goes to the presser alone and leaves the message as it was.
 */
async function showButtonReply(client: webApi.WebClient, team: string, user: string, m: PressedMessage, reply: Reply): Promise<void> {
  const replace = !reply.ephemeral || m.ephemeral;
  const message = renderMessage(reply, team);
  if (m.responseUrl) {
    await postToResponseUrl(m.responseUrl, replace ? { ...message, replace_original: true } : { ...message, response_type: "ephemeral", replace_original: false });
  } else if (replace && m.messageTs && !m.ephemeral) {
    await client.chat.update({ channel: m.channel, ts: m.messageTs, ...message });
  } else {
    await client.chat.postEphemeral({ channel: m.channel, user, ...message });
  }
  // A message's files cannot be swapped in place: a public reply's new picture goes into the
  // thread of the message that was pressed (so switching boards does not fill the channel), a
  // private one to the member's direct messages (pictures.ts).
  const inThread = !reply.ephemeral && !m.ephemeral && m.messageTs ? m.messageTs : undefined;
  await sharePictures(client, m.ephemeral ? { ...reply, ephemeral: true } : reply, { team, user, channel: m.channel, threadTs: inThread });
}

/** A form's reply goes where the modal was opened from: its `response_url`, else the channel. */
async function deliverFormReply(client: webApi.WebClient, team: string, user: string, origin: ModalOrigin, reply: Reply): Promise<void> {
  const answer = reply.form ? errorReply("Please run the command again.") : reply;
  if (origin.responseUrl) {
    await postToResponseUrl(origin.responseUrl, { ...responseBody(answer, team), replace_original: false });
  } else if (answer.ephemeral) {
    await client.chat.postEphemeral({ channel: origin.channel, user, ...renderMessage(answer, team) });
  } else {
    await client.chat.postMessage({ channel: origin.channel, ...(origin.thread ? { thread_ts: origin.thread } : {}), ...renderMessage(answer, team) });
  }
  await sharePictures(client, answer, { team, user, channel: origin.channel, threadTs: origin.thread });
}
