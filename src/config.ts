import path from "node:path";
import { z } from "zod";
import { defaultDatabaseFile, parseDatabaseUrl } from "./db/database-url.js";
import { projectRoot } from "./db/project-root.js";
import { timezoneSchema } from "./engine/communities/settings.js";

/**
 * Process configuration, from the environment (and `.env` if present). Parsed once at start and
 * passed down; nothing else reads `process.env`. Every variable is documented in `.env.example`.
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const optionalUrl = optionalText.pipe(z.url().optional());

/** Discord's shard count: 1 to 10 000 (Discord asks for about one shard per 1 000 servers). */
const shardCount = optionalText.pipe(z.string().regex(/^\d+$/, "a whole number of shards, e.g. 4").transform(Number).pipe(z.number().int().min(1, "at least 1").max(10_000, "at most 10000")).optional());

/** "0,1": the shards this process runs, each named once. */
const shardIds = optionalText.pipe(
  z
    .string()
    .regex(/^\d+(\s*,\s*\d+)*$/, "shard ids separated by commas, e.g. 0,1")
    .transform((v) => v.split(",").map((id) => Number(id.trim())))
    .refine((ids) => new Set(ids).size === ids.length, "a shard id is named twice")
    .optional(),
);

const envSchema = z.object({
  /** A SQLite file (made absolute) or a Postgres URL; unset: data/guildkeeper.db in the checkout. */
  DATABASE_URL: optionalText.transform((v, ctx) => {
    if (v === undefined) return defaultDatabaseFile();
    const target = parseDatabaseUrl(v);
    if ("error" in target) {
      ctx.addIssue({ code: "custom", message: target.error });
      return z.NEVER;
    }
    return target.dialect === "postgres" ? target.url : target.file;
  }),
  LOG_LEVEL: optionalText.pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional()),
  DEFAULT_TIMEZONE: optionalText.pipe(timezoneSchema.optional()).transform((v) => v ?? "UTC"),
  /** Force the console adapter on even when platform tokens are set. */
  CONSOLE: optionalText.transform((v) => v === "1" || v === "true"),
  /** Start the console's clock here (ISO 8601) and move it only with /wait: scripted sessions print the same every run. */
  CONSOLE_CLOCK_START: optionalText.pipe(z.iso.datetime({ offset: true }).optional()),
  /** Where the console saves reply pictures (made absolute); unset: data/console-pictures in the checkout. */
  CONSOLE_PICTURES_DIR: optionalText.transform((v) => (v === undefined ? defaultConsolePicturesDir() : path.resolve(v))),

  DISCORD_TOKEN: optionalText,
  DISCORD_APP_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  DISCORD_API_URL: optionalUrl,
  DISCORD_SHARD_IDS: shardIds,
  DISCORD_SHARD_COUNT: shardCount,

  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_PORT: optionalText.pipe(z.string().regex(/^\d+$/, "a port number").transform(Number).pipe(z.number().int().max(65535)).optional()),
  SLACK_API_URL: optionalUrl,

  /** Serve /healthz, /readyz and /metrics (and web routes) on this port; unset: no HTTP server. */
  HTTP_PORT: optionalText.pipe(z.string().regex(/^\d+$/, "a port number").transform(Number).pipe(z.number().int().max(65535)).optional()),
  /** The address it listens on; loopback unless asked (metrics are for a scraper on this machine or network, not the world). */
  HTTP_HOST: optionalText.pipe(z.union([z.ipv4(), z.ipv6(), z.literal("localhost")], { error: "an IP address (127.0.0.1, 0.0.0.0, ::) or localhost" }).optional()).transform((v) => v ?? "127.0.0.1"),
  /**
   * Set: `/metrics` (and `/readyz`'s details) answer only `Authorization: Bearer <token>`. The web
   * board shares the port, and a board is meant to be public; the counters and probes are not.
   */
  METRICS_TOKEN: optionalText.pipe(
    z
      .string()
      .min(16, "at least 16 characters (e.g. openssl rand -hex 24)")
      .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces (it is sent in an Authorization header)")
      .optional(),
  ),
}).superRefine((e, ctx) => {
  // Refinements run even when a field failed its own check: look only at values that passed.
  if (!Array.isArray(e.DISCORD_SHARD_IDS ?? []) || !(e.DISCORD_SHARD_COUNT === undefined || typeof e.DISCORD_SHARD_COUNT === "number")) return;
  if (e.DISCORD_SHARD_IDS && e.DISCORD_SHARD_COUNT === undefined) {
    ctx.addIssue({ code: "custom", path: ["DISCORD_SHARD_IDS"], message: "needs DISCORD_SHARD_COUNT, the number of shards in all" });
  }
  const count = e.DISCORD_SHARD_COUNT;
  if (count === undefined) return;
  const outside = (e.DISCORD_SHARD_IDS ?? []).filter((id) => id >= count);
  if (outside.length) ctx.addIssue({ code: "custom", path: ["DISCORD_SHARD_IDS"], message: `shard ids run from 0 to ${count - 1} with DISCORD_SHARD_COUNT=${count}: ${outside.join(", ")} is not one` });
  // Some shards here means the others run in another process, and two processes cannot share a SQLite file.
  if (e.DISCORD_SHARD_IDS && e.DISCORD_SHARD_IDS.length < count && typeof e.DATABASE_URL === "string" && !/^postgres(ql)?:\/\//i.test(e.DATABASE_URL)) {
    ctx.addIssue({
      code: "custom",
      path: ["DISCORD_SHARD_IDS"],
      message: "names only some of the shards, so the others run in another process, and two processes cannot share a SQLite file: set DATABASE_URL to a postgres:// database, or leave DISCORD_SHARD_IDS unset to run every shard here",
    });
  }
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  /** An absolute SQLite file path, or a postgres:// URL. */
  databaseUrl: string;
  logLevel: string;
  defaultTimezone: string;
  console: boolean;
  consoleClockStart?: string;
  /** An absolute folder for the console's saved pictures. */
  consolePicturesDir: string;
  /** `shards`: which of how many gateway shards this process runs (unset: Discord's one shard, or as discord.js decides). */
  discord?: { token: string; appId?: string; guildId?: string; apiUrl?: string; shards?: DiscordShards };
  slack?: { botToken: string; appToken?: string; signingSecret?: string; port?: number; apiUrl?: string };
  /** The HTTP server for health, readiness and metrics; absent when HTTP_PORT is unset. `metricsToken`: see METRICS_TOKEN. */
  http?: { port: number; host: string; metricsToken?: string };
  /** Every secret value, so the logger can scrub them. */
  secrets: string[];
}

/** The gateway shards one process runs: `ids` of `count` in all (every one, unless DISCORD_SHARD_IDS says). */
export interface DiscordShards {
  ids: number[];
  count: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and the problem, never the value: it might be a secret.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every setting.`);
  }
  const e = parsed.data;
  const discord = e.DISCORD_TOKEN
    ? {
        token: e.DISCORD_TOKEN,
        appId: e.DISCORD_APP_ID,
        guildId: e.DISCORD_GUILD_ID,
        apiUrl: e.DISCORD_API_URL,
        shards: e.DISCORD_SHARD_COUNT === undefined ? undefined : { ids: e.DISCORD_SHARD_IDS ?? Array.from({ length: e.DISCORD_SHARD_COUNT }, (_, i) => i), count: e.DISCORD_SHARD_COUNT },
      }
    : undefined;
  const slack = e.SLACK_BOT_TOKEN
    ? { botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, port: e.SLACK_PORT, apiUrl: e.SLACK_API_URL }
    : undefined;
  const useConsole = e.CONSOLE || (!discord && !slack);
  return {
    databaseUrl: e.DATABASE_URL,
    // The console owns the terminal, so only problems are logged there unless asked otherwise.
    logLevel: e.LOG_LEVEL ?? (useConsole ? "warn" : "info"),
    defaultTimezone: e.DEFAULT_TIMEZONE,
    console: useConsole,
    ...(e.CONSOLE_CLOCK_START ? { consoleClockStart: e.CONSOLE_CLOCK_START } : {}),
    consolePicturesDir: e.CONSOLE_PICTURES_DIR,
    ...(discord ? { discord: stripUndefined(discord) } : {}),
    ...(slack ? { slack: stripUndefined(slack) } : {}),
    ...(e.HTTP_PORT !== undefined ? { http: { port: e.HTTP_PORT, host: e.HTTP_HOST, ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}) } } : {}),
    secrets: [e.DISCORD_TOKEN, e.SLACK_BOT_TOKEN, e.SLACK_APP_TOKEN, e.SLACK_SIGNING_SECRET, e.METRICS_TOKEN, passwordOf(e.DATABASE_URL)].filter(
      (s): s is string => typeof s === "string" && s.length > 0,
    ),
  };
}

/** data/console-pictures in the checkout, beside the default database. */
function defaultConsolePicturesDir(): string {
  return path.join(projectRoot() ?? process.cwd(), "data", "console-pictures");
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
