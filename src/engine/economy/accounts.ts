/**
 * Wallet accounts. A member's account is their member id (`discord:…`, `slack:…`, `console:…`);
 * the system's accounts start with `@`, which no member id can, so the two never collide.
 */
export const POOL_ACCOUNT = "@pool";
/** Where purchases go (and refunds come from): spending leaves the members' side of the books here. */
export const SHOP_ACCOUNT = "@shop";

/** The escrow that holds a bounty's points until it is awarded or refunded. */
export function escrowAccount(bountyId: string): string {
  return `@escrow:${bountyId}`;
}

export function isSystemAccount(account: string): boolean {
  return account.startsWith("@");
}
