import type { MemberRow } from "./points.repo.js";

/**
 * Recently used member rows, so the rules need not read a row back that this process
 * wrote a moment ago (a busy member posts, is reacted to and thanked many times an hour). Rows go in
 * as they are written inside a transaction; if any transaction rolls back the whole cache is
 * dropped, so it never holds a row the database does not. Valid because one process writes a
 * community at a time: on SQLite the only process, on Postgres the one holding the community's
 * write lock, which drops the community's rows here when another process wrote it in between
 * (community-write-lock.ts).
 */
export class MemberCache {
  // Two generations instead of a strict LRU: rows are written to `young`; when it is full it becomes
  // `old` and the previous `old` is dropped. A row read from `old` moves back to `young`. Every
  // operation is O(1), and what survives is what was used in the last one or two generations.
  // Keyed by community, then member: no key string is built per lookup (every event does several).
  private young = new Map<string, Map<string, MemberRow>>();
  private old = new Map<string, Map<string, MemberRow>>();
  private youngSize = 0;

  constructor(private readonly generationSize = 10_000) {}

  get(communityId: string, memberId: string): MemberRow | undefined {
    const row = this.young.get(communityId)?.get(memberId);
    if (row) return row;
    const aging = this.old.get(communityId)?.get(memberId);
    if (aging) this.set(aging);
    return aging;
  }

  set(row: MemberRow): void {
    let members = this.young.get(row.community_id);
    if (!members) this.young.set(row.community_id, (members = new Map()));
    const size = members.size;
    members.set(row.member_id, row);
    if (members.size > size && ++this.youngSize >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
      this.youngSize = 0;
    }
  }

  /** Drops one member's row (its person changed: the next event reads it back from the database). */
  forget(communityId: string, memberId: string): void {
    this.young.get(communityId)?.delete(memberId);
    this.old.get(communityId)?.delete(memberId);
  }

  /** Drops every row of one community (another process wrote it since this one did). */
  forgetCommunity(communityId: string): void {
    const young = this.young.get(communityId);
    if (young) this.youngSize -= young.size;
    this.young.delete(communityId);
    this.old.delete(communityId);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.youngSize = 0;
  }
}
