/**
 * Every weight of the quality score, in one table (docs/moderation.md explains each). The score
 * starts at {@link BASE} and each feature that fires adds its weight; the sum is clamped to 0–1.
 *
 * The weights are deliberately coarse: a feature either says something strong about a message
 * (keyboard mash, a filler-only bump, a caps rant) or nothing at all. Shortness alone costs almost
 * nothing, so a one-word answer in a thread, a thanks or a message in a script without spaces is
 * never pushed towards the threshold by being short.
 */
export const BASE = 0.55;

export const WEIGHTS = {
  /** Fewer than 4 letters (CJK characters count 3 each), no code and no link. */
  veryShort: -0.05,
  /** At least 40 letters. */
  substantial: 0.05,
  /** At least 120 letters (instead of `substantial`). */
  long: 0.1,
  /** Mostly symbols: under 40 % letters and at least 60 % neither letters nor digits (links, code, emoji left out). */
  fewLetters: -0.2,
  /** Over 70 % of the cased letters are capitals, and at least 8 of them in words of 5+ letters (code and links left out). */
  shouting: -0.35,
  /** Nothing but a link (not to documentation): says little, but is often a fair answer. */
  linkOnly: -0.08,
  /** A Discord or other chat invite link. */
  invite: -0.3,
  /** 3 to 5 members mentioned. */
  manyMentions: -0.15,
  /** @everyone / @here / <!channel> typed by a member (moderators use it fairly too; with a link it is a hard rule). */
  massPing: -0.1,
  /** The same text by the same member once before within the window. */
  repeated: -0.25,
  /** … three times or more. */
  repeatedOften: -0.4,
  /** Only "+1", "bump", "any update?", "same problem" and the like. */
  filler: -0.35,
  /** Only "thanks" (in any of a dozen languages): gratitude is fine, it just adds little. */
  thanksOnly: -0.05,
  /** Keyboard mash or very low character entropy. */
  mash: -0.45,
  /** Scam wording ("free nitro", "double your BTC", "seed phrase"). */
  scamWords: -0.35,
  /** Promotion wording ("join my server", "promo code"). */
  promoWords: -0.2,
  /** A fenced code block. */
  codeBlock: 0.2,
  /** Inline `code`. */
  inlineCode: 0.08,
  /** A link to documentation, a repository, an issue tracker or a Q&A site. */
  docLink: 0.12,
} as const;

export type FeatureName = keyof typeof WEIGHTS;

/** Thresholds the features use, named so the docs and tests can refer to them. */
export const LIMITS = {
  veryShortLetters: 4,
  substantialLetters: 40,
  longLetters: 120,
  fewLettersShare: 0.4,
  fewLettersSymbolShare: 0.6,
  fewLettersMinVisible: 8,
  shoutingShare: 0.7,
  /** Capitals in words of 5+ letters: "AWS ECS RDS IAM setup" is not shouting, "I HATE JAVASCRIPT" is. */
  shoutingMinLongUpper: 8,
  manyMentions: 3,
  /** Mentions that make a mention storm (a hard rule). */
  mentionStorm: 6,
  /** One character repeated this often in a row, and as at least half the message, is mash ("aaaaaa", "!!!!!!!!"; not "works!!!!!!"). */
  runLength: 6,
  /** Bits per character under which a text of at least `entropyMinLength` is low-entropy. */
  entropyBits: 2.0,
  entropyMinLength: 12,
  /** An invite with fewer letters than this around it is invite spam (a hard rule). */
  inviteSpamLetters: 40,
  /** Distinct channels the same text must reach within the window to be duplicate spam (2 with a link). */
  duplicateChannels: 3,
  duplicateChannelsWithLink: 2,
  /** How far back "the same text" looks, in ms. */
  repeatWindowMs: 10 * 60_000,
  /** Texts shorter than this are never compared for repeats ("ok" twice is not spam). */
  repeatMinLength: 12,
  /**
   * Characters of a message the features read (Discord's own limit; a Slack message can be 40 000).
   * Scoring runs on the hot path: past this, more text says nothing more about quality, and a huge
   * message must cost what a long one does. Banned words are still searched in all of it.
   */
  scoredChars: 4_000,
} as const;
