// Tables of the economy capability (src/engine/economy/; migration 20261201_1800_wallet).

/**
 * Append-only, double entry: one row per leg of a movement of spendable points. The legs of one
 * movement share `cause_key` and sum to zero, so balances + pool + escrow + shop never change but
 * by earned XP. A correction is a new movement, never an update.
 */
export interface WalletEntryTable {
  community_id: string;
  /** `<cause_key>:<leg>`; unique per community, so a replayed cause inserts nothing. */
  key: string;
  /** A member id, or `@pool`, `@shop`, `@escrow:<bounty id>`. */
  account: string;
  amount: number;
  kind: string;
  cause_key: string;
  at: string;
  memo: string | null;
}

/** Each account's sum of wallet entries, kept in the same transaction (a member's balance adds their XP). */
export interface WalletAccountTable {
  community_id: string;
  account: string;
  balance: number;
}
