import type { App } from "@slack/bolt";
import type { z } from "zod";
import type { Engine } from "../../engine/engine.js";
import type { Logger } from "../../log.js";
import { appMentionSchema, messageEventSchema, reactionEventSchema } from "./payloads.js";
import { type ActivityEvent, fromAppMention, fromMessage, fromReaction, type People } from "./translate-events.js";

/**
 * Messages, edits, deletions, reactions and mentions → `engine.ingest`.
 *
 * A listener resolves only after the engine committed, and the receivers acknowledge Slack only
 * after the listener resolved (HTTP: SignedHttpReceiver; Socket Mode:
 * AckAfterProcessingReceiver). If the engine throws, the listener throws, Slack gets no ack (HTTP
 * 500) and delivers the event again — and a retry is always processed in full, never skipped for
 * its retry header: the natural key makes a second delivery of something already applied a no-op.
 */
export interface ActivityDeps {
  engine: Engine;
  people: People;
  log: Logger;
}

export function listenToActivity(app: App, deps: ActivityDeps): void {
  const on = <S extends z.ZodType>(eventType: "message" | "app_mention" | "reaction_added" | "reaction_removed", schema: S, translate: (team: string, e: z.infer<S>) => Promise<ActivityEvent | undefined>) => {
    app.event(eventType, async ({ event, body }) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        // Acknowledged and dropped: a payload we cannot read will not read better on a retry.
        deps.log.warn({ eventType, issues: parsed.error.issues.map((i) => i.path.join(".")).slice(0, 5) }, "slack: unreadable event payload ignored");
        return;
      }
      const neutral = await translate(body.team_id, parsed.data);
      if (neutral) await deps.engine.ingest(neutral);
    });
  };
  on("message", messageEventSchema, (team, e) => fromMessage(team, e, deps.people));
  on("app_mention", appMentionSchema, (team, e) => fromAppMention(team, e, deps.people));
  on("reaction_added", reactionEventSchema, (team, e) => fromReaction(team, e, deps.people));
  on("reaction_removed", reactionEventSchema, (team, e) => fromReaction(team, e, deps.people));
}
