import type { Settings } from "../../engine/communities/settings.js";
import type { PointsOutcome } from "../../engine/points/outcome.js";

/**
 * What one console action did to the points, one line each: `  +5 ada (post) · 15 points`, and for
 * what earned nothing, why — in words, naming the member who missed out. Level-ups are printed by
 * the adapter, from the engine's level-up news, so they show however they were reached.
 */
export interface OutcomeContext {
  settings: Settings;
  /** What the line was: a message (which may carry thanks), a reaction, or a deletion. */
  kind: "message" | "reaction" | "deletion";
  /** Who acted: the author of the message, who reacted. */
  actorId: string;
  /** Members the message thanked by mention, in order (for "no thanks points for …"). */
  thanked?: readonly string[];
  channel: string;
}

const nameOf = (memberId: string) => memberId.split(":").pop() || memberId;

export function renderOutcome(outcome: PointsOutcome, ctx: OutcomeContext): string[] {
  if (outcome.duplicate) return ["  (already counted)"];
  const lines = outcome.awards.map((a) => `  ${a.amount >= 0 ? "+" : ""}${a.amount} ${a.displayName} (${a.reason}) · ${a.total} points`);
  const seen = new Set<string>();
  for (const s of outcome.skipped) {
    const line = skipLine(String(s.reason), s.memberId, outcome, ctx);
    // One line per thing that happened: five mentions over the giver's budget are one "no thanks".
    if (line && !seen.has(line)) lines.push(line);
    if (line) seen.add(line);
  }
  return lines;
}

function skipLine(reason: string, memberId: string | undefined, outcome: PointsOutcome, ctx: OutcomeContext): string | undefined {
  const who = memberId ? nameOf(memberId) : undefined;
  const rules = ctx.settings.points;
  const forWho = who ? ` for ${who}` : "";
  switch (reason) {
    case "duplicate":
      return "  (already counted)";
    case "cooldown":
      return `  no points${forWho}: their last message earned less than ${rules.messageCooldownSeconds} s ago (points.messageCooldownSeconds)`;
    case "daily-cap":
      return `  no points${forWho}: today's ${rules.dailyCap} points are already earned (points.dailyCap)`;
    case "thanks-budget": {
      // The giver ran out of thanks; the ones who miss out are those thanked.
      const giver = nameOf(ctx.actorId);
      const receivers = memberId && memberId !== ctx.actorId ? [memberId] : (ctx.thanked ?? []).filter((id) => !outcome.awards.some((a) => a.memberId === id && a.reason === "thanks"));
      const names = receivers.map(nameOf).join(", ");
      return `  no thanks points${names ? ` for ${names}` : ""}: ${giver} has used up today's thanks (${rules.thanksPerDay} a day, points.thanksPerDay)`;
    }
    case "self":
      return ctx.kind === "reaction" ? `  no points${forWho}: reacting to your own message earns nothing` : `  no points${forWho}: thanking yourself earns nothing`;
    case "bot":
      return `  no points${forWho}: bots don't earn`;
    case "no-points-channel":
      return `  no points${forWho}: #${ctx.channel} earns nothing (points.noPointsChannels)`;
    case "unknown-message":
      return "  no points: that message was never seen";
    case "deleted-message":
      return "  no points: that message was deleted";
    case "already-reversed":
      return ctx.kind === "deletion" ? undefined : `  (already taken back${forWho})`;
    case "bad-timestamp":
      return `  no points${forWho}: it is stamped more than a few minutes ahead of the bot's clock`;
    default:
      return `  no points${forWho}: ${reason}`;
  }
}
