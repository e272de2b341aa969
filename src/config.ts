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

  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_PORT: optionalText.pipe(z.string().regex(/^\d+$/, "a port number").transform(Number).pipe(z.number().int().max(65535)).optional()),
  SLACK_API_URL: optionalUrl,

  /** Serve /healthz, /readyz and /metrics (and web routes) on this port; unset: no HTTP server. */
  HTTP_PORT: optionalText.pipe(z.string().regex(/^\d+$/, "a port number").transform(Number).pipe(z.number().int().max(65535)).optional()),
  /** The address it listens on; loopback unless asked (metrics are for a scraper on this machine or network, not the world). */
  HTTP_HOST: optionalText.pipe(z.union([z.ipv4(), z.ipv6(), z.literal("localhost")], { error: "an IP address (127.0.0.1, 0.0.0.0, ::) or localhost" }).optional()).transform((v) => v ?? "127.0.0.1"),
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
  discord?: { token: string; appId?: string; guildId?: string; apiUrl?: string };
  slack?: { botToken: string; appToken?: string; signingSecret?: string; port?: number; apiUrl?: string };
  /** The HTTP server for health, readiness and metrics; absent when HTTP_PORT is unset. */
  http?: { port: number; host: string };
  /** Every secret value, so the logger can scrub them. */
  secrets: string[];
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
    ? { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, guildId: e.DISCORD_GUILD_ID, apiUrl: e.DISCORD_API_URL }
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
    ...(e.HTTP_PORT !== undefined ? { http: { port: e.HTTP_PORT, host: e.HTTP_HOST } } : {}),
    secrets: [e.DISCORD_TOKEN, e.SLACK_BOT_TOKEN, e.SLACK_APP_TOKEN, e.SLACK_SIGNING_SECRET, passwordOf(e.DATABASE_URL)].filter(
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
