import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
} from "discord.js";
import { errorReply, type Reply } from "../../core/reply.js";
import { within } from "../../core/within.js";
import type { Logger } from "../../log.js";
import { renderForm } from "./render-form.js";
import { discordFiles, type RenderedMessage, renderReply } from "./render-reply.js";

/**
 * Answers interactions inside Discord's 3-second window.
 *
 * The engine usually answers in milliseconds; then the answer is the initial response (a reply, a
 * message update, or a modal — a modal can only ever be the initial response). If it has not
 * answered after {@link DEFER_AFTER_MS} (a slow disk, a long write batch), the interaction is
 * deferred and the answer edited in when it comes; the interaction token stays valid 15 minutes.
 * Errors and personal answers are ephemeral: after a public defer, the placeholder is deleted and
 * the answer follows up ephemerally.
 */
export const DEFER_AFTER_MS = 1_500;

const SORRY = "Something went wrong on our side. Please try again in a moment.";
const NO_DIALOG_NOW = "This needs a dialog, and Discord only opens one right away. Please run the command again.";

type CommandLike = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ModalSubmitInteraction;

function asNew(message: RenderedMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    ...discordFiles(message, false),
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** Replacing a message: every part is sent, so what the new reply lacks (content, buttons, pictures) is cleared. */
function asReplacement(message: RenderedMessage): InteractionEditReplyOptions {
  return { content: message.content ?? "", embeds: message.embeds, components: message.components, ...discordFiles(message, true) };
}

export class InteractionResponder {
  constructor(private readonly log: Logger) {}

  private render(reply: Reply, guildId: string): RenderedMessage {
    return renderReply(reply, guildId, (problem) => this.log.warn({ problem }, "reply rendered without a part Discord would refuse"));
  }

  /** Never rejects: an engine failure becomes a polite ephemeral error. */
  private guarded(work: Promise<Reply>, key: string): Promise<Reply> {
    return work.catch((error: unknown) => {
      this.log.error({ err: error, interaction: key }, "engine failed to answer an interaction");
      return errorReply(SORRY);
    });
  }

  /** A slash command, context-menu command or modal submission: the reply is a new message. */
  async answer(interaction: CommandLike, guildId: string, key: string, work: Promise<Reply>): Promise<void> {
    const answer = this.guarded(work, key);
    const raced = await within(answer, DEFER_AFTER_MS);
    if (raced !== "timed-out") {
      const quick = raced.value;
      if (quick.form && !interaction.isModalSubmit()) return void (await interaction.showModal(renderForm(quick.form)));
      const reply = quick.form ? errorReply(NO_DIALOG_NOW) : quick;
      return void (await interaction.reply(asNew(this.render(reply, guildId), reply.ephemeral === true)));
    }

    this.log.debug({ interaction: key }, "engine is slow; deferring the interaction");
    await interaction.deferReply();
    const late = await answer;
    const reply = late.form ? errorReply(NO_DIALOG_NOW) : late;
    const message = this.render(reply, guildId);
    if (reply.ephemeral) {
      // A deferred reply's visibility is fixed by the defer; a personal answer must not go public.
      await interaction.deleteReply();
      await interaction.followUp(asNew(message, true));
    } else {
      await interaction.editReply(asReplacement(message));
    }
  }

  /** A button press: the reply replaces the pressed message, unless it is only for the presser. */
  async answerPress(interaction: ButtonInteraction, guildId: string, key: string, work: Promise<Reply>): Promise<void> {
    const answer = this.guarded(work, key);
    const raced = await within(answer, DEFER_AFTER_MS);
    if (raced !== "timed-out") {
      const quick = raced.value;
      if (quick.form) return void (await interaction.showModal(renderForm(quick.form)));
      const message = this.render(quick, guildId);
      if (quick.ephemeral) return void (await interaction.reply(asNew(message, true)));
      return void (await interaction.update(asReplacement(message)));
    }

    this.log.debug({ interaction: key }, "engine is slow; deferring the button update");
    await interaction.deferUpdate();
    const late = await answer;
    const reply = late.form ? errorReply(NO_DIALOG_NOW) : late;
    const message = this.render(reply, guildId);
    if (reply.ephemeral) await interaction.followUp(asNew(message, true));
    else await interaction.editReply(asReplacement(message));
  }
}
