import { type APIChannel, ChannelType, type REST, Routes } from "discord.js";
import type { SolutionChange } from "../../engine/knowledge/solutions.service.js";
import type { Logger } from "../../log.js";
import { isMissingPermission, loggableError } from "./discord-errors.js";

/** Discord allows at most five tags on a forum post. */
const MAX_TAGS = 5;

/**
 * Discord's own part of accepted answers: a forum post whose question is solved gets its forum's
 * "Solved" tag (any tag so named, whatever the case), and loses it when unmarked. The engine tells
 * us after the mark's transaction commits. Only where the bot may: a forum with no such tag, a
 * thread in a text channel, or a bot without Manage Threads changes nothing (a refusal is logged).
 * A change missed while stopped stays missed: the tag is a courtesy, the record is the database's.
 */
export class SolvedTags {
  constructor(private readonly o: { rest: REST; log: Logger }) {}

  async onChange(change: SolutionChange): Promise<void> {
    const threadId = change.thread.platform === "discord" ? change.thread.threadId : undefined;
    if (!threadId) return;
    try {
      const thread = (await this.o.rest.get(Routes.channel(threadId))) as APIChannel & { parent_id?: string | null; applied_tags?: string[] };
      if (!thread.parent_id) return;
      const forum = (await this.o.rest.get(Routes.channel(thread.parent_id))) as APIChannel & { available_tags?: { id: string; name: string }[] };
      if (forum.type !== ChannelType.GuildForum && forum.type !== ChannelType.GuildMedia) return;
      const tag = forum.available_tags?.find((t) => t.name.trim().toLowerCase() === "solved");
      if (!tag) return;
      const applied = thread.applied_tags ?? [];
      const has = applied.includes(tag.id);
      if (has === change.solved || (change.solved && applied.length >= MAX_TAGS)) return;
      const next = change.solved ? [...applied, tag.id] : applied.filter((id) => id !== tag.id);
      await this.o.rest.patch(Routes.channel(threadId), { body: { applied_tags: next }, reason: change.solved ? "guildkeeper: question solved" : "guildkeeper: solution unmarked" });
    } catch (error) {
      if (isMissingPermission(error)) return void this.o.log.info({ thread: threadId }, "solved tag not changed: the bot may not manage this forum's threads");
      this.o.log.warn({ err: loggableError(error), thread: threadId }, "solved tag not changed");
    }
  }
}
