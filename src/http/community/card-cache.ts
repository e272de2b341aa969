/**
 * Rendered rank cards by ETag (a hash of what the card shows), least recently used dropped first.
 * A card takes a few milliseconds of CPU to draw; the same figures asked for again — the page's
 * three cards for every visitor until someone's points change — cost a map look-up instead.
 */
export class CardCache {
  private readonly entries = new Map<string, Buffer>();

  constructor(private readonly capacity = 256) {}

  get(etag: string): Buffer | undefined {
    const png = this.entries.get(etag);
    if (png) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
      this.entries.delete(etag);
      this.entries.set(etag, png);
    }
    return png;
  }

  set(etag: string, png: Buffer): void {
    this.entries.delete(etag);
    this.entries.set(etag, png);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
