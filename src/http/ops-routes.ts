import type { FastifyPluginAsync } from "fastify";
import type { PrometheusTelemetry } from "./metrics.js";
import type { ReadinessChecks } from "./readiness.js";

/**
 * The operations routes: `GET /healthz` (the process is up), `GET /readyz` (it can do its work)
 * and `GET /metrics` (Prometheus text). docs/operations-http.md describes them.
 */
export function opsRoutes(o: { readiness: ReadinessChecks; metrics?: PrometheusTelemetry | undefined }): FastifyPluginAsync {
  return async (app) => {
    // Answers as long as the event loop does: no database, no adapters (that is /readyz).
    app.get("/healthz", async (_request, reply) => reply.header("cache-control", "no-store").send({ status: "ok" }));

    app.get("/readyz", async (_request, reply) => {
      const readiness = await o.readiness.run();
      return reply
        .code(readiness.status === "ready" ? 200 : 503)
        .header("cache-control", "no-store")
        .send(readiness);
    });

    const metrics = o.metrics;
    if (metrics) {
      app.get("/metrics", async (_request, reply) => {
        const { contentType, body } = await metrics.scrape();
        return reply.header("content-type", contentType).header("cache-control", "no-store").send(body);
      });
    }
  };
}
