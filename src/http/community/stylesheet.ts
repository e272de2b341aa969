import { createHash } from "node:crypto";

/**
 * The pages' one stylesheet, served from the same origin (`/c/-/board.css`) so the CSP can say
 * `style-src 'self'` and forbid inline styles. Phone first: one column, the table's name column
 * takes what is left and wraps, nothing has a fixed width wider than a small phone, and pictures
 * shrink to fit. The colours follow the rank cards' and the reader's light or dark preference.
 */
export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #f6f7fb; --card: #ffffff; --text: #1d2030; --muted: #5c6278; --line: #dfe2ec; --accent: #5865f2; --accent-text: #ffffff;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #1e1f29; --card: #2b2d3a; --text: #f2f3f5; --muted: #a3a7b8; --line: #3b3e4e; --accent: #7983f5; --accent-text: #10121a; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
.page { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
.subtitle { margin: 0 0 1rem; color: var(--muted); }
a { color: var(--accent); }
.tabs { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; margin: 0 0 1rem; padding: 0; }
.tabs a {
  display: inline-block; padding: 0.45rem 0.9rem; border-radius: 999px; border: 1px solid var(--line);
  background: var(--card); color: var(--text); text-decoration: none;
}
.tabs a[aria-current="page"] { background: var(--accent); border-color: var(--accent); color: var(--accent-text); font-weight: 600; }
.cards { display: grid; gap: 0.75rem; margin: 0 0 1rem; }
.cards img { display: block; width: 100%; max-width: 934px; height: auto; border-radius: 12px; }
.board { width: 100%; border-collapse: collapse; table-layout: fixed; background: var(--card); border-radius: 12px; overflow: hidden; }
.board caption { text-align: left; color: var(--muted); padding: 0 0 0.5rem; }
.board th, .board td { padding: 0.55rem 0.5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
.board thead th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.board tbody tr:last-child td { border-bottom: 0; }
.board .rank { width: 3rem; font-variant-numeric: tabular-nums; }
.board .num { width: 4.5rem; text-align: right; font-variant-numeric: tabular-nums; }
.board .level { width: 3.5rem; text-align: right; font-variant-numeric: tabular-nums; }
.board .name { overflow-wrap: anywhere; }
.board .honors { display: block; color: var(--muted); font-size: 0.85rem; }
.board .card-link { display: block; font-size: 0.85rem; }
.empty { background: var(--card); border-radius: 12px; padding: 1rem; }
.honor-list { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; }
.honor-list li { background: var(--card); border-radius: 10px; padding: 0.6rem 0.8rem; overflow-wrap: anywhere; }
footer { margin: 2rem 0 1rem; color: var(--muted); font-size: 0.9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 30rem) {
  .page { padding: 0.75rem; }
  .board th, .board td { padding: 0.5rem 0.3rem; }
  .board thead th { font-size: 0.7rem; letter-spacing: 0; }
  .board .rank { width: 2.8rem; }
  .board .num { width: 3.8rem; }
  .board .level { width: 3.2rem; }
}
`.trimStart();

/** A short content hash: the stylesheet's URL carries it, so it can be cached for good. */
export const STYLESHEET_VERSION = createHash("sha256").update(STYLESHEET).digest("base64url").slice(0, 10);

/**
 * The pages' icon, so a browser's own request for one is answered from here rather than by a 404
 * (and no data: URL is needed, which the CSP would refuse): a ringed badge in the cards' accent.
 */
export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#5865f2"/><circle cx="32" cy="32" r="23" fill="#2b2d3a"/><path d="M22 20h20v6a10 10 0 0 1-20 0z M29 36h6v6h5v4H24v-4h5z" fill="#f2f3f5"/></svg>
`;
