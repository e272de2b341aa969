/**
 * One Slack "world" per test: the fake Slack on 127.0.0.1, a real SQLite engine, and the real
 * adapter (Bolt inside) started against both — in HTTP mode or Socket Mode. Helpers play Slack's
 * side (signed POSTs or Socket Mode envelopes) and read what the engine wrote.
 */
import { pino } from "pino";
import { commands } from "../../../commands/index.js";
import { memberId } from "../../../src/core/identity.js";
import type { Settings } from "../../../src/engine/communities/settings.js";
import type { Logger } from "../../../src/log.js";
import { startSlack } from "../../../src/adapters/slack/index.js";
import { postEvent, postInteraction, postSlashCommand, startFakeSlack, type FakeSlack, type FakeSlackOptions, type PostResult, type SignedPostOptions } from "../../fakes/slack/index.js";
import type { DeliveryReport } from "../../../src/engine/outbox/index.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { restartTestEngine } from "../../helpers/engine-restart.js";

export const TEAM = "T0GUILD001";
export const ALICE = "U0ALICE001";
export const BOB = "U0BOB00001";
/** A workspace admin (users.info `is_admin`). */
export const ADA = "U0ADAADM01";
/** In user group S1. */
export const MOE = "U0MOEMOD01";
export const MODS = "S0MODS0001";
export const GENERAL = "C0GENERAL1";
export const NEWS = "C0NEWS0001";

export type Mode = "http" | "socket";

export interface WorldOptions {
  log?: Logger;
  fake?: FakeSlackOptions;
  defaults?: Partial<Settings>;
  /** Runs against the engine before the adapter starts (e.g. to leave a level-up unannounced). */
  beforeStart?: (te: TestEngine) => Promise<void>;
  /**
   * An engine to start the adapter on (e.g. one a Discord harness runs too, for a community that
   * spans both) instead of a fresh one; its owner closes it, not this world.
   */
  te?: TestEngine;
}

export interface World {
  mode: Mode;
  fake: FakeSlack;
  /** The engine now (a {@link restart} replaces it). */
  readonly te: TestEngine;
  /** HTTP mode only: Bolt's events endpoint (a restart listens on a new port). */
  readonly url: string;
  stop(): Promise<void>;
  /**
   * A process restart: the adapter stops, and a new one (a new Bolt app) starts on `o.te`, or on a
   * new engine opening the same database file (see {@link restartTestEngine}). The engine's
   * delivery loop is never started: call {@link deliver}.
   */
  restart(o?: { te?: TestEngine; advanceMs?: number }): Promise<void>;
  /** One delivery pass of the engine's outbox (what its loop does when it wakes). */
  deliver(): Promise<DeliveryReport>;
  /** Delivers an event as Slack would (signed POST or events_api envelope); resolves with Slack's view of the answer. */
  event(event: unknown, o?: { eventId?: string; retry?: number; post?: Partial<SignedPostOptions> }): Promise<{ status: number }>;
  /** Runs a slash command; resolves with the answer Slack got in the acknowledgement (HTTP body or ack payload). */
  command(name: string, text: string, user: string, channel?: string): Promise<{ status: number; body: Record<string, unknown> | undefined; triggerId: string; responseUrl: string }>;
  interaction(payload: unknown): Promise<{ status: number; body: Record<string, unknown> | undefined }>;
  points(user: string): Promise<number>;
  ledger(): Promise<{ key: string; member_id: string; amount: number; reason: string }[]>;
  settings(): Promise<Settings>;
  close(): Promise<void>;
}

export const quietLog: Logger = pino({ level: "silent" });

