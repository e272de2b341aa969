import { type CommandDeclaration, type Verb, verbsOf } from "../../core/command.js";
import type { ChannelRef, MemberRef, Place, RoleRef } from "../../core/identity.js";
import type { OptionDef } from "../../core/options.js";
import { parseRefOf } from "../../core/refs.js";
import { memberText } from "../../core/reply.js";
import { usageBlock, usageOf } from "../../core/usage.js";

/**
 * Slack (and the console) hand a slash command over as one line of text. This turns that text into
 * the same typed raw options Discord sends, using the command's declaration — so validation, errors
 * and handlers are shared. The syntax, shown in every usage message:
 *
 *   /command [verb] value value … name:value name:"quoted text"
 *
 * - A command with verbs takes the verb first (`/config set points.post 10`).
 * - Values fill the options in declared order; `name:value` sets one by name, in any position.
 * - Quotes ("…", '…' or “…”) keep spaces together, also after `name:`.
 * - The last text option takes the rest of the line, given in order (`/thanks @ada for the review`)
 *   or by name (`/thanks member:@ada reason:nice work`) — by name up to the next `name:value`.
 * - Members and channels are mentions in the platform's markup (`<@U123>`, `<#C123|general>`,
 *   `@ada`, `#general`) and nothing else: a typed id never becomes a member. Roles likewise
 *   (`<@&42>` on Discord, `@name` on the console); Slack has no roles, so a role is never read there.
 *   A time may be written `2026-12-01 18:30`.
 *
 * Values that don't fit their kind are passed through as text, so the engine's validation reports
 * them with the option's name, what was typed and what is accepted.
 */
export type ParsedCommandText =
  | { ok: true; subcommand?: string; options: Record<string, unknown> }
  | { ok: false; error: string };

export interface RefResolvers {
  member(token: string): MemberRef | undefined;
  channel(token: string): ChannelRef | undefined;
  role(token: string): RoleRef | undefined;
}

/** Resolvers that read the platform's mention markup with {@link parseRefOf} (never a typed id). */
export function markupResolvers(where: Pick<Place, "platform" | "workspaceId">): RefResolvers {
  return {
    member: (token) => {
      const ref = parseRefOf("member", token, where);
      return ref && (ref.name ? { id: ref.id, displayName: ref.name } : { id: ref.id });
    },
    channel: (token) => {
      const ref = parseRefOf("channel", token, where);
      return ref && (ref.name ? { id: ref.id, name: ref.name } : { id: ref.id });
    },
    // Slack's user groups are not roles a bot can give anyone: on Slack a role option takes nothing,
    // and what was typed stays text, which the engine refuses naming the option.
    role: (token) => {
      if (where.platform === "slack") return undefined;
      const ref = parseRefOf("role", token, where);
      return ref && (ref.name ? { id: ref.id, name: ref.name } : { id: ref.id });
    },
  };
}

const NAMED = /^([a-z0-9_-]+):(.*)$/s;

