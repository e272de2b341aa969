/**
 * The HTTP side of the fake: reads a request under /api/v10, records it, answers from a scripted response or a
 * route, and runs the route's after-effects (gateway echoes) once the answer is on the wire.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RecordedRequest } from "../types.js";
import type { FakeWorld } from "../world.js";
import type { WatchedLog } from "../wait.js";
import { parseMultipart } from "./multipart.js";
import { channelRoutes } from "./routes-channels.js";
import { guildRoutes } from "./routes-guilds.js";
import { scheduledEventRoutes } from "./routes-scheduled-events.js";
import { interactionRoutes } from "./routes-interactions.js";
import { Router, type RestEffects, type RouteResponse } from "./router.js";
import type { ScriptedResponses } from "./scripted.js";

const API_PREFIX = "/api/v10";

const router = new Router([...interactionRoutes, ...channelRoutes, ...guildRoutes, ...scheduledEventRoutes]);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Decodes each path segment on its own, so an encoded "/" inside a segment could not split it. */
function decodePath(rawPath: string): string {
  return rawPath
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function parseBody(raw: Buffer, contentType: string): Pick<RecordedRequest, "body" | "files"> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType.startsWith("multipart/form-data")) {
    const { json, files } = parseMultipart(raw, contentType);
    return { body: json, files };
  }
  const text = raw.toString("utf8");
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

function send(res: ServerResponse, answer: RouteResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body !== undefined && answer.status !== 204) {
    const json = JSON.stringify(answer.body);
    headers["content-type"] = "application/json";
    res.writeHead(answer.status, headers);
    res.end(json);
  } else {
    res.writeHead(answer.status, headers);
    res.end();
  }
}

export interface RestHandlerDeps {
  world: FakeWorld;
  effects: RestEffects;
  scripts: ScriptedResponses;
  log: WatchedLog<RecordedRequest>;
  /** Expected bot token; when set, a different one gets 401 like a revoked token would. */
  token: string | null;
  verbose: boolean;
}

export async function handleRest(req: IncomingMessage, res: ServerResponse, deps: RestHandlerDeps): Promise<void> {
  const url = new URL(req.url ?? "/", "http://fake.invalid");
  const rawPath = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
  const path = decodePath(rawPath);
  const method = (req.method ?? "GET").toUpperCase();
  const headers = headersOf(req);
  const { body, files } = parseBody(await readBody(req), headers["content-type"] ?? "");

  const answer = ((): RouteResponse => {
    if (!url.pathname.startsWith(API_PREFIX)) return { status: 404, body: { code: 0, message: "404: Not Found" } };
    const scripted = deps.scripts.take({ method, path });
    if (scripted) return { status: scripted.status, body: scripted.body, headers: scripted.headers ?? {} };
    const matched = router.match(method, path);
    if (!matched) return { status: 404, body: { code: 0, message: `404: Not Found (the fake has no route for ${method} ${path})` } };
    if (matched.route.auth) {
      const auth = headers.authorization;
      if (!auth || (deps.token !== null && auth !== `Bot ${deps.token}`)) return { status: 401, body: { code: 0, message: "401: Unauthorized" } };
    }
    try {
      return matched.route.handler({ method, path, params: matched.params, query: url.searchParams, body, files }, deps.world, deps.effects);
    } catch (error) {
      // A bug in the fake should fail loudly in the test, not hang it.
      return { status: 500, body: { code: 0, message: `fake-discord route crashed: ${String(error)}` } };
    }
  })();

  const reason = headers["x-audit-log-reason"];
  deps.log.push({
    index: deps.log.all.length,
    method,
    path,
    rawPath,
    query: Object.fromEntries(url.searchParams),
    headers,
    authorized: headers.authorization !== undefined,
    auditLogReason: reason !== undefined ? decodeURIComponent(reason) : null,
    body,
    files,
    status: answer.status,
    at: Date.now(),
  });
  if (deps.verbose) process.stderr.write(`[fake-discord] REST ${method} ${path} -> ${answer.status}\n`);
  send(res, answer);
  if (answer.after) setImmediate(answer.after);
}
