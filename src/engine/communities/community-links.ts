import { randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Place } from "../../core/identity.js";
import type { Database } from "../../db/schema.js";
import type { CommunityDirectory } from "./community-directory.js";
import type { Community } from "./community.repo.js";

/**
 * One community across platforms: an admin makes a code where the community lives (`/config
 * link`), and an admin of the other workspace spends it there (`/config join <code>`). From then on
 * both workspaces write to one ledger and read one leaderboard.
 *
 * A workspace that already earned points keeps its own community: merging two ledgers would
 * rewrite history, which the append-only ledger never does.
 */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O or 1/I to misread
const LIFETIME_MS = 30 * 60 * 1000;

export type JoinResult =
  | { ok: true; community: Community }
  | { ok: false; reason: "unknown-code" | "expired" | "same-community" | "has-activity" };

export class CommunityLinks {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly directory: CommunityDirectory,
    private readonly clock: Clock,
  ) {}

  /** A fresh code for `community`, valid for 30 minutes. */
  async createCode(community: Community, createdBy: string): Promise<{ code: string; expiresAt: Date }> {
    const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
    const expiresAt = new Date(this.clock.now().getTime() + LIFETIME_MS);
    await this.db.insertInto("link_codes").values({ code, community_id: community.id, created_by: createdBy, expires_at: expiresAt.toISOString() }).execute();
    return { code, expiresAt };
  }

  /** Moves the workspace of `place` into the code's community; the code is spent either way once valid. */
  async join(code: string, place: Pick<Place, "platform" | "workspaceId">): Promise<JoinResult> {
    const normalized = code.trim().toUpperCase().replace(/[^A-Z0-9]/g, "").replace(/^(.{4})(.{4})$/, "$1-$2");
    const row = await this.db.selectFrom("link_codes").selectAll().where("code", "=", normalized).executeTakeFirst();
    if (!row) return { ok: false, reason: "unknown-code" };
    if (row.expires_at <= this.clock.now().toISOString()) {
      await this.db.deleteFrom("link_codes").where("code", "=", normalized).execute();
      return { ok: false, reason: "expired" };
    }
    const current = await this.directory.resolve(place);
    if (current.id === row.community_id) return { ok: false, reason: "same-community" };
    const activity = await this.db.selectFrom("ledger").select("key").where("community_id", "=", current.id).limit(1).executeTakeFirst();
    if (activity) return { ok: false, reason: "has-activity" };

    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("community_workspaces")
        .set({ community_id: row.community_id })
        .where("platform", "=", place.platform)
        .where("workspace_id", "=", place.workspaceId)
        .execute();
      await trx.deleteFrom("link_codes").where("code", "=", normalized).execute();
    });
    return { ok: true, community: await this.directory.forget(place) };
  }
}
