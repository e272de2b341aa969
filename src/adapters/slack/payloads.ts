import { z } from "zod";
import { viewStateSchema } from "./render-modal.js";

/**
 * What guildkeeper reads from Slack, checked at the door. Bolt's types describe what Slack *should*
 * send; these schemas make sure of it before anything reaches the engine, and keep only the fields
 * the adapter uses. Ids must look like Slack ids (they end up inside natural keys, where a `:` or
 * space would be trouble).
 *
 * Shapes: docs.slack.dev event and interaction payload references, and the fake's README
 * (test/fakes/slack), which lists the captures each builder follows.
 */
const id = z.string().regex(/^[A-Z0-9]{2,40}$/, "a Slack id");
const ts = z.string().regex(/^\d{1,12}\.\d{1,9}$/, "a Slack ts");

/** A message nested in `message_changed` / `message_deleted` (no `channel` of its own). */
const nestedMessage = z.object({
  user: id.optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  text: z.string().optional(),
  ts,
  thread_ts: ts.optional(),
});

export const messageEventSchema = z.object({
  type: z.literal("message"),
  subtype: z.string().optional(),
  channel: id,
  channel_type: z.string().optional(),
  user: id.optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts,
  thread_ts: ts.optional(),
  /** `message_changed`: the message as it is now. */
  message: nestedMessage.optional(),
  /** `message_deleted`: which message went. */
  deleted_ts: ts.optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const appMentionSchema = z.object({
  type: z.literal("app_mention"),
  channel: id,
  user: id,
  bot_id: z.string().optional(),
  text: z.string().default(""),
  ts,
  thread_ts: ts.optional(),
});
export type AppMention = z.infer<typeof appMentionSchema>;

export const reactionEventSchema = z.object({
  type: z.enum(["reaction_added", "reaction_removed"]),
  user: id,
  reaction: z.string().min(1).max(100),
  /** Absent when the message had no human author (webhooks). */
  item_user: id.optional(),
  /** Reactions on files exist too; only messages earn. */
  item: z.discriminatedUnion("type", [
    z.object({ type: z.literal("message"), channel: id, ts }),
    z.object({ type: z.literal("file") }),
    z.object({ type: z.literal("file_comment") }),
  ]),
  event_ts: ts,
});
export type ReactionEvent = z.infer<typeof reactionEventSchema>;

export const slashCommandSchema = z.object({
  team_id: id,
  channel_id: id,
  user_id: id,
  command: z.string().regex(/^\/[a-z0-9_-]{1,32}$/i),
  text: z.string().max(8000).default(""),
  trigger_id: z.string().min(1).max(200),
  response_url: z.url(),
});
export type SlashCommand = z.infer<typeof slashCommandSchema>;

const interactionUser = z.object({ id, team_id: id.optional() });
/** `team` is null for org-wide installs; the user's team is the fallback. */
const interactionTeam = z.object({ id }).nullish();

export const blockActionsSchema = z.object({
  type: z.literal("block_actions"),
  team: interactionTeam,
  user: interactionUser,
  trigger_id: z.string().min(1).max(200),
  channel: z.object({ id }).optional(),
  container: z.object({
    type: z.string(),
    message_ts: ts.optional(),
    channel_id: id.optional(),
    is_ephemeral: z.boolean().optional(),
  }),
  actions: z.array(z.object({ action_id: z.string().min(1).max(255), type: z.string() })).min(1),
  response_url: z.url().optional(),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;

export const viewSubmissionSchema = z.object({
  type: z.literal("view_submission"),
  team: interactionTeam,
  user: interactionUser,
  trigger_id: z.string().min(1).max(200),
  view: z.object({
    callback_id: z.string().min(1).max(255),
    private_metadata: z.string().default(""),
    state: z.object({ values: viewStateSchema }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;

/**
 * A message shortcut used on a message (`message_action`). `message.user` is absent when no member
 * wrote the message (a bot's, a webhook's or an integration's post); Bolt's type says so too.
 */
export const messageActionSchema = z.object({
  type: z.literal("message_action"),
  callback_id: z.string().min(1).max(255),
  team: interactionTeam,
  user: interactionUser,
  trigger_id: z.string().min(1).max(200),
  channel: z.object({ id }),
  message: z.object({
    user: id.optional(),
    bot_id: z.string().optional(),
    subtype: z.string().optional(),
    text: z.string().optional(),
    ts,
    thread_ts: ts.optional(),
  }),
  response_url: z.url(),
});
export type MessageActionPayload = z.infer<typeof messageActionSchema>;

/** The part of `users.info` the directory keeps. */
export const usersInfoSchema = z.object({
  ok: z.literal(true),
  user: z.object({
    id,
    name: z.string().optional(),
    real_name: z.string().optional(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
    profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});

export const usergroupUsersSchema = z.object({ ok: z.literal(true), users: z.array(id) });

export const authTestSchema = z.object({ ok: z.literal(true), team_id: id, user_id: id, bot_id: z.string().optional() });
export type AuthTest = z.infer<typeof authTestSchema>;

/** The team of an interaction: the installing team where Slack says, else the user's. */
export function teamOfInteraction(payload: { team?: { id: string } | null; user: { team_id?: string | undefined } }): string | undefined {
  return payload.team?.id ?? payload.user.team_id;
}
