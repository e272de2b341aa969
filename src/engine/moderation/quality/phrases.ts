/**
 * Wording that says something on its own: a message that is only a bump or a "+1", only a
 * thanks, or that carries scam or promotion phrases. The lists are short and general on purpose —
 * they describe kinds of message, not particular spam campaigns.
 *
 * Filler and thanks are matched on the whole message (normalised: lower case, mentions, emoji and
 * punctuation at the ends removed), so "+1, the fix in #42 worked for me on Windows" is not filler.
 */
const FILLER = new Set([
  "+1", "++", "+1 same", "bump", "bumping", "bump pls", "up", "upp", "^", "^^", "^this", "this", "same", "same here", "same problem",
  "same issue", "same error", "same for me", "me too", "metoo", "me 2", "any update", "any updates", "any news", "any progress", "update",
  "updates", "anyone", "anybody", "someone", "following", "subscribed", "subscribe", "?", "??", "???",
  "pls", "plz", "please", "help", "help pls", "help plz", "pls help", "plz help", "still broken", "still not working", "doesnt work", "doesn't work",
]);
const THANKS = new Set([
  "thanks", "thank you", "thank u", "thx", "ty", "tysm", "tyvm", "thanks a lot", "thanks so much", "thank you so much", "many thanks", "cheers",
  "merci", "merci beaucoup", "danke", "danke schön", "danke dir", "gracias", "muchas gracias", "grazie", "obrigado", "obrigada", "dank je",
  "bedankt", "dzięki", "dziękuję", "спасибо", "дякую", "谢谢", "謝謝", "ありがとう", "ありがとうございます", "감사합니다", "teşekkürler", "tack", "kiitos",
]);

const EDGES = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;
const MENTION_MARKUP = /<[@#!][^>]*>|@\S+/g;

/** The message as the phrase lists see it; undefined when it is too long to be only a phrase. */
/** Letters or digits of any script (what a filler phrase's core is made of). */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c >= 0xc0;
}

/** Words in the text (a cheap count, before any regular expression runs). */
function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const w = isWordChar(text.charCodeAt(i));
    if (w && !inWord) words++;
    inWord = w;
  }
  return words;
}

/**
 * Every prefix of every phrase. Whatever form of the message finally matches a phrase (as typed,
 * without its edges, without padding, one word of a repeat, without spaces), it begins with the
 * message's first word — so a first word that begins no phrase ends the look-up before any of the
 * regular expressions below run. Most short messages ("here is how I solved it") end here.
 */
const PREFIXES = new Set([...FILLER, ...THANKS].flatMap((phrase) => Array.from({ length: phrase.length }, (_, i) => phrase.slice(0, i + 1))));
const FIRST_TOKEN = /\S+/;
const isAsciiAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * False only when no phrase can match: the text has no mention (which would be removed first), its
 * first word starts with a letter or digit (punctuation there may be an edge that is removed), and
 * that word — less any trailing punctuation, which an edge may be — begins no phrase.
 */
function mayBePhrase(text: string): boolean {
  if (text.includes("@") || text.includes("<")) return true;
  const token = FIRST_TOKEN.exec(text)?.[0].toLowerCase();
  if (!token || !isAsciiAlnum(token.charCodeAt(0))) return true;
  let end = token.length;
  while (!isAsciiAlnum(token.charCodeAt(end - 1))) end--;
  return PREFIXES.has(token.slice(0, end));
}

export function phraseOnly(text: string): "filler" | "thanks" | undefined {
  // The longest phrase has 5 words; most messages are longer and are turned away here.
  if (text.length > 48 || wordCount(text) > 6 || !mayBePhrase(text)) return undefined;
  return matchPhrase(text);
}

/** The phrase look-up itself, without the quick refusal (exported for the test that they agree). */
export function matchPhrase(text: string): "filler" | "thanks" | undefined {
  const plain = text.replace(MENTION_MARKUP, " ").toLowerCase().replace(/\s+/g, " ").trim();
  // "+1", "?" and "^" are punctuation themselves: try the text as typed, then without its edges.
  const core = plain.replace(EDGES, "");
  // "same problem here", "same issue too", "bump please": the padding adds nothing either.
  const unpadded = core.replace(/\s+(here|too|again|pls|plz|please|guys|all|everyone|on this|for this|on that)$/, "");
  // "bump bump": the same word again adds nothing.
  const once = unpadded.split(" ").every((w, _i, all) => w === all[0]) ? unpadded.split(" ")[0]! : unpadded;
  if (FILLER.has(plain) || FILLER.has(core) || FILLER.has(unpadded) || FILLER.has(once) || FILLER.has(plain.replace(/\s/g, ""))) return "filler";
  if (THANKS.has(core)) return "thanks";
  return undefined;
}

/** Scam wording: each is a pattern seen across many campaigns, not one message. */
const SCAM = new RegExp(
  [
    String.raw`free\s*(discord\s*)?n[i1]tr[o0]`,
    String.raw`n[i1]tr[o0]\s*(for\s*free|giveaway|gift)`,
    String.raw`steam\s*(gift|wallet)\s*(card)?`,
    String.raw`air\s?drop`,
    String.raw`double\s+your\s+(btc|eth|crypto|bitcoin|money|investment)`,
    String.raw`guaranteed\s+(profit|returns?|income)`,
    String.raw`seed\s+phrase`,
    String.raw`connect\s+your\s+wallet`,
    String.raw`wallet\s*connect`,
    String.raw`free\s+mint`,
    String.raw`\b\d{2,4}x\s+(gains?|returns?|profit)`,
    String.raw`investment\s+opportunit`,
    String.raw`passive\s+income`,
    String.raw`(earn|make)\s+\$?\d[\d,.]*k?\s*\$?\s*(usd|dollars)?\s*(per|a|every|/)\s*(day|hour|week)`,
    String.raw`\bonlyfans\b`,
    String.raw`(dm|message|contact)\s+me\s+(for|on)\s+(telegram|whatsapp|details|more\s+info|profit)`,
    String.raw`(telegram|whatsapp)\s*[:@+]`,
    String.raw`crypto\s+(signals?|giveaway|trading\s+bot)`,
    String.raw`forex\s+(signals?|trading)`,
    String.raw`binary\s+options`,
    String.raw`claim\s+(your|now|it\s+now)\b`,
  ].join("|"),
  "i",
);

const PROMO = /join\s+(my|our)\s+(new\s+)?(server|discord|community|channel|group)|check\s+out\s+my\s+(new\s+)?(server|channel|course|store|shop)|subscribe\s+to\s+my|follow\s+me\s+on|promo\s*code|discount\s+code|limited\s+time\s+offer|buy\s+now|cheap\s+(followers|accounts)/i;

export function hasScamWords(text: string): boolean {
  return SCAM.test(text);
}

export function hasPromoWords(text: string): boolean {
  return PROMO.test(text);
}

/** @everyone / @here on Discord, <!channel> / <!here> / <!everyone> on Slack. */
const MASS_PING = /@everyone|@here|<!(channel|here|everyone)>/i;

export function hasMassPing(text: string): boolean {
  return MASS_PING.test(text);
}
