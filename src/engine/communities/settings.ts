import { IANAZone } from "luxon";
import { z } from "zod";
import { webSettingsSchema } from "../web/web-settings.js";

/**
 * A community's settings: one zod schema gives the defaults, validates what is stored, and drives
 * `/config set` (every key below is settable; see `settings-keys.ts`).
 */
const namespacedId = z.string().regex(/^(discord|slack|console):[^:]+:.+$/);
const points = (def: number, max = 1000) => z.number().int().min(0).max(max).default(def);

export const timezoneSchema = z.string().refine((tz) => IANAZone.isValidZone(tz), "an IANA timezone such as Europe/Berlin");

/** Rotation periods are powers of two so that the tiers nest (docs/sponsors.md: why that makes the rotation exact). */
export const SPONSOR_WEEKS = [1, 2, 4, 8, 16, 32] as const;
const sponsorWeeks = (def: number) =>
  z
    .number()
    .int()
    .refine((n) => (SPONSOR_WEEKS as readonly number[]).includes(n), `one of ${SPONSOR_WEEKS.join(", ")} (weeks)`)
    .default(def);

export const currencySchema = z.string().refine((code) => /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf("currency").includes(code), "an ISO 4217 currency code such as USD, EUR or GBP");

export const settingsSchema = z.object({
  /** IANA timezone: days for caps, weeks for boards, and times shown in the console. */
  timezone: timezoneSchema.default("UTC"),
  channels: z
    .object({
      announcements: namespacedId.nullable().default(null),
      modQueue: namespacedId.nullable().default(null),
      talks: namespacedId.nullable().default(null),
      /** Where code-review requests are posted as cards with a Claim button (/review request needs it). */
      reviews: namespacedId.nullable().default(null),
      /** Where member feedback goes to organizers (none: talks.organizersChannel, then channels.modQueue). */
      feedback: namespacedId.nullable().default(null),
    })
    .prefault({}),
  points: z
    .object({
      post: points(5),
      reply: points(2),
      reactionReceived: points(1),
      thanksReceived: points(10),
      /** At most one message award per member per this many seconds. */
      messageCooldownSeconds: points(60, 86_400),
      /** Activity points (posts, replies, reactions, thanks) per member per community-local day. */
      dailyCap: points(200, 1_000_000),
      /** How many thanks a member may give per day that earn the receiver points. */
      thanksPerDay: points(5, 1000),
      /** Channels where activity earns nothing. */
      noPointsChannels: z.array(namespacedId).default([]),
    })
    .prefault({}),
  levels: z
    .object({
      /** Post a congratulation when a member reaches a new level. */
      announce: z.boolean().default(true),
      /** Roles granted at levels (Discord): `{ level: 5, role: "discord:<guild>:&<role>" }`. */
      roleRewards: z
        .array(z.object({ level: z.number().int().min(1).max(1000), role: namespacedId }))
        .max(25)
        .default([]),
    })
    .prefault({}),
  talks: z
    .object({
      /** Where talk proposals go for organizers (none: the mod queue channel). */
      organizersChannel: namespacedId.nullable().default(null),
      /** Minutes before a talk starts that a reminder is posted (and DMed to Going members who asked). */
      reminderMinutes: z.array(z.number().int().min(1).max(43_200)).max(5).default([1440, 15]),
      /** Minutes in the talk's voice channel during the talk that count as attending (Discord). */
      attendanceMinutes: points(10, 600),
      speakerPoints: points(50),
      attendeePoints: points(10),
    })
    .prefault({}),
  moderation: z
    .object({
      /** Score every message and send low-quality ones and reported ones to the review queue. */
      enabled: z.boolean().default(true),
      /** Messages a community must have seen before the adaptive z-score rule replaces the fixed threshold. */
      warmup: z.number().int().min(0).max(1_000_000).default(200),
      /** Flag a message when z = (q − μ) / σ is below this (after the warm-up). */
      zThreshold: z.number().min(-10).max(0).default(-2),
      /** During the warm-up, flag a message whose quality score q (0–1) is below this. */
      fixedThreshold: z.number().min(0).max(1).default(0.4),
      /** Words and phrases that flag a message at once (matched through l33t spellings and spacing). */
      bannedWords: z.array(z.string().min(1).max(60)).max(200).default([]),
      /** Weighted member reports that send a message to the queue (a new member's report weighs 1). */
      reportThreshold: z.number().min(0.5).max(100).default(3),
      /** Points "Remove and penalise" takes from the author, on top of what the message earned. */
      penalty: points(10),
    })
    .prefault({}),
  digest: z
    .object({
      /** Post the weekly digest (it also needs `channels.announcements`). */
      enabled: z.boolean().default(true),
      /** ISO weekday it is posted on, in the community's timezone: 1 Monday … 7 Sunday. */
      day: z.number().int().min(1).max(7).default(1),
      /** Local time it is posted at, `HH:MM`. */
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).default("09:00"),
      /** Hours after its slot that a missed digest is still posted (on start); past that it is skipped. */
      graceHours: z.number().int().min(0).max(168).default(24),
      /** Further channels it is posted in besides `channels.announcements` (another platform's, say). */
      channels: z.array(namespacedId).max(5).default([]),
      /** Which honors the digest awards. */
      honors: z.array(z.enum(["contributor", "helpful", "newcomer", "attendee"])).default(["contributor", "helpful", "newcomer", "attendee"]),
      /** A Discord role per honor, held by the week's winner until the next digest: `{ honor: "contributor", role: "discord:<guild>:&<role>" }`. */
      honorRoles: z
        .array(z.object({ honor: z.enum(["contributor", "helpful", "newcomer", "attendee"]), role: namespacedId }))
        .max(4)
        .default([]),
    })
    .prefault({}),
  sponsors: z
    .object({
      /** Weeks within which each tier's sponsors are shown in the rotation (powers of two; see docs/sponsors.md). */
      goldWeeks: sponsorWeeks(1),
      silverWeeks: sponsorWeeks(2),
      bronzeWeeks: sponsorWeeks(4),
      /** β of the sponsor ledger E_t = E_{t−1} + β·R_t. */
      beta: z.number().min(0).max(1000).default(1),
      /** ISO 4217 code contributions are recorded in (each row keeps its own). */
      currency: currencySchema.default("USD"),
    })
    .prefault({}),
  knowledge: z
    .object({
      /** Points for the author of an accepted answer, once per question, outside the daily cap. */
      solutionPoints: z.number().int().min(0).max(10_000).default(15),
      /** Help channels: a new question there that closely matches a solved one gets a quiet "this may help" reply. */
      helpChannels: z.array(namespacedId).max(50).default([]),
      /** Whether help channels get the "this may help" reply (off by default). */
      suggest: z.boolean().default(false),
    })
    .prefault({}),
  reviews: z
    .object({
      /** Points for the reviewer when the requester marks a review done, outside the daily cap. */
      points: z.number().int().min(0).max(10_000).default(20),
      /** Hours a claim may stay unfinished before it is released. */
      claimHours: z.number().int().min(1).max(24 * 30).default(48),
    })
    .prefault({}),
  economy: z
    .object({
      /** Percent of a tip the receiver gets (the author share); the rest, the platform share, goes to the community pool. */
      authorShare: z.number().int().min(0).max(100).default(90),
      /** Points a member (a person, across linked platforms) may give in tips per ISO week. */
      weeklyAllowance: z.number().int().min(0).max(1_000_000).default(50),
      /** Points one person may tip one other person per ISO week. */
      pairWeeklyCap: z.number().int().min(0).max(1_000_000).default(25),
      /** Tips between one pair, both ways, within 7 days that send the pair to the moderators' queue (0: never). */
      collusionTips: z.number().int().min(0).max(1000).default(6),
      /** Smallest bounty. */
      minBounty: z.number().int().min(1).max(1_000_000).default(5),
      /** Days an unawarded bounty stays open before it expires and is refunded. */
      bountyDays: z.number().int().min(1).max(365).default(7),
    })
    .prefault({}),
  /** The public web pages (src/engine/web/): the address, the leaderboard and the talks feed. */
  web: webSettingsSchema,
  roles: z
    .object({
      /** Roles / user groups (`<platform>:<workspace>:&<id>`) or member ids that count as moderators. */
      moderators: z.array(namespacedId).default([]),
      organizers: z.array(namespacedId).default([]),
      admins: z.array(namespacedId).default([]),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings = (): Settings => settingsSchema.parse({});
