import type { PeriodKind } from "../../engine/calendar.js";
import type { WebBoard, WebBoardRow } from "../../engine/web/web-board.service.js";
import { html, type SafeHtml } from "./html.js";
import { STYLESHEET_VERSION } from "./stylesheet.js";

/**
 * The pages as HTML strings: the board, and the one "not found" page every unknown or switched-off
 * address gets. No script, no inline style, nothing from another origin; every member-typed text
 * goes through {@link html}, which escapes it.
 */
export interface PagePaths {
  /** Where the plugin is mounted (fastify's prefix, "" at the root). */
  base: string;
}

const TABS: readonly { period: PeriodKind; label: string }[] = [
  { period: "week", label: "This week" },
  { period: "month", label: "This month" },
  { period: "all", label: "All time" },
];

/** Rank cards drawn inline above the table: a phone shows three without much scrolling. */
const CARDS_SHOWN = 3;

export function stylesheetPath(paths: PagePaths): string {
  return `${paths.base}/c/-/board.css?v=${STYLESHEET_VERSION}`;
}

export function cardPath(paths: PagePaths, slug: string, period: PeriodKind, rank: number): string {
  return `${paths.base}/c/${slug}/card/${rank}.png?period=${period}`;
}

function layout(paths: PagePaths, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<link rel="stylesheet" href="${stylesheetPath(paths)}">
<link rel="icon" href="${paths.base}/c/-/icon.svg" type="image/svg+xml">
</head>
<body>
<div class="page">
${body}
</div>
</body>
</html>
`.value;
}

export function boardPage(paths: PagePaths, board: WebBoard): string {
  const tabs = TABS.map(
    (t) => html`<li><a href="?period=${t.period}"${t.period === board.period ? html` aria-current="page"` : ""}>${t.label}</a></li>`,
  );
  const cards = board.rows.slice(0, CARDS_SHOWN).map(
    (r) => html`<img src="${cardPath(paths, board.slug, board.period, r.rank)}" width="934" height="282" loading="lazy" alt="Rank card of ${r.name}: rank ${r.rank}, level ${r.level}">`,
  );
  const table = board.rows.length
    ? html`<table class="board">
<caption>Top ${board.rows.length} — ${board.label}</caption>
<thead><tr><th scope="col" class="rank">Rank</th><th scope="col">Member</th><th scope="col" class="num">Points</th><th scope="col" class="level">Level</th></tr></thead>
<tbody>
${board.rows.map((r) => row(paths, board, r))}</tbody>
</table>`
    : html`<p class="empty">No points yet for ${board.label}.</p>`;
  const honors = board.honors
    ? html`<section aria-labelledby="honors"><h2 id="honors">Honors — ${board.honors.label}</h2>
<ul class="honor-list">
${board.honors.list.map((h) => html`<li>${h.emoji} ${h.title}: <strong>${h.name}</strong> (${h.value})</li>\n`)}</ul>
</section>`
    : "";
  const talks = board.talks ? html` · <a href="${paths.base}/c/${board.slug}/talks.ics">Upcoming talks (iCal)</a>` : "";
  return layout(
    paths,
    `${board.slug} — leaderboard, ${board.label}`,
    html`<header>
<h1>${board.slug}</h1>
<p class="subtitle">Leaderboard — ${board.label}</p>
</header>
<nav aria-label="Period"><ul class="tabs">${tabs}</ul></nav>
<main>
${cards.length ? html`<div class="cards">${cards}</div>` : ""}
${table}
${honors}
</main>
<footer><p>Levels come from all-time points. Members who asked not to be listed are left out.${talks}</p></footer>`,
  );
}

function row(paths: PagePaths, board: WebBoard, r: WebBoardRow): SafeHtml {
  const honors = r.honors.length
    ? html`<span class="honors">${r.honors.map((h, i) => html`${i ? " " : ""}<span title="${h.title}">${h.emoji}${h.count > 1 ? html`×${h.count}` : ""}</span>`)}<span class="visually-hidden"> (${r.honors.map((h) => `${h.title}${h.count > 1 ? ` ×${h.count}` : ""}`).join(", ")})</span></span>`
    : "";
  return html`<tr data-rank="${r.rank}"><td class="rank">${r.rank}</td><td class="name"><span class="member">${r.name}</span>${honors}<a class="card-link" href="${cardPath(paths, board.slug, board.period, r.rank)}">Rank card</a></td><td class="num">${r.points}</td><td class="level">${r.level}</td></tr>\n`;
}

/** The one answer for an unknown slug, a page that is off, and a card past the board's end. */
export function notFoundPage(paths: PagePaths): string {
  return layout(paths, "Not found", html`<main><h1>Not found</h1><p>There is no page at this address.</p></main>`);
}

export function badRequestPage(paths: PagePaths, message: string): string {
  return layout(paths, "Bad request", html`<main><h1>Bad request</h1><p>${message}</p><p><a href="?period=week">This week's leaderboard</a></p></main>`);
}
