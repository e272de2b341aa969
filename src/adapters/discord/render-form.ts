import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from "discord.js";
import { plainText, type ReplyForm } from "../../core/reply.js";
import { clip } from "./render-reply.js";

/**
 * A neutral form as a Discord modal. Modals show no markup, so tokens become plain names. Limits:
 * title and labels 45 characters, placeholders 100, values 4000, at most 5 inputs, custom ids 100.
 */
export const MODAL_LIMITS = { title: 45, label: 45, placeholder: 100, value: 4_000, inputs: 5, customId: 100 } as const;

export function renderForm(form: ReplyForm): APIModalInteractionResponseCallbackData {
  if (form.id.length > MODAL_LIMITS.customId) throw new Error(`form id "${form.id.slice(0, 40)}…" is longer than ${MODAL_LIMITS.customId} characters`);
  return {
    custom_id: form.id,
    title: clip(plainText(form.title), MODAL_LIMITS.title),
    components: form.fields.slice(0, MODAL_LIMITS.inputs).map((field) => {
      const maxLength = Math.min(field.maxLength ?? MODAL_LIMITS.value, MODAL_LIMITS.value);
      return {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: field.id,
            label: clip(plainText(field.label), MODAL_LIMITS.label),
            style: field.style === "short" ? TextInputStyle.Short : TextInputStyle.Paragraph,
            required: field.required,
            max_length: maxLength,
            // A pre-filled value longer than max_length makes Discord refuse the modal.
            ...(field.value ? { value: field.value.slice(0, maxLength) } : {}),
            ...(field.placeholder ? { placeholder: clip(plainText(field.placeholder), MODAL_LIMITS.placeholder) } : {}),
          },
        ],
      };
    }),
  };
}
