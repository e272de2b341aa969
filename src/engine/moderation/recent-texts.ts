/**
 * The text of the last few thousand messages, in memory only, so that a member who reports a
 * message by reaction or by link gives the moderators an excerpt. Nothing here is written to the
 * database: only a message that is flagged or reported has its excerpt stored (on its queue item),
 * and a restart forgets the rest. Two generations of maps: O(1), bounded.
 */
export class RecentTexts {
  private young = new Map<string, string>();
  private old = new Map<string, string>();

  constructor(private readonly generation = 2_000) {}

  set(key: string, text: string): void {
    this.young.set(key, text);
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  get(key: string): string | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
  }
}
