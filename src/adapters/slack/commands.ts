import type { App } from "@slack/bolt";
import { errorReply, type Reply } from "../../core/reply.js";
import { within } from "../../core/within.js";
import { commandEvent, isCommandEvent, placeOf } from "./command-text.js";
import { confirmMemberOptions } from "./member-options.js";
import { slashCommandSchema } from "./payloads.js";
import { sharePictures } from "./pictures.js";
import { renderModal } from "./render-modal.js";
import { ANSWER_BUDGET_MS, configuredGroups, deliverLater, type ListenerDeps, responseBody } from "./replies.js";

/**
 * Slash commands: parse the text, ask the engine, answer.
 *
 * The answer rides on the acknowledgement itself when the engine is quick (one round trip, and in
 * HTTP mode the HTTP response), and goes through `response_url` when it is not, so Slack never
 * sees a command unacknowledged for 3 s. A reply with a form opens a modal instead — it needs the
 * command's `trigger_id`, which expires after 3 s, so only a quick answer can open one.
 */
export function listenToCommands(app: App, deps: ListenerDeps): void {
  app.command(/^\/.+/, async ({ command, ack: boltAck, respond, client }) => {
    let acked = false;
    const ack: typeof boltAck = (response) => {
      acked = true;
      return boltAck(response);
    };
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues.length }, "slack: unreadable slash command payload");
      await ack(responseBody(errorReply("Sorry, I could not read that command."), ""));
      return;
    }
    const c = parsed.data;
    const team = c.team_id;
    try {
      const actor = await deps.directory.actor(team, c.user_id, await configuredGroups(deps.engine, team));
      const parsed = commandEvent(c, deps.commands, actor, deps.engine.now());
      // Members named in options must be members Slack knows (member-options.ts).
      const event = isCommandEvent(parsed) ? await confirmMemberOptions(parsed, deps.commands, deps.directory) : parsed;
      if (!isCommandEvent(event)) {
        await ack(responseBody(event, team));
        return;
      }
      const answer = deps.engine.command(event);
      const quick = await within(answer, ANSWER_BUDGET_MS);
      if (quick === "timed-out") {
        await ack();
        deliverLater(
          async () => {
            const late = tooLateForForm(await answer);
            await respond(responseBody(late, team));
            await sharePictures(client, late, { team, user: c.user_id, channel: placeOf(c).channelId });
          },
          deps,
          "a slow command's answer",
        );
        return;
      }
      const reply = quick.value;
      if (reply.form) {
        await client.views.open({ trigger_id: c.trigger_id, view: renderModal(reply.form, { channel: placeOf(c).channelId, responseUrl: c.response_url }) });
        await ack();
        return;
      }
      await ack(responseBody(reply, team));
      // Pictures cannot ride on the acknowledgement: they are uploaded after it (pictures.ts).
      if (reply.attachments?.length) deliverLater(() => sharePictures(client, reply, { team, user: c.user_id, channel: placeOf(c).channelId }), deps, "a command's pictures");
    } catch (error) {
      deps.log.error({ ...deps.secrets.describe(error), command: c.command }, "slack: command failed");
      if (!acked) await ack(responseBody(errorReply("Something went wrong on our side. Please try again in a moment."), team));
    }
  });
}

/** A form can no longer be opened once the trigger expired; say so instead. */
function tooLateForForm(reply: Reply): Reply {
  return reply.form ? errorReply("That took too long to open a dialog. Please run the command again.") : reply;
}
