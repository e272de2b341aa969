import type { types } from "@slack/bolt";
import { z } from "zod";
import type { ReplyForm } from "../../core/reply.js";
import { clip, plainText } from "./mrkdwn.js";

/**
 * A neutral `Reply.form` as a Slack modal, and its submission back as plain values.
 *
 * The form id travels as the view's `callback_id` and each field id as its input's `block_id`, so a
 * `view_submission` maps straight back to a `form` event. A modal knows nothing of the channel it
 * was opened from, so that (and the `response_url` that can still answer there) rides along in
 * `private_metadata`, which Slack returns untouched with the submission.
 */
export const MODAL_LIMITS = {
  title: 24,
  submit: 24,
  blocks: 100,
  callbackId: 255,
  blockId: 255,
  label: 2000,
  placeholder: 150,
  inputLength: 3000,
  privateMetadata: 3000,
} as const;

/** The field's value is read from this action id inside its input block. */
export const VALUE_ACTION = "value";

/** Where a modal was opened from: channel, thread, and the `response_url` of the command or button. */
export interface ModalOrigin {
  channel: string;
  thread?: string;
  responseUrl?: string;
}

const originSchema = z.object({ c: z.string().min(1), t: z.string().optional(), r: z.url().optional() });

export function encodeOrigin(origin: ModalOrigin): string {
  const full = JSON.stringify({ c: origin.channel, ...(origin.thread ? { t: origin.thread } : {}), ...(origin.responseUrl ? { r: origin.responseUrl } : {}) });
  // A response_url is ~100 characters; should one ever not fit, the modal still works without it.
  return full.length <= MODAL_LIMITS.privateMetadata ? full : JSON.stringify({ c: origin.channel });
}

export function decodeOrigin(metadata: string): ModalOrigin | undefined {
  try {
    const parsed = originSchema.safeParse(JSON.parse(metadata));
    if (!parsed.success) return undefined;
    const { c, t, r } = parsed.data;
    return { channel: c, ...(t ? { thread: t } : {}), ...(r ? { responseUrl: r } : {}) };
  } catch {
    return undefined;
  }
}

export function renderModal(form: ReplyForm, origin: ModalOrigin): types.ModalView {
  return {
    type: "modal",
    callback_id: form.id.slice(0, MODAL_LIMITS.callbackId),
    title: { type: "plain_text", text: clip(plainText(form.title), MODAL_LIMITS.title) },
    submit: { type: "plain_text", text: clip(plainText(form.submitLabel ?? "Submit"), MODAL_LIMITS.submit) },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: encodeOrigin(origin),
    blocks: form.fields.slice(0, MODAL_LIMITS.blocks).map((field) => {
      const maxLength = Math.min(field.maxLength ?? MODAL_LIMITS.inputLength, MODAL_LIMITS.inputLength);
      const element: types.PlainTextInput = {
        type: "plain_text_input",
        action_id: VALUE_ACTION,
        multiline: field.style === "paragraph",
        max_length: maxLength,
        // Slack rejects an empty initial_value, and one longer than max_length.
        ...(field.value ? { initial_value: field.value.slice(0, maxLength) } : {}),
        ...(field.placeholder ? { placeholder: { type: "plain_text", text: clip(plainText(field.placeholder), MODAL_LIMITS.placeholder) } } : {}),
      };
      const block: types.InputBlock = {
        type: "input",
        block_id: field.id.slice(0, MODAL_LIMITS.blockId),
        label: { type: "plain_text", text: clip(plainText(field.label), MODAL_LIMITS.label) },
        optional: !field.required,
        element,
      };
      return block;
    }),
  };
}

/** `view.state.values` of a submission: block id → action id → state (a text input has `value`). */
export const viewStateSchema = z.record(z.string(), z.record(z.string(), z.object({ type: z.string(), value: z.string().nullish() })));

/** Each field's text by field id; an empty optional field reads as "". */
export function submittedValues(state: z.infer<typeof viewStateSchema>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(state)) values[blockId] = actions[VALUE_ACTION]?.value ?? "";
  return values;
}
