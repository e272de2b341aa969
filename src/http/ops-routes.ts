import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { bearerCheck } from "./bearer.js";
import type { PrometheusTelemetry } from "./metrics.js";
import type { ReadinessChecks } from "./readiness.js";

/**
 * The operations routes: `GET /healthz` (the process is up), `GET /readyz` (it can do its work)
 * and `GET /metrics` (Prometheus text). docs/operations-http.md describes them.
 *
 * With a `token` (METRICS_TOKEN), `/metrics` answers only `Authorization: Bearer <token>`, and
 * `/readyz` gives anyone else its status code and `{status}` alone — enough for a load balancer's
 * probe — but not which check failed. `/healthz` says nothing worth hiding and stays open.
 */
export function opsRoutes(o: { readiness: ReadinessChecks; metrics?: PrometheusTelemetry | undefined; token?: string | undefined }): FastifyPluginAsync {
  const authorized = o.token === undefined ? () => true : bearerCheck(o.token);
  return async (app) => {
    // Answers as long as the event loop does: no database, no adapters (that is /readyz).
    app.get("/healthz", async (_request, reply) => reply.header("cache-control", "no-store").send({ status: "ok" }));

    app.get("/readyz", async (request, reply) => {
      const readiness = await o.readiness.run();
      return reply
        .code(readiness.status === "ready" ? 200 : 503)
        .header("cache-control", "no-store")
        .send(authorized(request.headers.authorization) ? readiness : { status: readiness.status });
    });

    const metrics = o.metrics;
    if (metrics) {
      app.get("/metrics", async (request, reply) => {
        if (!authorized(request.headers.authorization)) return unauthorized(request, reply);
        const { contentType, body } = await metrics.scrape();
        return reply.header("content-type", contentType).header("cache-control", "no-store").send(body);
      });
    }
  };
}

function unauthorized(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = request.headers.authorization === undefined ? "this server's metrics need Authorization: Bearer <METRICS_TOKEN>" : "that bearer token is not this server's METRICS_TOKEN";
  return reply.code(401).header("www-authenticate", 'Bearer realm="guildkeeper metrics"').header("cache-control", "no-store").send({ error });
}
