/**
 * Who posted which text (by hash) where, in the last minutes, in memory: "the same text by one
 * member within the window" without a database look-up per message. Bounded (two generations of
 * maps, O(1) per message); dropped when a batch rolls back so it never remembers an uncommitted
 * message. A restart forgets the window before it, which at worst lets one repeat through (the
 * hashes are nowhere else: a hash per message on disk cost every message a wider row, for a look-up
 * done here).
 *
 * Nearly every message is a key of its own, so this holds up to two generations of entries — 40 000
 * — and each must be small. A key is a number (a hash of community, member and text hash) and a
 * key's sightings one flat array of numbers, [at, channel, at, channel, …] with the channel hashed
 * too: ~100 bytes an entry. Template-literal keys and { at, channel } objects holding each message's
 * own channel-key string had cost ~700 bytes an entry, 29.6 MiB of the Discord bench's 86 MiB of
 * live heap (bench/discord-memory.ts, heap snapshot).
 *
 * The hashes are 53 bits (a JavaScript number holds no more exactly). Two keys collide with a
 * chance of about 1 in 2^53 / 40 000 ≈ 2·10^11 per message — a text counted as a repeat once in
 * hundreds of years at a million messages a day; two channels colliding would count one channel
 * less. Neither is a security boundary: a member cannot choose what another member's key hashes to.
 */
const NONE = Object.freeze({ repeats: 0, otherChannels: 0 });

/** At most this many sightings per key: a storm of 20 is a storm. */
const MAX_SIGHTINGS = 20;

/** FNV-1a over the strings (each followed by a 0 separator) in two 32-bit lanes, folded to 53 bits. */
function hash53(...parts: string[]): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    a = Math.imul(a, 0x01000193);
    b = Math.imul(b, 0x5bd1e995);
  }
  return (a >>> 11) * 2 ** 32 + (b >>> 0);
}

export class RecentRepeats {
  private young = new Map<number, number[]>();
  private old = new Map<number, number[]>();

  constructor(private readonly generation = 20_000) {}

  /** The key `count` and `add` take: who, where and which text (built once per message). */
  static key(communityId: string, memberId: string, hash: string): number {
    return hash53(communityId, memberId, hash);
  }

  /** The channel as `count` and `add` take it (from its channel key, once per message). */
  static channel(channelKey: string): number {
    return hash53(channelKey);
  }

  /** Earlier messages under this key in [since, until]: how many, and the distinct other channels. */
  count(key: number, since: number, until: number, channel: number): { repeats: number; otherChannels: number } {
    const seen = this.young.get(key) ?? this.old.get(key);
    if (!seen) return NONE;
    let repeats = 0;
    // At most 20 entries: a short list of the channels met is cheaper than a Set.
    const others: number[] = [];
    for (let i = 0; i < seen.length; i += 2) {
      const at = seen[i]!;
      const where = seen[i + 1]!;
      if (at < since || at > until) continue;
      repeats++;
      if (where !== channel && !others.includes(where)) others.push(where);
    }
    return { repeats, otherChannels: others.length };
  }

  add(key: number, at: number, channel: number): void {
    const young = this.young.get(key);
    // Carried over from the old generation, so a busy repeater is not forgotten mid-window.
    const seen = young ?? this.old.get(key);
    if (seen) {
      seen.push(at, channel);
      if (seen.length > MAX_SIGHTINGS * 2) seen.splice(0, 2);
      if (young) return;
    }
    // A new key's array is a literal of exactly one sighting: push() onto [] would reserve room for 16.
    this.young.set(key, seen ?? [at, channel]);
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
