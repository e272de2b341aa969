import type { webApi } from "@slack/bolt";
import { type Actor, type MemberRef, memberId } from "../../core/identity.js";
import { within } from "../../core/within.js";
import type { Logger } from "../../log.js";
import { usergroupUsersSchema, usersInfoSchema } from "./payloads.js";
import type { Secrets } from "./secrets.js";

/**
 * Who people are, as far as Slack says: names, bots, workspace admins (`users.info`) and user group
 * members (`usergroups.users.list`). The adapter reports these facts on the `Actor`; the engine
 * decides what they allow (src/engine/permissions.ts).
 *
 * Every answer is cached for a while, and every lookup has a time budget: an event must be
 * acknowledged within 3 seconds, so a slow Slack means "unknown" now (a fallback name, no admin
 * rights, no groups) while the lookup finishes in the background and fills the cache for next time.
 * Unknown never grants anything.
 */
export interface Profile {
  displayName: string;
  isBot: boolean;
  /** Workspace admin or owner. */
  isAdmin: boolean;
  /** Deactivated in Slack: still has a profile, but is no longer a member. */
  isDeleted?: boolean;
}

/**
 * Whether an id names a member of the workspace, as far as Slack says: `member` (with the profile),
 * `unknown` (Slack answered `user_not_found`, or the account is deactivated), or `unchecked` (Slack
 * did not answer in time, or failed: nothing can be concluded).
 */
export type MemberCheck = { verdict: "member"; profile: Profile } | { verdict: "unknown" } | { verdict: "unchecked" };

export interface DirectoryOptions {
  log: Logger;
  secrets: Secrets;
  /** The bot's own user id: always a bot, never looked up. */
  botUserId: string;
  ttlMs?: number;
  /** How long a failed lookup is remembered, so a failing Slack is not asked on every event. */
  failureTtlMs?: number;
  budgetMs?: number;
  maxEntries?: number;
}

interface Entry<T> {
  value: T | undefined;
  expires: number;
}

/** A small TTL cache that also shares one in-flight lookup per key. */
class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Map<string, Promise<T | undefined>>();

  constructor(
    private readonly ttlMs: number,
    private readonly failureTtlMs: number,
    private readonly maxEntries: number,
  ) {}

  peek(key: string): T | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expires > Date.now() ? entry.value : undefined;
  }

  get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > Date.now()) return Promise.resolve(entry.value);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = load()
        .catch(() => undefined)
        .then((value) => {
          this.set(key, value);
          this.inFlight.delete(key);
          return value;
        });
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private set(key: string, value: T | undefined): void {
    this.entries.delete(key);
    // Maps iterate in insertion order: the first key is the oldest.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expires: Date.now() + (value === undefined ? this.failureTtlMs : this.ttlMs) });
  }
}

/** `work`'s value, or undefined ("unknown for now") once `ms` have passed; the lookup goes on and fills the cache. */
async function withinBudget<T>(work: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const raced = await within(work, ms);
  return raced === "timed-out" ? undefined : raced.value;
}

