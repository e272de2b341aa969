// Tables of the economy's rewards shop (src/engine/economy/shop*.ts; migration 20261201_1830_shop).

/** A reward organizers defined; removal is `status: "removed"`, never a delete (its orders stay). */
export interface ShopRewardTable {
  id: string;
  community_id: string;
  name: string;
  /** The name folded for look-ups (NFKC, lower case): unique per community. */
  name_key: string;
  cost: number;
  /** `discord:<guild>:&<role>` granted on purchase, or null. */
  role: string | null;
  role_name: string | null;
  /** How many are left; null is unlimited. Never below 0. */
  stock: number | null;
  status: "active" | "removed";
  /** The interaction that last added it. */
  added_key: string;
  created_at: string;
  updated_at: string;
}

/** Where an order stands: a role being granted, waiting for organizers, fulfilled, or refunded. */
export type ShopOrderState = "granting" | "pending" | "done" | "cancelled";

/** One purchase, keyed by the buy interaction; its cost is the wallet movement `shop:buy:<key>`. */
export interface ShopOrderTable {
  id: string;
  community_id: string;
  /** 1, 2, 3 … per community: what organizers type. */
  number: number;
  key: string;
  reward_id: string;
  reward_name: string;
  cost: number;
  role: string | null;
  role_name: string | null;
  buyer_id: string;
  buyer_name: string;
  /** The Discord member id the role goes to (the buyer or their linked Discord member), or null. */
  grant_to: string | null;
  /** Where it was bought: a Place as JSON. */
  place: string;
  state: ShopOrderState;
  problem: string | null;
  reason: string | null;
  closed_by: string | null;
  created_at: string;
  updated_at: string;
}
