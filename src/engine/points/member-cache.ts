import type { MemberRow } from "./points.repo.js";

/**
 * The most recently used member rows, so the rules need not read a row back that this process
 * wrote a moment ago (a busy member posts, is reacted to and thanked many times an hour). Rows go in
 * as they are written inside a transaction; if any transaction rolls back the whole cache is
 * dropped, so it never holds a row the database does not. Valid because one process writes a
 * database (see README, Storage); a second writer would make it stale.
 */
export class MemberCache {
  private readonly rows = new Map<string, MemberRow>();

  constructor(private readonly capacity = 20_000) {}

  get(communityId: string, memberId: string): MemberRow | undefined {
    const key = `${communityId}|${memberId}`;
    const row = this.rows.get(key);
    if (row) {
      // Re-insert to mark it most recently used (Map keeps insertion order).
      this.rows.delete(key);
      this.rows.set(key, row);
    }
    return row;
  }

  set(row: MemberRow): void {
    const key = `${row.community_id}|${row.member_id}`;
    this.rows.delete(key);
    this.rows.set(key, row);
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value as string);
  }

  clear(): void {
    this.rows.clear();
  }
}