export class SlackDirectory {
  private readonly profiles: TtlCache<Profile>;
  private readonly groups: TtlCache<ReadonlySet<string>>;
  private readonly budgetMs: number;
  /** Ids Slack said are no user (`user_not_found`), until when: so a failed lookup is told from a refusal. */
  private readonly missing = new Map<string, number>();
  private readonly failureTtlMs: number;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly o: DirectoryOptions,
  ) {
    const ttl = o.ttlMs ?? 10 * 60_000;
    const failureTtl = o.failureTtlMs ?? 30_000;
    this.profiles = new TtlCache(ttl, failureTtl, o.maxEntries ?? 20_000);
    this.groups = new TtlCache(ttl, failureTtl, 200);
    this.budgetMs = o.budgetMs ?? 800;
    this.failureTtlMs = failureTtl;
  }

  /**
   * Asks Slack whether `userId` is a member of the workspace (cached, within the lookup budget). A
   * command's member option must pass this before the engine sees it: text that merely looks like
   * an id is not a member.
   */
  async checkMember(userId: string): Promise<MemberCheck> {
    if (userId === this.o.botUserId) return { verdict: "member", profile: this.cachedProfile(userId)! };
    const profile = await this.profile(userId);
    if (profile) return profile.isDeleted ? { verdict: "unknown" } : { verdict: "member", profile };
    const until = this.missing.get(userId);
    return until !== undefined && until > Date.now() ? { verdict: "unknown" } : { verdict: "unchecked" };
  }

  /** The profile if it is cached; never calls Slack. */
  cachedProfile(userId: string): Profile | undefined {
    if (userId === this.o.botUserId) return { displayName: "guildkeeper", isBot: true, isAdmin: false };
    return this.profiles.peek(userId);
  }

  profile(userId: string): Promise<Profile | undefined> {
    const known = this.cachedProfile(userId);
    if (known) return Promise.resolve(known);
    return withinBudget(this.profiles.get(userId, () => this.lookUpUser(userId)), this.budgetMs);
  }

  /** Which of `groupIds` (raw `S…` ids) the user is in. */
  async groupsOf(userId: string, groupIds: readonly string[]): Promise<string[]> {
    const members = await Promise.all(groupIds.map((g) => withinBudget(this.groups.get(g, () => this.lookUpGroup(g)), this.budgetMs)));
    return groupIds.filter((_, i) => members[i]?.has(userId));
  }

  /**
   * The actor for `userId` in `team`. `groupIds` are the user groups worth checking (those the
   * community's settings name); leave it empty where no permission is at stake (activity).
   */
  async actor(team: string, userId: string, groupIds: readonly string[] = []): Promise<Actor> {
    const [profile, roleIds] = await Promise.all([this.profile(userId), this.groupsOf(userId, groupIds)]);
    return {
      id: memberId("slack", team, userId),
      platform: "slack",
      workspaceId: team,
      userId,
      displayName: profile?.displayName ?? userId,
      isBot: profile?.isBot ?? false,
      ...(profile ? { isPlatformAdmin: profile.isAdmin } : {}),
      ...(roleIds.length ? { roleIds } : {}),
    };
  }

  /** A member named in text: only what is cached (mentions are not worth a lookup each). */
  mention(team: string, userId: string, nameInMarkup?: string): MemberRef {
    const known = this.cachedProfile(userId);
    const displayName = known?.displayName ?? nameInMarkup;
    return { id: memberId("slack", team, userId), ...(displayName ? { displayName } : {}), ...(known ? { isBot: known.isBot } : {}) };
  }

  private async lookUpUser(userId: string): Promise<Profile | undefined> {
    try {
      const parsed = usersInfoSchema.safeParse(await this.client.users.info({ user: userId }));
      if (!parsed.success) return undefined;
      const u = parsed.data.user;
      const displayName = u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || userId;
      return {
        displayName,
        isBot: u.is_bot === true,
        isAdmin: u.is_admin === true || u.is_owner === true || u.is_primary_owner === true,
        ...(u.deleted === true ? { isDeleted: true } : {}),
      };
    } catch (error) {
      const described = this.o.secrets.describe(error);
      if (described.slackError === "user_not_found") {
        this.rememberMissing(userId);
        return undefined;
      }
      this.o.log.warn({ ...described, user: userId }, "slack users.info failed; treating the user as unknown for now");
      return undefined;
    }
  }

  private rememberMissing(userId: string): void {
    this.missing.delete(userId);
    // Bounded like the profiles: the oldest goes first.
    if (this.missing.size >= 1_000) this.missing.delete(this.missing.keys().next().value as string);
    this.missing.set(userId, Date.now() + this.failureTtlMs);
  }

  private async lookUpGroup(groupId: string): Promise<ReadonlySet<string> | undefined> {
    try {
      const parsed = usergroupUsersSchema.safeParse(await this.client.usergroups.users.list({ usergroup: groupId }));
      return parsed.success ? new Set(parsed.data.users) : undefined;
    } catch (error) {
      this.o.log.warn({ ...this.o.secrets.describe(error), usergroup: groupId }, "slack usergroups.users.list failed; no one counts as a member for now");
      return undefined;
    }
  }
}
