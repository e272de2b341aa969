import { createHash } from "node:crypto";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import type { FastifyError, FastifyPluginAsync, FastifyReply } from "fastify";
import { z } from "zod";
import type { PeriodKind } from "../../engine/calendar.js";
import { renderRankCard } from "../../engine/pictures/index.js";
import type { WebBoardService } from "../../engine/web/web-board.service.js";
import { CardCache } from "./card-cache.js";
import { badRequestPage, boardPage, notFoundPage, type PagePaths } from "./pages.js";
import { ICON_SVG, STYLESHEET, STYLESHEET_VERSION } from "./stylesheet.js";

/** What the community pages need: the web capability's reads (`engine.services.web`) and limits. */
export interface CommunityPagesDeps {
  web: Pick<WebBoardService, "open" | "board" | "card" | "talks">;
  /** Requests per IP per window, over all of these pages together; default {@link DEFAULT_RATE_LIMIT}. */
  rateLimit?: { max: number; timeWindowMs: number };
  /** The domain in each talk's calendar UID (`<talk>@<domain>`); talks-ical.ts's default otherwise. */
  calendarDomain?: string;
}

/**
 * 120 a minute: a visitor's page with its stylesheet and three cards is five requests, so this is
 * some twenty tab switches a minute per address — far above a reader, far below a scraper's pace.
 */
export const DEFAULT_RATE_LIMIT = { max: 120, timeWindowMs: 60_000 } as const;

/** Pages and cards may be a minute old: a `/privacy hide` or new points show within that. */
const FRESH = "public, max-age=60";
/** Errors are never cached: a page switched on must appear at once. */
const NO_STORE = "no-store";

const periodQuery = z.object({ period: z.enum(["week", "month", "all"]).default("week") });
const CARD_FILE = /^([1-9][0-9]?)\.png$/;

/**
 * The public community pages as one fastify plugin, for the HTTP server to register
 * (`app.register(communityPages({ web: engine.services.web }))`):
 *
 * - `GET /c/<slug>?period=week|month|all` — the leaderboard (`web.leaderboard`), server-rendered;
 * - `GET /c/<slug>/card/<rank>.png?period=…` — the rank card of whoever the page shows at `rank`;
 * - `GET /c/<slug>/talks.ics` — upcoming talks as iCalendar (`web.talks`);
 * - `GET /c/-/board.css`, `GET /c/-/icon.svg` — the stylesheet and the icon.
 *
 * An unknown slug and a page that is off get the same 404. Helmet (a CSP allowing only this
 * origin's images and stylesheet, no framing, no referrer) and a per-IP rate limit are registered
 * inside the plugin's own encapsulated scope: they apply to these routes and not to the server's
 * others (health, metrics). Behind a reverse proxy the server must set `trustProxy` for the limit
 * to see visitors' addresses rather than the proxy's.
 */
export function communityPages(deps: CommunityPagesDeps): FastifyPluginAsync {
  return async (app) => {
    const limit = deps.rateLimit ?? DEFAULT_RATE_LIMIT;
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], imgSrc: ["'self'"], styleSrc: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
      },
      frameguard: { action: "deny" },
      referrerPolicy: { policy: "no-referrer" },
      crossOriginResourcePolicy: { policy: "same-origin" },
      // The subdomains are not this plugin's to decide about.
      strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
    });
    await app.register(rateLimit, { max: limit.max, timeWindow: limit.timeWindowMs });

    const paths: PagePaths = { base: app.prefix === "/" ? "" : app.prefix };
    const cards = new CardCache();

    app.addHook("onRequest", async (_request, reply) => {
      // Members' names are public here only for those who have the address: not for search engines.
      reply.header("x-robots-tag", "noindex, nofollow");
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      reply.header("cache-control", NO_STORE).type("text/plain; charset=utf-8");
      // The rate limit has set Retry-After already.
      if (status === 429) return reply.code(429).send("Too many requests: wait a moment and try again.\n");
      if (status < 500) return reply.code(status).send(`${error.message}\n`);
      request.log.error({ err: error }, "community page failed");
      return reply.code(500).send("Something went wrong on our side.\n");
    });

    const notFound = (reply: FastifyReply) => reply.code(404).header("cache-control", NO_STORE).type("text/html; charset=utf-8").send(notFoundPage(paths));
    const period = (query: unknown): PeriodKind | undefined => {
      const parsed = periodQuery.safeParse(query ?? {});
      return parsed.success ? parsed.data.period : undefined;
    };
    const badPeriod = (reply: FastifyReply) =>
      reply.code(400).header("cache-control", NO_STORE).type("text/html; charset=utf-8").send(badRequestPage(paths, "The period must be week, month or all."));

    app.get("/c/-/board.css", async (request, reply) => {
      const current = (request.query as { v?: unknown }).v === STYLESHEET_VERSION;
      return reply.header("cache-control", current ? "public, max-age=31536000, immutable" : "public, max-age=300").type("text/css; charset=utf-8").send(STYLESHEET);
    });

    app.get("/c/-/icon.svg", async (_request, reply) => reply.header("cache-control", "public, max-age=86400").type("image/svg+xml").send(ICON_SVG));

    app.get<{ Params: { slug: string } }>("/c/:slug", async (request, reply) => {
      const community = await deps.web.open(request.params.slug, "leaderboard");
      if (!community) return notFound(reply);
      const kind = period(request.query);
      if (!kind) return badPeriod(reply);
      const board = await deps.web.board(community, kind);
      return reply.header("cache-control", FRESH).type("text/html; charset=utf-8").send(boardPage(paths, board));
    });

    app.get<{ Params: { slug: string; file: string } }>("/c/:slug/card/:file", async (request, reply) => {
      const rank = CARD_FILE.exec(request.params.file)?.[1];
      const community = rank ? await deps.web.open(request.params.slug, "leaderboard") : undefined;
      if (!community) return notFound(reply);
      const kind = period(request.query);
      if (!kind) return badPeriod(reply);
      const input = await deps.web.card(community, kind, Number(rank));
      if (!input) return notFound(reply);
      // The card is a function of its figures: their hash is its ETag, and its key in the cache.
      const etag = `"${createHash("sha256").update(`card-v1\n${JSON.stringify(input)}`).digest("base64url").slice(0, 22)}"`;
      reply.header("cache-control", FRESH).header("etag", etag);
      if (matches(request.headers["if-none-match"], etag)) return reply.code(304).send();
      let png = cards.get(etag);
      if (!png) {
        png = Buffer.from(renderRankCard(input).data, "base64");
        cards.set(etag, png);
      }
      return reply.type("image/png").send(png);
    });

    app.get<{ Params: { slug: string } }>("/c/:slug/talks.ics", async (request, reply) => {
      const community = await deps.web.open(request.params.slug, "talks");
      if (!community) return notFound(reply);
      const ics = await deps.web.talks(community, deps.calendarDomain);
      return reply
        .header("cache-control", "public, max-age=300")
        .header("content-disposition", `inline; filename="${request.params.slug}-talks.ics"`)
        .type("text/calendar; charset=utf-8")
        .send(ics);
    });
  };
}

/** Whether an If-None-Match header names `etag` (a list, weak or not, or `*`). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}
