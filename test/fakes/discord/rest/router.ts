/**
 * Route table for the fake REST API: "METHOD /path/:param" patterns over the decoded path (prefix `/api/v10`
 * already removed), handlers that get the world and return a status + JSON body.
 */
import type { RecordedFile } from "../types.js";
import type { FakeWorld } from "../world.js";

export type RoleGrantPolicy = "allow" | "refuse" | ((grant: { guildId: string; userId: string; roleId: string }) => boolean);

/** What REST handlers may do besides answering: tell the gateway what Discord would announce. */
export interface RestEffects {
  /** Dispatch over the gateway if the client subscribed to it (intents); never throws. */
  echo(t: string, d: unknown): void;
  /** Whether echoing bot-created messages is on (FakeDiscordOptions.echoBotMessages). */
  readonly echoBotMessages: boolean;
  /** The websocket URL handed out by GET /gateway/bot (the port is known only once listening). */
  gatewayUrl(): string;
  roleGrantPolicy: RoleGrantPolicy;
}

export interface RouteRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Runs after the answer is written, e.g. the MESSAGE_CREATE echo (Discord sends both; order is not guaranteed). */
  after?: () => void;
}

export type RouteHandler = (req: RouteRequest, world: FakeWorld, effects: RestEffects) => RouteResponse;

export interface Route {
  method: string;
  pattern: string;
  /** Interaction callbacks and webhook-token routes are sent without Authorization; Discord accepts them so. */
  auth: boolean;
  handler: RouteHandler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export function route(method: string, pattern: string, handler: RouteHandler, auth = true): Route {
  return { method, pattern, handler, auth };
}

/** Discord's error body: `{ code, message }`; see the docs' "JSON Error Codes" table. */
export function apiError(status: number, code: number, message: string): RouteResponse {
  return { status, body: { code, message } };
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((r) => {
      const names: string[] = [];
      const source = r.pattern
        .split("/")
        .map((segment) => {
          if (segment.startsWith(":")) {
            names.push(segment.slice(1));
            return "([^/]+)";
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/");
      return { ...r, regex: new RegExp(`^${source}$`), names };
    });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.names.forEach((name, i) => {
        params[name] = m[i + 1] ?? "";
      });
      return { route: r, params };
    }
    return null;
  }
}
