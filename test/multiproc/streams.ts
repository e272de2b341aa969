import { naturalKeys } from "../../src/core/events.js";
import type { Actor } from "../../src/core/identity.js";
import type { ActivityEvent } from "../../src/engine/capability.js";

/**
 * A deterministic stream of chat activity in a few Discord-like guilds — posts close enough
 * together that the 60 s cooldown decides, replies, thanks in messages, reactions added and
 * removed (some before their message), deletions — and ways to split it between two processes.
 * Points are a function of the set of events, so any split and any order must end in the same
 * ledger as one engine given the whole set.
 */

/** mulberry32: a small seeded generator, so every run builds the same stream. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function actor(guild: string, name: string): Actor {
  return { id: `discord:${guild}:${name}`, platform: "discord", workspaceId: guild, userId: name, displayName: name, isBot: false };
}

const place = (guild: string, channelId: string) => ({ platform: "discord" as const, workspaceId: guild, channelId });

/**
 * `perGuild` events in each guild, between `from` and `from + spanMs`. Every message id is
 * unique across guilds (Discord's are).
 */
export function activityStream(o: { seed: number; guilds: readonly string[]; members: number; perGuild: number; from: string; spanMs: number }): ActivityEvent[] {
  const random = seeded(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const start = Date.parse(o.from);
  const events: ActivityEvent[] = [];
  for (const guild of o.guilds) {
    const people = Array.from({ length: o.members }, (_, i) => actor(guild, `m${i}`));
    const messages: { id: string; author: Actor; at: number }[] = [];
    let t = start;
    for (let i = 0; i < o.perGuild; i++) {
      // Steps of 0–40 s: many posts of one member fall inside their cooldown.
      t += Math.floor(random() * 40_000);
      const at = new Date(Math.min(t, start + o.spanMs));
      const roll = random();
      const by = pick(people);
      if (roll < 0.45 || messages.length === 0) {
        const id = `${guild}-${i}`;
        const key = naturalKeys.discordMessage(id);
        const thread = messages.length > 0 && random() < 0.3 ? pick(messages) : undefined;
        const thanked = random() < 0.2 ? pick(people.filter((p) => p !== by)) : undefined;
        events.push({
          kind: "message.created",
          key,
          messageKey: key,
          at,
          place: thread ? { ...place(guild, "general"), threadId: thread.id } : place(guild, "general"),
          author: by,
          text: thanked ? `thanks @${thanked.userId} for that` : `message ${id} from ${by.userId}`,
          mentions: thanked ? [{ id: thanked.id, displayName: thanked.displayName }] : [],
          ...(thread ? { threadParentKey: naturalKeys.discordMessage(thread.id) } : {}),
        });
        messages.push({ id, author: by, at: at.getTime() });
      } else if (roll < 0.85) {
        const target = pick(messages);
        const emoji = pick(["👍", "🎉", "❤️"]);
        const added = random() < 0.8;
        // Reactions carry their message's author (Discord's raw dispatch does); some come before the message.
        const when = new Date(Math.max(start, target.at + (random() < 0.1 ? -5_000 : Math.floor(random() * 600_000))));
        events.push({
          kind: added ? "reaction.added" : "reaction.removed",
          key: naturalKeys.discordReaction(target.id, by.userId, emoji),
          messageKey: naturalKeys.discordMessage(target.id),
          at: when,
          place: place(guild, "general"),
          actor: by,
          emoji,
          messageAuthor: { id: target.author.id, displayName: target.author.displayName },
        });
      } else {
        const target = pick(messages);
        const key = naturalKeys.discordMessage(target.id);
        events.push({ kind: "message.deleted", key: `${key}:deleted`, messageKey: key, at: new Date(target.at + 1_000 + Math.floor(random() * 900_000)), place: place(guild, "general") });
      }
    }
  }
  // Shuffled once: guilds interleave, and no stream is in time order.
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  return events;
}

/**
 * Two overlapping deliveries of one stream: the first process gets the first 65 %, the second the
 * last 65 % (so 30 % reach both), and each also gets a few of the other's alone again (platform
 * re-deliveries), every stream in its own order.
 */
export function overlappingSplit(events: readonly ActivityEvent[], seed: number): [ActivityEvent[], ActivityEvent[]] {
  const random = seeded(seed);
  const cut = (share: number) => Math.floor(events.length * share);
  const a = events.slice(0, cut(0.65));
  const b = events.slice(cut(0.35));
  const onlyA = events.slice(0, cut(0.35));
  const onlyB = events.slice(cut(0.65));
  for (let i = 0; i < 10; i++) {
    b.push(onlyA[Math.floor(random() * onlyA.length)]!);
    a.push(onlyB[Math.floor(random() * onlyB.length)]!);
  }
  const shuffle = (xs: ActivityEvent[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  return [shuffle(a), shuffle(b)];
}

/** Feeds `events` to `ingest` in bursts of `burst` at once (each burst shares the engine's batches). */
export async function feed(ingest: (e: ActivityEvent) => Promise<unknown>, events: readonly ActivityEvent[], burst: number): Promise<void> {
  for (let i = 0; i < events.length; i += burst) await Promise.all(events.slice(i, i + burst).map((e) => ingest(e)));
}
