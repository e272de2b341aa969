// Tables of the engine itself rather than of one capability (migration 20261202_1200_community_write_epochs).

/**
 * How many write-queue transactions have written a community on Postgres (see
 * src/engine/community-write-lock.ts): its row lock serializes them across processes.
 */
export interface CommunityWriteEpochTable {
  community_id: string;
  epoch: number;
}
