import { naturalKeys, type MessageCreated, type MessageDeleted, type ReactionChanged } from "../src/core/events.js";
import type { Actor, MemberRef } from "../src/core/identity.js";

/**
 * A seeded, lazily generated community stream: the same seed always yields the same events, and
 * only small ring buffers are kept, so a million-member stream costs no memory to hold.
 *
 * Shape: every member introduces themselves once (a post), interleaved with skewed activity —
 * posts, thread replies, reactions added and removed, thanks and deletions — where the actor is
 * drawn as floor(M·u⁶): the top 10 members do ~15 % of it, the top 1 000 ~32 %. About 2 % of
 * deliveries repeat a recent event, as gateway resumes and Slack retries do.
 */
export type BenchEvent = MessageCreated | MessageDeleted | ReactionChanged;

export interface StreamOptions {
  members: number;
  /** Events besides the introductions. */
  activity: number;
  seed: number;
  start: Date;
  /** Simulated time the whole stream spans. */
  spanMs: number;
  duplicateRate: number;
  /** Message ids start after this, so a second stream's messages never share keys with the first's. */
  idBase?: number;
}

export const GUILD = "bench";
const EMOJI = ["👍", "🎉", "❤", "🚀", "👀"];

/** mulberry32: tiny, fast, good enough to shape a benchmark. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Ring<T> {
  private readonly items: T[] = [];
  private next = 0;
  constructor(private readonly size: number) {}
  push(item: T): void {
    if (this.items.length < this.size) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.size;
  }
  pick(random: () => number): T | undefined {
    return this.items.length ? this.items[Math.floor(random() * this.items.length)] : undefined;
  }
}

export function actor(i: number): Actor {
  return { id: `discord:${GUILD}:${i}`, platform: "discord", workspaceId: GUILD, userId: String(i), displayName: `member${i}`, isBot: false };
}

export function* syntheticStream(o: StreamOptions): Generator<BenchEvent> {
  const random = rng(o.seed);
  const total = o.members + o.activity;
  const step = o.spanMs / total;
  const recentMessages = new Ring<{ id: string; author: number }>(10_000);
  const recentReactions = new Ring<ReactionChanged>(5_000);
  const recentEvents = new Ring<BenchEvent>(1_000);
  let introduced = 0;
  let activity = 0;
  let messageSeq = o.idBase ?? 0;
  let clock = o.start.getTime();
  const skewed = () => Math.floor(o.members * random() ** 6);
  const place = (channel: string) => ({ platform: "discord" as const, workspaceId: GUILD, channelId: channel });

  const message = (author: number, text: string, parent?: { id: string }, mentions: MemberRef[] = []): MessageCreated => {
    const id = String(++messageSeq);
    const key = naturalKeys.discordMessage(id);
    recentMessages.push({ id, author });
    return {
      kind: "message.created",
      key,
      messageKey: key,
      at: new Date(clock),
      place: place(parent ? "help" : author % 3 === 0 ? "general" : "help"),
      author: actor(author),
      text,
      mentions,
      ...(parent ? { threadParentKey: naturalKeys.discordMessage(parent.id) } : {}),
    };
  };

  while (introduced < o.members || activity < o.activity) {
    clock += step;
    if (random() < o.duplicateRate) {
      const again = recentEvents.pick(random);
      if (again) {
        yield again;
        continue;
      }
    }
    let event: BenchEvent | undefined;
    const introduce = introduced < o.members && (activity >= o.activity || random() < o.members / total);
    if (introduce) {
      event = message(introduced++, "Hi all, glad to be here!");
    } else {
      activity++;
      const roll = random();
      const target = recentMessages.pick(random);
      if (roll < 0.35 || !target) event = message(skewed(), "Here is how I solved it");
      else if (roll < 0.6) event = message(skewed(), "Good point, and also…", target);
      else if (roll < 0.85) {
        const by = skewed();
        const emoji = EMOJI[Math.floor(random() * EMOJI.length)]!;
        const reaction: ReactionChanged = {
          kind: "reaction.added",
          key: naturalKeys.discordReaction(target.id, String(by), emoji),
          messageKey: naturalKeys.discordMessage(target.id),
          at: new Date(clock),
          place: place("help"),
          actor: actor(by),
          emoji,
        };
        recentReactions.push(reaction);
        event = reaction;
      } else if (roll < 0.9) {
        const added = recentReactions.pick(random);
        event = added ? { ...added, kind: "reaction.removed", at: new Date(clock) } : message(skewed(), "…");
      } else if (roll < 0.97) {
        event = message(skewed(), `thanks @member${target.author}, that fixed it`, undefined, [{ id: actor(target.author).id, displayName: `member${target.author}` }]);
      } else {
        const messageKey = naturalKeys.discordMessage(target.id);
        event = { kind: "message.deleted", key: `${messageKey}:deleted`, messageKey, at: new Date(clock), place: place("help") };
      }
    }
    recentEvents.push(event);
    yield event;
  }
}
