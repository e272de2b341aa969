import { z } from "zod";

/**
 * The outer shape of what Slack delivers (an Events API callback, a slash command, an interaction),
 * checked before Bolt sees it, in both receivers.
 *
 * Bolt reads these bodies without checking them: it takes `body.ssl_check` of a body that may be
 * `null`, `'channel' in event`, `event.user.id` when `user` is any object (null included),
 * `body.user.id` of an interaction, `body.channel.id` when `channel` is present, and so on. On
 * input Slack would never send, each of those throws — in HTTP mode once outside any handler,
 * which ended the process. So every field Bolt dereferences must have the shape Bolt assumes, and
 * anything else is refused here (HTTP 400; in Socket Mode acknowledged and dropped). What the
 * adapter itself reads is checked again, field by field, by the schemas in payloads.ts.
 *
 * The schemas are loose: fields not named here pass through untouched.
 */
const record = z.looseObject({});
const stringOrRecord = z.union([z.string(), record]);

const innerEvent = z.looseObject({
  type: z.string().min(1),
  channel: stringOrRecord.optional(),
  channel_id: z.string().optional(),
  user: stringOrRecord.optional(),
  item: record.optional(),
  subteam: record.optional(),
  message: record.optional(),
  previous_message: record.optional(),
  assistant_thread: record.optional(),
});

const eventCallback = z.looseObject({
  type: z.string(),
  team_id: z.string().optional(),
  event: innerEvent,
  authorizations: z.array(record).optional(),
});

const urlVerification = z.looseObject({ type: z.literal("url_verification"), challenge: z.string() });

/** Slash commands arrive form-encoded: every field is a string. */
const slashCommand = z.looseObject({
  command: z.string().min(1),
  team_id: z.string(),
  user_id: z.string(),
  channel_id: z.string().optional(),
  response_url: z.string().optional(),
});

const interaction = z.looseObject({
  type: z.string().min(1),
  user: z.looseObject({ id: z.string() }),
  // null for org-wide installs, which Bolt handles.
  team: record.nullish(),
  enterprise: record.nullish(),
  channel: z.looseObject({ id: z.string() }).optional(),
  actions: z.array(record).optional(),
  view: record.optional(),
  response_url: z.string().optional(),
  response_urls: z.array(record).optional(),
});
const VIEW_TYPES = new Set(["view_submission", "view_closed"]);
/** Types Bolt treats as interactions whatever fields they carry (it then reads `user.id`, `view`…). */
const INTERACTION_TYPES = new Set([...VIEW_TYPES, "block_actions", "block_suggestion", "shortcut", "message_action", "interactive_message", "dialog_submission", "dialog_suggestion", "workflow_step_edit"]);

/** Anything else with a type (e.g. `app_rate_limited`): Bolt finds no listener and lets it go. */
const otherTyped = z.looseObject({ type: z.string().min(1) });

export type Envelope = Record<string, unknown>;
export type EnvelopeReading = { ok: true; body: Envelope } | { ok: false; problem: string };

/** The body as Bolt may safely read it, or what is wrong with it (for a log line; never the body itself). */
export function readEnvelope(body: unknown): EnvelopeReading {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, problem: `the body is ${body === null ? "null" : Array.isArray(body) ? "an array" : `a ${typeof body}`}, not an object` };
  }
  const b = body as Record<string, unknown>;
  const [kind, schema] =
    "event" in b
      ? ["event callback", eventCallback]
      : "command" in b
        ? ["slash command", slashCommand]
        : b.type === "url_verification"
          ? ["url verification", urlVerification]
          : "user" in b || "actions" in b || "view" in b || "name" in b || INTERACTION_TYPES.has(String(b.type))
            ? ["interaction", interaction]
            : ["envelope", otherTyped];
  const parsed = (schema as z.ZodType<Envelope>).safeParse(b);
  if (!parsed.success) return { ok: false, problem: `unreadable ${kind}: ${describeIssues(parsed.error)}` };
  if (kind === "interaction" && VIEW_TYPES.has(String(b.type)) && b.view === undefined) return { ok: false, problem: "unreadable interaction: view is missing" };
  return { ok: true, body: b };
}

/** Which fields were wrong, by path only: the values may be anything, secrets included. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => i.path.join(".") || "(root)")
    .join(", ");
}