export async function startWorld(mode: Mode, o: WorldOptions = {}): Promise<World> {
  const fake = await startFakeSlack({
    users: [
      { id: ALICE, name: "alice", realName: "Alice Liddell", displayName: "alice" },
      { id: BOB, name: "bob", realName: "Bob Builder", displayName: "bob" },
      { id: ADA, name: "ada", realName: "Ada Lovelace", displayName: "ada", isAdmin: true },
      { id: MOE, name: "moe", realName: "Moe Moderator", displayName: "moe" },
    ],
    channels: [
      { id: GENERAL, name: "general" },
      { id: NEWS, name: "news" },
    ],
    usergroups: { [MODS]: [MOE] },
    ...o.fake,
  });
  // The engine's clock starts now, so this week's board is the week the fake's timestamps are in.
  let te = o.te ?? (await testEngine({ start: new Date().toISOString(), ...(o.defaults ? { defaults: o.defaults } : {}) }));
  // Whether close() closes the engine: not when it was lent (o.te), nor after a restart onto a lent one.
  let ownsEngine = !o.te;
  await o.beforeStart?.(te);
  const startAdapter = () =>
    startSlack({
      engine: te.engine,
      commands,
      log: o.log ?? quietLog,
      botToken: fake.config.bot.token,
      apiUrl: fake.apiUrl,
      ...(mode === "http" ? { signingSecret: fake.config.signingSecret, port: 0, host: "127.0.0.1" } : { appToken: fake.config.appToken }),
    });
  let adapter = await startAdapter();
  const urlOf = (a: { port?: number }) => (mode === "http" ? `http://127.0.0.1:${a.port}/slack/events` : "");
  let url = urlOf(adapter);
  const signed = (extra: Partial<SignedPostOptions> = {}): SignedPostOptions => ({ signingSecret: fake.config.signingSecret, ...extra });
  const bodyOf = (r: PostResult) => (r.json && typeof r.json === "object" ? (r.json as Record<string, unknown>) : undefined);
  let stopped = false;

  const world: World = {
    mode,
    fake,
    get te() {
      return te;
    },
    get url() {
      return url;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await adapter.stop();
    },
    async restart(r = {}) {
      await world.stop();
      if (r.te) {
        te = r.te;
        ownsEngine = false;
      } else {
        te = await restartTestEngine(te, { ...(r.advanceMs !== undefined ? { advanceMs: r.advanceMs } : {}), ...(o.defaults ? { defaults: o.defaults } : {}) });
        // The newest engine cleans up for the ones before it.
        ownsEngine = true;
      }
      adapter = await startAdapter();
      url = urlOf(adapter);
      stopped = false;
    },
    deliver: () => te.engine.delivery.deliverDue(),
    async event(event, e = {}) {
      const body = fake.payloads.eventCallback(event, e.eventId ? { eventId: e.eventId } : {});
      if (mode === "http") {
        const res = await postEvent(url, body, signed({ ...(e.retry ? { retryNum: e.retry, retryReason: "http_error" } : {}), ...e.post }));
        return { status: res.status };
      }
      await fake.sendEnvelope("events_api", body, e.retry ? { retryAttempt: e.retry, retryReason: "timeout" } : {});
      return { status: 200 };
    },
    async command(name, text, user, channel = GENERAL) {
      const payload = fake.payloads.slashCommand({ command: `/${name}`, text, user, channel });
      const meta = { triggerId: payload.trigger_id, responseUrl: payload.response_url };
      if (mode === "http") {
        const res = await postSlashCommand(url, payload as unknown as Record<string, string>, signed());
        return { status: res.status, body: bodyOf(res), ...meta };
      }
      const ack = await fake.sendEnvelope("slash_commands", payload);
      return { status: 200, body: ack.payload && Object.keys(ack.payload).length ? ack.payload : undefined, ...meta };
    },
    async interaction(payload) {
      if (mode === "http") {
        const res = await postInteraction(url, payload, signed());
        return { status: res.status, body: bodyOf(res) };
      }
      const ack = await fake.sendEnvelope("interactive", payload);
      return { status: 200, body: ack.payload && Object.keys(ack.payload).length ? ack.payload : undefined };
    },
    async points(user) {
      const rows = await te.db.kysely.selectFrom("ledger").select("amount").where("member_id", "=", memberId("slack", TEAM, user)).execute();
      return rows.reduce((sum, r) => sum + r.amount, 0);
    },
    ledger: () => te.db.kysely.selectFrom("ledger").select(["key", "member_id", "amount", "reason"]).orderBy("at").execute(),
    async settings() {
      return (await te.engine.communities.resolve({ platform: "slack", workspaceId: TEAM })).settings;
    },
    async close() {
      try {
        await world.stop();
      } finally {
        // The app first: a Socket Mode client that loses the fake reconnects and fails loudly.
        await fake.close();
        if (ownsEngine) await te.close();
      }
    },
  };
  return world;
}

/** Slack's escaping undone, to compare answers with what a reader sees. */
export function readable(text: unknown): string {
  return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
