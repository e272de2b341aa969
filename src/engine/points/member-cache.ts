import type { MemberRow } from "./points.repo.js";

/**
 * Recently used member rows, so the rules need not read a row back that this process
 * wrote a moment ago (a busy member posts, is reacted to and thanked many times an hour). Rows go in
 * as they are written inside a transaction; if any transaction rolls back the whole cache is
 * dropped, so it never holds a row the database does not. Valid because one process writes a
 * database (see README, Storage); a second writer would make it stale.
 */
export class MemberCache {
  // Two generations instead of a strict LRU: rows are written to `young`; when it is full it becomes
  // `old` and the previous `old` is dropped. A row read from `old` moves back to `young`. Every
  // operation is O(1), and what survives is what was used in the last one or two generations.
  private young = new Map<string, MemberRow>();
  private old = new Map<string, MemberRow>();

  constructor(private readonly generationSize = 10_000) {}

  get(communityId: string, memberId: string): MemberRow | undefined {
    const key = `${communityId}|${memberId}`;
    const row = this.young.get(key);
    if (row) return row;
    const aging = this.old.get(key);
    if (aging) this.set(aging);
    return aging;
  }

  set(row: MemberRow): void {
    this.young.set(`${row.community_id}|${row.member_id}`, row);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
