import { z } from "zod";

/**
 * A community's address on the web pages: `/c/<slug>`. Lower-case letters, digits and dashes,
 * 1–40 of them, neither starting nor ending with a dash — so it is one URL path segment that needs
 * no escaping, and never collides with the pages' own `/c/-/…` paths. Unique across communities
 * (the `communities_web_slug` index, migration 20261201_2000_web_privacy).
 */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * The `web.*` settings, declared here with the capability and composed into the community
 * settings schema (communities/settings.ts). Both pages are off until an admin turns them on.
 */
export const webSettingsSchema = z
  .object({
    /** The community's address, `/c/<slug>`; none: no web pages at all. */
    slug: z.string().regex(SLUG_PATTERN).nullable().default(null),
    /** Serve the public leaderboard at `/c/<slug>` (with its rank cards). */
    leaderboard: z.boolean().default(false),
    /** Serve the upcoming talks as an iCalendar feed at `/c/<slug>/talks.ics`. */
    talks: z.boolean().default(false),
  })
  .prefault({});

/** The `web.*` keys `/config set` accepts, with their help lines (merged into settings-keys.ts). */
export const WEB_SETTING_KEYS = {
  "web.slug": { kind: "slug", help: "the web pages' address, /c/<slug>: lower-case letters, digits and dashes, unique (none: no pages)" },
  "web.leaderboard": { kind: "boolean", help: "serve the public web leaderboard at /c/<slug> (default off)" },
  "web.talks": { kind: "boolean", help: "serve upcoming talks as an iCal feed at /c/<slug>/talks.ics (default off)" },
} as const;
