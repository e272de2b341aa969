import Fastify, { type FastifyInstance } from "fastify";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { communityPages } from "../../src/http/community/index.js";
import { STYLESHEET_VERSION } from "../../src/http/community/stylesheet.js";
import type { TestEngine } from "../helpers/engine.js";
import { decodePicture, looksDrawn } from "../helpers/png.js";
import { listening, pagesApp } from "./community-app.js";
import { configure, seededWorld, SLUG } from "./community-world.js";

const CSP = "default-src 'none';img-src 'self';style-src 'self';frame-ancestors 'none';base-uri 'none';form-action 'none'";

/** The names in the board's table, top to bottom, as the HTML has them (still escaped). */
function tableNames(body: string): string[] {
  return [...body.matchAll(/<span class="member">(.*?)<\/span>/g)].map((m) => m[1]!);
}

const ESCAPED_EVE = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;eve&#39;";

describe("the community pages over HTTP", () => {
  let t: TestEngine;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await seededWorld();
    app = await pagesApp(t);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it("GIVEN the board is on THEN /c/<slug> is a server-rendered HTML page with the strict security headers", async () => {
    const res = await app.inject({ method: "GET", url: `/c/${SLUG}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["content-security-policy"]).toBe(CSP);
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["cross-origin-resource-policy"]).toBe("same-origin");
    expect(res.headers["cache-control"]).toBe("public, max-age=60");
    expect(res.headers["x-robots-tag"]).toBe("noindex, nofollow");
    expect(res.headers["x-ratelimit-limit"]).toBe("120");
    const body = res.body;
    expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(body).toContain(`<link rel="stylesheet" href="/c/-/board.css?v=${STYLESHEET_VERSION}">`);
    // No script, no inline style, nothing from another origin.
    expect(body).not.toMatch(/<script|style=|<style|https?:\/\//i);
    expect(body).toContain('<a href="?period=week" aria-current="page">This week</a>');
    expect(body).toContain('<a href="?period=month">This month</a>');
    expect(tableNames(body)).toEqual(["ada", ESCAPED_EVE, "bob"]);
    expect(body).toContain(`<img src="/c/${SLUG}/card/1.png?period=week" width="934" height="282" loading="lazy" alt="Rank card of ada: rank 1, level 0">`);
    expect(body).toContain(`<a href="/c/${SLUG}/talks.ics">Upcoming talks (iCal)</a>`);
  });

  it("GIVEN a display name made of markup THEN it is escaped wherever it appears: the table, the card's alt text and the honors", async () => {
    const body = (await app.inject({ method: "GET", url: `/c/${SLUG}?period=all` })).body;
    expect(body).not.toContain("<script>alert");
    expect(body).not.toContain("<img src=x");
    expect(body).not.toContain("'eve'");
    expect(body).toContain(`<span class="member">${ESCAPED_EVE}</span>`);
    expect(body).toContain(`alt="Rank card of ${ESCAPED_EVE}: rank 3, level 0"`);
    expect(body).toContain(`<li>🤝 Most helpful: <strong>${ESCAPED_EVE}</strong> (thanked 1 time)</li>`);
    // Dan hid: neither his row nor his two honors of week 47.
    expect(body).not.toContain("dan");
    expect(body).toContain("Honors — week 47 of 2026");
  });

  it("GIVEN ?period=month or all THEN that board and tab; another period is a 400 that says which are accepted", async () => {
    const month = (await app.inject({ method: "GET", url: `/c/${SLUG}?period=month` })).body;
    expect(tableNames(month)).toEqual(["bob", ESCAPED_EVE, "ada"]);
    expect(month).toContain('<a href="?period=month" aria-current="page">This month</a>');
    expect(month).toContain("Top 3 — November 2026");
    expect(tableNames((await app.inject({ method: "GET", url: `/c/${SLUG}?period=all` })).body)).toEqual(["cat", "bob", ESCAPED_EVE, "ada"]);
    for (const url of [`/c/${SLUG}?period=year`, `/c/${SLUG}?period=week&period=all`]) {
      const bad = await app.inject({ method: "GET", url });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers["cache-control"]).toBe("no-store");
      expect(bad.body).toContain("The period must be week, month or all.");
    }
  });

  it("GIVEN an unknown slug, a malformed one or a page that is off THEN the same 404 page, never cached", async () => {
    const unknown = await app.inject({ method: "GET", url: "/c/no-such-community" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(unknown.headers["cache-control"]).toBe("no-store");
    expect(unknown.headers["content-security-policy"]).toBe(CSP);
    for (const url of ["/c/Rust-Berlin", "/c/%3Cscript%3E", `/c/${SLUG}/card/0.png`, `/c/${SLUG}/card/4.png`, `/c/${SLUG}/card/1.jpg`, `/c/${SLUG}/card/100.png`, "/c/no-such-community/talks.ics", "/c/no-such-community/card/1.png"]) {
      const res = await app.inject({ method: "GET", url });
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.body).toBe(unknown.body);
    }
    await configure(t, { "web.leaderboard": "off", "web.talks": "off" });
    try {
      for (const url of [`/c/${SLUG}`, `/c/${SLUG}/card/1.png`, `/c/${SLUG}/talks.ics`]) {
        const res = await app.inject({ method: "GET", url });
        expect([url, res.statusCode, res.body]).toEqual([url, 404, unknown.body]);
      }
    } finally {
      await configure(t, { "web.leaderboard": "on", "web.talks": "on" });
    }
  });

  it("GIVEN a rank on the board THEN its card is a PNG with an ETag; asked again with that tag, a 304", async () => {
    const res = await app.inject({ method: "GET", url: `/c/${SLUG}/card/1.png?period=month` });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expect(res.headers["cache-control"]).toBe("public, max-age=60");
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const picture = await decodePicture(res.rawPayload);
    expect([picture.width, picture.height]).toEqual([934, 282]);
    expect(looksDrawn(picture)).toBe(true);
    const again = await app.inject({ method: "GET", url: `/c/${SLUG}/card/1.png?period=month`, headers: { "if-none-match": etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    // Another rank is another card.
    const second = await app.inject({ method: "GET", url: `/c/${SLUG}/card/2.png?period=month` });
    expect(second.headers.etag).not.toBe(etag);
  });

  it("GIVEN the stylesheet's versioned address THEN CSS cached for good; the icon is served too", async () => {
    const res = await app.inject({ method: "GET", url: `/c/-/board.css?v=${STYLESHEET_VERSION}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.body).toContain(".board");
    expect((await app.inject({ method: "GET", url: "/c/-/board.css?v=old" })).headers["cache-control"]).toBe("public, max-age=300");
    // The icon a browser asks for is answered here, not by a 404.
    const icon = await app.inject({ method: "GET", url: "/c/-/icon.svg" });
    expect([icon.statusCode, icon.headers["content-type"]]).toEqual([200, "image/svg+xml"]);
  });

  it("GIVEN the talks feed is on THEN talks.ics is text/calendar that ical.js parses, holding the upcoming talk", async () => {
    const res = await app.inject({ method: "GET", url: `/c/${SLUG}/talks.ics` });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/calendar; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe(`inline; filename="${SLUG}-talks.ics"`);
    const calendar = new ICAL.Component(ICAL.parse(res.body));
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe(`${SLUG} talks`);
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.summary, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()])).toEqual([
      ["Profiling <async> code & more", "2026-12-02T18:00:00.000Z", "2026-12-02T18:45:00.000Z"],
    ]);
  });

  it("GIVEN the plugin registered beside another route THEN its headers and limit stay inside its scope", async () => {
    const server = Fastify();
    server.get("/health", async () => "ok");
    await server.register(communityPages({ web: t.engine.services.web, rateLimit: { max: 1, timeWindowMs: 60_000 } }));
    try {
      const health = await server.inject({ method: "GET", url: "/health" });
      expect(health.headers["content-security-policy"]).toBeUndefined();
      expect(health.headers["x-ratelimit-limit"]).toBeUndefined();
      for (let i = 0; i < 3; i++) expect((await server.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
      expect((await server.inject({ method: "GET", url: `/c/${SLUG}` })).headers["content-security-policy"]).toBe(CSP);
    } finally {
      await server.close();
    }
  });

  it("GIVEN a prefix THEN the page's own links carry it", async () => {
    const server = Fastify();
    await server.register(communityPages({ web: t.engine.services.web }), { prefix: "/web" });
    try {
      const body = (await server.inject({ method: "GET", url: `/web/c/${SLUG}` })).body;
      expect(body).toContain(`href="/web/c/-/board.css?v=${STYLESHEET_VERSION}"`);
      expect(body).toContain(`src="/web/c/${SLUG}/card/1.png?period=week"`);
    } finally {
      await server.close();
    }
  });
});