export function parseCommandText(command: CommandDeclaration<unknown>, text: string, refs: RefResolvers): ParsedCommandText {
  const tokens = tokenize(text);
  if (tokens === undefined) {
    // Show the verb's usage when the line names one, else every verb's.
    const first = /^\s*(\S+)/.exec(text)?.[1]?.toLowerCase();
    const verb = command.verb ? undefined : verbsOf(command).find(([name]) => name === first)?.[0];
    return { ok: false, error: `A quote is not closed.\n${usageBlock(usageOf(command, verb))}` };
  }

  let subcommand: string | undefined;
  let verb = command.verb;
  if (!verb) {
    const first = tokens.shift()?.text.toLowerCase();
    const found = verbsOf(command).find(([name]) => name === first);
    if (!found) {
      // What was typed is echoed as member text: shown as typed, never as markup or a mention.
      const given = first ? `\`${memberText(first)}\` is not a verb of /${command.name}. ` : "";
      return { ok: false, error: `${given}Use one of:\n${usageOf(command)}` };
    }
    [subcommand, verb] = found;
  }
  const usage = usageOf(command, subcommand ?? "");
  const names = Object.keys(verb.options);
  const nameOf = (token: Token): string | undefined => {
    const name = token.quoted ? undefined : NAMED.exec(token.text)?.[1];
    return name !== undefined && names.includes(name) ? name : undefined;
  };
  const givenByName = new Set(tokens.map(nameOf).filter((n): n is string => n !== undefined));
  const options: Record<string, unknown> = {};

  const positional: Token[] = [];
  let takesRest: string | undefined;
  for (const token of tokens) {
    const name = nameOf(token);
    if (name !== undefined) {
      options[name] = NAMED.exec(token.text)![2];
      takesRest = takesRestByName(verb, name, givenByName) && !token.valueQuoted ? name : undefined;
    } else if (takesRest !== undefined) {
      options[takesRest] = options[takesRest] === "" ? token.text : `${String(options[takesRest])} ${token.text}`;
    } else positional.push(token);
  }

  const free = names.filter((n) => !Object.hasOwn(options, n));
  for (let i = 0; i < free.length && positional.length > 0; i++) {
    const name = free[i]!;
    const def = verb.options[name]!;
    const isLast = i === free.length - 1;
    if (def.kind === "string" && isLast) {
      options[name] = positional.splice(0).map((t) => t.text).join(" ");
    } else if (def.kind === "time" && positional.length > 1 && /^\d{1,2}:\d{2}$/.test(positional[1]!.text)) {
      options[name] = `${positional.shift()!.text} ${positional.shift()!.text}`;
    } else {
      options[name] = positional.shift()!.text;
    }
  }
  if (positional.length > 0) {
    return { ok: false, error: `Too many values: \`${memberText(positional.map((t) => t.text).join(" "))}\` has no option to go to.\n${usageBlock(usage)}` };
  }

  for (const name of Object.keys(options)) options[name] = typed(verb.options[name]!, String(options[name]), refs);
  return subcommand ? { ok: true, subcommand, options } : { ok: true, options };
}

/**
 * A text option given by name takes the words after it when nothing declared after it is still
 * waiting for a value in order: it is then the last text option, as a positional one would be.
 */
function takesRestByName(verb: Verb<unknown>, name: string, givenByName: Set<string>): boolean {
  const names = Object.keys(verb.options);
  if (verb.options[name]!.kind !== "string") return false;
  return names.slice(names.indexOf(name) + 1).every((later) => givenByName.has(later));
}

/** Converts text to the raw value type of the option's kind, or leaves it as text for validation to reject. */
function typed(def: OptionDef, text: string, refs: RefResolvers): unknown {
  switch (def.kind) {
    case "integer": {
      // Beyond 2^53 a number is no longer the one typed (it would be echoed as 1e+23): keep the text.
      const n = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(n) ? n : text;
    }
    case "boolean":
      if (/^(true|yes|on|1)$/i.test(text)) return true;
      if (/^(false|no|off|0)$/i.test(text)) return false;
      return text;
    case "member":
      return refs.member(text) ?? text;
    case "channel":
      return refs.channel(text) ?? text;
    case "role":
      return refs.role(text) ?? text;
    case "choice":
      return def.choices?.find((c) => c.toLowerCase() === text.toLowerCase()) ?? text;
    default:
      return text;
  }
}

interface Token {
  text: string;
  /** The whole token was quoted: it is a value, never `name:value`. */
  quoted: boolean;
  /** `name:"…"`: the value after the name was quoted, so it ends there. */
  valueQuoted?: boolean;
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’" };

/** Splits on white space, keeping quoted text and `<…>` mention markup whole; undefined if a quote is open. */
export function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const close = QUOTES[ch];
    if (close) {
      const end = text.indexOf(close, i + 1);
      if (end < 0) return undefined;
      tokens.push({ text: text.slice(i + 1, end), quoted: true });
      i = end + 1;
      continue;
    }
    let current = "";
    let depth = 0;
    let valueQuoted = false;
    while (i < text.length && (depth > 0 || !/\s/.test(text[i]!))) {
      const c = text[i]!;
      const closeValue = QUOTES[c];
      if (closeValue && !valueQuoted && /^[a-z0-9_-]+:$/.test(current)) {
        // `name:"two words"`: the quoted value belongs to the name.
        const end = text.indexOf(closeValue, i + 1);
        if (end < 0) return undefined;
        current += text.slice(i + 1, end);
        valueQuoted = true;
        i = end + 1;
        continue;
      }
      if (c === "<") depth++;
      if (c === ">") depth = Math.max(0, depth - 1);
      current += c;
      i++;
    }
    tokens.push(valueQuoted ? { text: current, quoted: false, valueQuoted } : { text: current, quoted: false });
  }
  return tokens;
}
