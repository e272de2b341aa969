/**
 * Who posted which text (by hash) where, in the last minutes, in memory: "the same text by one
 * member within the window" without a database look-up per message. Bounded (two generations of
 * maps, O(1) per message); dropped when a batch rolls back so it never remembers an uncommitted
 * message. A restart forgets the window before it, which at worst lets one repeat through (the
 * hashes are nowhere else: a hash per message on disk cost every message a wider row, for a look-up
 * done here).
 */
const NONE = Object.freeze({ repeats: 0, otherChannels: 0 });

export class RecentRepeats {
  private young = new Map<string, { at: number; channel: string }[]>();
  private old = new Map<string, { at: number; channel: string }[]>();

  constructor(private readonly generation = 20_000) {}

  /** The key `count` and `add` take: who, where and which text (built once per message). */
  static key(communityId: string, memberId: string, hash: string): string {
    return `${communityId}\u0000${memberId}\u0000${hash}`;
  }

  /** Earlier messages under this key in [since, until]: how many, and the distinct other channels. */
  count(key: string, since: number, until: number, channel: string): { repeats: number; otherChannels: number } {
    const seen = this.young.get(key) ?? this.old.get(key);
    if (!seen) return NONE;
    let repeats = 0;
    // At most 20 entries: a short list of the channels met is cheaper than a Set.
    const others: string[] = [];
    for (const s of seen) {
      if (s.at < since || s.at > until) continue;
      repeats++;
      if (s.channel !== channel && !others.includes(s.channel)) others.push(s.channel);
    }
    return { repeats, otherChannels: others.length };
  }

  add(key: string, at: number, channel: string): void {
    let seen = this.young.get(key);
    if (!seen) {
      // Carried over from the old generation, so a busy repeater is not forgotten mid-window.
      seen = this.old.get(key) ?? [];
      this.young.set(key, seen);
      if (this.young.size >= this.generation) {
        this.old = this.young;
        this.young = new Map();
      }
    }
    seen.push({ at, channel });
    // Only the latest few matter: a storm of 20 is a storm.
    if (seen.length > 20) seen.shift();
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
