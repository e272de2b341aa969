import type { MessageReaction, PartialMessageReaction, PartialUser, User } from "discord.js";
import { z } from "zod";
import { normalizeEmoji } from "../../core/emoji.js";
import { naturalKeys, type ReactionChanged } from "../../core/events.js";
import { type MemberRef, memberId } from "../../core/identity.js";
import { actorById, discordActor, discordMemberRef, discordPlace } from "./identity.js";

/**
 * Gateway reactions → neutral reaction events, for cached and uncached messages alike.
 *
 * On an uncached message discord.js gives a partial message without its author. Discord does say
 * who wrote it (`message_author_id` in MESSAGE_REACTION_ADD), but discord.js drops that field, so
 * {@link ReactionAuthors} reads it from the raw dispatch, which discord.js emits just before it
 * handles the same dispatch. Nothing is fetched: where no author is known the engine uses the one
 * it stored when it saw the message.
 */

// The raw dispatch is untyped here (discord.js types it `any`): take only what we read, checked.
const reactionAddDispatch = z.object({
  message_id: z.string().regex(/^\d+$/),
  user_id: z.string().regex(/^\d+$/),
  message_author_id: z.string().regex(/^\d+$/).optional(),
});

/** Authors named by recent raw MESSAGE_REACTION_ADD dispatches, until their reaction event reads them. */
export class ReactionAuthors {
  private readonly authors = new Map<string, string>();

  // Events queued before the client is ready are handled later than their raw dispatch; a few
  // thousand entries cover that backlog, and the oldest are dropped first beyond it.
  constructor(private readonly capacity = 5_000) {}

  /** Feed every raw MESSAGE_REACTION_ADD dispatch's `d`. */
  remember(data: unknown): void {
    const parsed = reactionAddDispatch.safeParse(data);
    if (!parsed.success || !parsed.data.message_author_id) return;
    const key = `${parsed.data.message_id}:${parsed.data.user_id}`;
    this.authors.delete(key);
    this.authors.set(key, parsed.data.message_author_id);
    if (this.authors.size > this.capacity) this.authors.delete(this.authors.keys().next().value!);
  }

  take(messageId: string, userId: string): string | undefined {
    const key = `${messageId}:${userId}`;
    const author = this.authors.get(key);
    this.authors.delete(key);
    return author;
  }
}

/** `👍` for unicode emoji (skin tones dropped), `:name:` for a server's custom emoji. */
export function reactionEmoji(emoji: { id: string | null; name: string | null }): string {
  if (emoji.id) return normalizeEmoji(`<:${emoji.name ?? emoji.id}:${emoji.id}>`);
  return normalizeEmoji(emoji.name ?? "");
}

export function reactionChanged(
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  added: boolean,
  context: { authors: ReactionAuthors; now: Date },
): ReactionChanged | undefined {
  const message = reaction.message;
  const guildId = message.guildId;
  // Bots' reactions are ignored. A removal may name a user discord.js has not cached (a partial,
  // only an id): it goes on as a person — had it been a bot, its addition was ignored and the
  // engine finds nothing to take back.
  if (!guildId || user.bot === true) return undefined;
  const emoji = reactionEmoji(reaction.emoji);
  if (!emoji) return undefined;

  const rawAuthor = added ? context.authors.take(message.id, user.id) : undefined;
  let messageAuthor: MemberRef | undefined;
  if (!message.partial) messageAuthor = discordMemberRef(guildId, message.author, message.member);
  else if (rawAuthor) messageAuthor = { id: memberId("discord", guildId, rawAuthor) };

  // An addition carries the reactor's member object, which discord.js has just cached.
  const actor = user.partial ? actorById(guildId, user.id) : discordActor(guildId, user, message.guild?.members.cache.get(user.id));
  return {
    kind: added ? "reaction.added" : "reaction.removed",
    key: naturalKeys.discordReaction(message.id, user.id, emoji),
    messageKey: naturalKeys.discordMessage(message.id),
    at: context.now,
    place: discordPlace(guildId, message.channel, message.channelId),
    actor,
    emoji,
    ...(messageAuthor ? { messageAuthor } : {}),
  };
}
