/**
 * The text of recent messages, in memory only, so that a question solved by a ✅ — which carries no
 * text — can go into the knowledge base with its question and answer. Nothing here is written to the
 * database on the hot path (message.created/edited): only a solved question's texts are stored, on
 * its `kb_entries` row. A restart, or a question older than the last few thousand messages, leaves
 * the entry with what is known (see docs/knowledge-answers.md). Two generations of maps: O(1), bounded.
 */
export interface RememberedText {
  text: string;
  authorId: string;
  /** The platform said not every member can read where it was said (MessageCreated.restricted). */
  restricted?: boolean;
}

export class MessageTexts {
  private young = new Map<string, RememberedText>();
  private old = new Map<string, RememberedText>();

  constructor(private readonly generation = 5_000) {}

  set(key: string, text: RememberedText): void {
    this.old.delete(key);
    this.young.set(key, text);
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  get(key: string): RememberedText | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  /** Forgets every message `authorId` wrote (a member who asked to be forgotten). */
  deleteAuthor(authorId: string): void {
    for (const map of [this.young, this.old]) for (const [key, t] of map) if (t.authorId === authorId) map.delete(key);
  }
}