describe("the community pages' rate limit", () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await seededWorld();
  });
  afterAll(async () => t?.close());

  it("GIVEN more requests from one address than the limit THEN 429 with Retry-After, while another address is still served", async () => {
    const app = await pagesApp(t, { rateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const from = (remoteAddress: string, url = `/c/${SLUG}`) => app.inject({ method: "GET", url, remoteAddress });
      for (let i = 0; i < 3; i++) expect((await from("203.0.113.7")).statusCode).toBe(200);
      // Every page counts: a card, the stylesheet and a 404 alike.
      const limited = await from("203.0.113.7", `/c/${SLUG}/card/1.png`);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
      expect(limited.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(limited.headers["cache-control"]).toBe("no-store");
      expect(limited.body).toBe("Too many requests: wait a moment and try again.\n");
      expect((await from("203.0.113.7", "/c/nowhere")).statusCode).toBe(429);
      expect((await from("198.51.100.2")).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("GIVEN a real socket THEN the page is served over HTTP, HEAD included", async () => {
    const { app, base } = await listening(t);
    try {
      const res = await fetch(`${base}/c/${SLUG}?period=all`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-security-policy")).toBe(CSP);
      expect(await res.text()).toContain('<span class="member">cat</span>');
      const head = await fetch(`${base}/c/${SLUG}`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-type")).toBe("text/html; charset=utf-8");
    } finally {
      await app.close();
    }
  });
});
