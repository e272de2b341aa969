/**
 * One Discord community for the adapter's end-to-end tests: the fake Discord on 127.0.0.1, a real
 * SQLite engine, and the real adapter (discord.js Client included) connected to both.
 */
import { PermissionFlagsBits } from "discord.js";
import { pino } from "pino";
import { vi } from "vitest";
import { commands } from "../../../commands/index.js";
import { naturalKeys } from "../../../src/core/events.js";
import { startDiscord } from "../../../src/adapters/discord/index.js";
import type { Community } from "../../../src/engine/communities/community.repo.js";
import { type Settings, settingsSchema } from "../../../src/engine/communities/settings.js";
import type { Logger } from "../../../src/log.js";
import type { DeliveryReport } from "../../../src/engine/outbox/index.js";
import { FakeDiscord, type FakeDiscordOptions, type RecordedRequest } from "../../fakes/discord/fake-discord.js";
import { silentLog, testEngine, type TestEngine } from "../../helpers/engine.js";
import { restartTestEngine } from "../../helpers/engine-restart.js";

export const GUILD = "1300000000000000001";
export const GENERAL = "1300000000000000010";
export const THREAD = "1300000000000000011";
export const ANNOUNCEMENTS = "1300000000000000012";
export const MOD_QUEUE = "1300000000000000013";
export const MOD_ROLE = "1300000000000000100";
export const REWARD_ROLE = "1300000000000000101";
export const OWNER = "1300000000000001000";
export const ALICE = "1300000000000001001";
export const BOB = "1300000000000001002";
export const CAROL = "1300000000000001003";
export const MOD = "1300000000000001004";
export const APP = "1300000000000009999";

export const WORLD: FakeDiscordOptions = {
  botUserId: APP,
  applicationId: APP,
  botUsername: "guildkeeper",
  guilds: [
    {
      id: GUILD,
      name: "Dev Community",
      ownerId: OWNER,
      channels: [
        { id: GENERAL, name: "general" },
        { id: THREAD, name: "help me", kind: "public_thread", parentId: GENERAL, ownerId: BOB },
        { id: ANNOUNCEMENTS, name: "announcements" },
        { id: MOD_QUEUE, name: "mod-queue" },
      ],
      roles: [
        { id: MOD_ROLE, name: "moderator", permissions: PermissionFlagsBits.ManageMessages },
        { id: REWARD_ROLE, name: "regular" },
      ],
      members: [
        { userId: OWNER, username: "owner" },
        { userId: ALICE, username: "alice", globalName: "Alice" },
        { userId: BOB, username: "bob" },
        { userId: CAROL, username: "carol" },
        { userId: MOD, username: "mod", roles: [MOD_ROLE] },
      ],
    },
  ],
};

export { capturingLog } from "../../helpers/log-lines.js";

export const discordId = (userId: string): string => `discord:${GUILD}:${userId}`;

/** Settings for new communities: the defaults with `points` changed as given. */
export function withPoints(points: Partial<Settings["points"]>): Partial<Settings> {
  return { points: settingsSchema.parse({ points }).points };
}

export interface Harness {
  fake: FakeDiscord;
  /** The engine now (a {@link restart} replaces it). */
  readonly te: TestEngine;
  stopAdapter(): Promise<void>;
  startAdapter(): Promise<void>;
  /**
   * A process restart: the adapter stops, the engine is dropped with its connection, and a new
   * engine on the same database file gets a new adapter (a new discord.js client) — see
   * {@link restartTestEngine}. The engine's delivery loop is never started: call {@link deliver}.
   */
  restart(o?: { advanceMs?: number }): Promise<void>;
  /** One delivery pass of the engine's outbox (what its loop does when it wakes). */
  deliver(): Promise<DeliveryReport>;
  community(): Promise<Community>;
  updateSettings(change: (s: Settings) => void): Promise<void>;
  /** All-time points of a Discord user. */
  points(userId: string): Promise<number>;
  ledgerRows(): Promise<number>;
  /** Posts a message as `authorId` and waits until the engine has committed it (its own message row). */
  say(authorId: string, content: string, o?: { channelId?: string; id?: string; mentions?: string[] }): Promise<string>;
  /** Waits until the engine has stored this message (committed), so later assertions see it. */
  committed(messageId: string): Promise<void>;
  callback(interaction: { id: string; token: string }): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startHarness(o: { defaults?: Partial<Settings>; log?: Logger; fake?: Partial<FakeDiscordOptions>; token?: string } = {}): Promise<Harness> {
  const fake = await FakeDiscord.start({ ...WORLD, ...o.fake });
  let te = await testEngine({ start: new Date().toISOString(), ...(o.defaults ? { defaults: o.defaults } : {}) });
  const db = () => te.db.kysely;
  let adapter: { stop(): Promise<void> } | undefined;
  let closed = false;

  const h: Harness = {
    fake,
    get te() {
      return te;
    },
    async startAdapter() {
      adapter = await startDiscord({ engine: te.engine, commands, log: o.log ?? silentLog, token: o.token ?? FakeDiscord.TOKEN, appId: APP, apiUrl: fake.restUrl });
    },
    async stopAdapter() {
      await adapter?.stop();
      adapter = undefined;
    },
    async restart(r = {}) {
      await h.stopAdapter();
      te = await restartTestEngine(te, { ...r, ...(o.defaults ? { defaults: o.defaults } : {}) });
      await h.startAdapter();
    },
    deliver: () => te.engine.delivery.deliverDue(),
    community: () => te.engine.communities.resolve({ platform: "discord", workspaceId: GUILD }),
    async updateSettings(change) {
      const community = await h.community();
      const settings = structuredClone(community.settings);
      change(settings);
      await te.engine.communities.updateSettings(community, settings);
    },
    async points(userId) {
      const row = await db().selectFrom("totals").select("points").where("period", "=", "all").where("member_id", "=", discordId(userId)).executeTakeFirst();
      return row?.points ?? 0;
    },
    async ledgerRows() {
      const row = await db().selectFrom("ledger").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async say(authorId, content, options = {}) {
      const message = fake.build.messageCreate({ channelId: options.channelId ?? GENERAL, authorId, content, ...(options.id ? { id: options.id } : {}), ...(options.mentions ? { mentions: options.mentions } : {}) });
      fake.dispatch("MESSAGE_CREATE", message);
      await h.committed(message.id);
      return message.id;
    },
    async committed(messageId) {
      await vi.waitFor(
        async () => {
          const row = await db().selectFrom("messages").select("message_key").where("message_key", "=", naturalKeys.discordMessage(messageId)).executeTakeFirst();
          if (!row) throw new Error(`message ${messageId} not committed yet`);
        },
        { timeout: 3_000, interval: 10 },
      );
      await te.engine.drain();
    },
    callback: (interaction) => fake.waitForRequest((r) => r.method === "POST" && r.path === `/interactions/${interaction.id}/${interaction.token}/callback`, 3_000),
    async close() {
      if (closed) return;
      closed = true;
      await h.stopAdapter();
      await fake.close();
      await te.close();
    },
  };
  await h.startAdapter();
  return h;
}
