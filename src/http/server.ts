import type { AddressInfo } from "node:net";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from "fastify";
import type { Logger } from "../log.js";
import type { PrometheusTelemetry } from "./metrics.js";
import { opsRoutes } from "./ops-routes.js";
import { ReadinessChecks, type ReadinessProbe } from "./readiness.js";

/**
 * The one HTTP server (on when `HTTP_PORT` is set): health, readiness and metrics first, then any
 * other route plugins (the web leaderboard) registered after them. Each plugin is registered on
 * its own (fastify encapsulates it), so one plugin's hooks and decorators do not leak into ours.
 */
export interface HttpServerOptions {
  log: Logger;
  health: {
    /** What `/readyz` checks, in the order its body lists them (probes.ts has the usual ones). */
    probes: readonly ReadinessProbe[];
  };
  /** Served at `/metrics`; without it there is no `/metrics` route. */
  metrics?: PrometheusTelemetry;
  /** Set: `/metrics` and `/readyz`'s details need `Authorization: Bearer <token>` (METRICS_TOKEN). */
  metricsToken?: string;
  /** More routes, registered after ours, in order. */
  plugins?: readonly FastifyPluginAsync[];
}

export interface StartHttpServerOptions extends HttpServerOptions {
  /** 0 picks a free port (tests, the bench). */
  port: number;
  host: string;
}

/** A listening server: where it is, and how to stop it (in-flight requests finish, idle keep-alives close). */
export interface RunningHttpServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Builds the server without listening: tests call `inject`, or `listen({ port: 0 })` themselves.
 *
 * Fastify logs through our pino logger, so its lines are scrubbed of secrets like every other, at
 * warn and above only: its per-request lines are info (a scraper every few seconds would bury the
 * log), while a route's 5xx error is still logged; fastify's request serializer logs method, URL
 * and remote address, never headers, so no cookie or authorization can leak.
 */
export async function buildHttpServer(o: HttpServerOptions): Promise<FastifyInstance> {
  const log = o.log.child({ component: "http" });
  const app = Fastify({
    // Typed as fastify's logger, so plugins written against the plain FastifyInstance fit.
    loggerInstance: log.child({}, { level: o.log.isLevelEnabled("warn") ? "warn" : o.log.level }) as FastifyBaseLogger,
    // On close: refuse new requests with 503 while in-flight ones finish, and drop idle keep-alives.
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  await app.register(opsRoutes({ readiness: new ReadinessChecks(o.health.probes, log), metrics: o.metrics, token: o.metricsToken }));
  for (const plugin of o.plugins ?? []) await app.register(plugin);
  await app.ready();
  return app;
}

/** The server could not listen: a setting to fix (HTTP_PORT in use or not allowed, HTTP_HOST not on this machine). */
export class HttpListenError extends Error {
  constructor(where: { host: string; port: number }, cause: unknown) {
    const code = (cause as { code?: unknown } | undefined)?.code;
    const why =
      code === "EADDRINUSE"
        ? "the port is in use (set HTTP_PORT to a free one)"
        : code === "EACCES"
          ? "not allowed to listen on that port (ports below 1024 need privileges)"
          : code === "EADDRNOTAVAIL"
            ? "that address is not one of this machine's (HTTP_HOST)"
            : cause instanceof Error
              ? cause.message
              : String(cause);
    super(`could not listen for HTTP on ${where.host}:${where.port}: ${why}`, { cause });
    this.name = "HttpListenError";
  }
}

/** Builds the server and listens on `host:port`; resolves once it does. */
export async function startHttpServer(o: StartHttpServerOptions): Promise<RunningHttpServer> {
  const app = await buildHttpServer(o);
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw new HttpListenError(o, error);
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    async stop() {
      await app.close();
    },
  };
}
