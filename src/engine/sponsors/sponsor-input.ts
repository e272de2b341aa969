import { z } from "zod";

/**
 * What organizers type about a sponsor, checked with zod before anything is written. Member text
 * is never trusted to be harmless: it is shown through `memberText` (literal on every platform),
 * and here it is also kept to one line without control or bidirectional-override characters, so a
 * name cannot break a list or disguise itself as another.
 */

export const NAME_MAX = 60;
export const BLURB_MAX = 200;
export const URL_MAX = 300;
export const NOTE_MAX = 200;

/** A refusal of what was typed: the message names what was wrong and what is accepted. */
export class SponsorRefusal extends Error {}

// Cc: control characters (line breaks included); the bidi embeddings, overrides and isolates.
const UNSAFE = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const line = (max: number) => z.string().trim().min(1).max(max).refine((s) => !UNSAFE.test(s));

/** A sponsor's name: 1–60 characters on one line. */
export const nameSchema = line(NAME_MAX);
/** A short line about the sponsor: 1–200 characters on one line. */
export const blurbSchema = line(BLURB_MAX);
/** A contribution's note: up to 200 characters on one line. */
export const noteSchema = line(NOTE_MAX);

/**
 * An http(s) address with a host, no user name or password (`https://bank.example@evil.test`
 * reads as one site and goes to another), at most 300 characters.
 */
export const urlSchema = z
  .url({ protocol: /^https?$/, hostname: z.regexes.domain })
  .max(URL_MAX)
  .refine((u) => {
    const parsed = new URL(u);
    return parsed.username === "" && parsed.password === "";
  });

/** The name folded for look-ups: `ACME  Corp` and `acme corp` are one sponsor. */
export function nameKey(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Parses with `schema`, or refuses with `message`. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, message: () => string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new SponsorRefusal(message());
  return parsed.data;
}
