import { DateTime } from "luxon";
import { z } from "zod";
import type { ChannelRef, MemberRef, RoleRef } from "./identity.js";

/**
 * Command options, declared once with a neutral kind and a zod schema. Discord registration derives
 * its option types, bounds and choices from the kind; Slack and the console parse free text into the
 * same raw values; the engine validates every raw value with the option's schema before a handler
 * runs. A handler never sees a string where it declared a number.
 *
 * @example
 * const limit = option.integer({ description: "How many rows", min: 1, max: 25 });
 * limit.schema(ctx).parse(10); // 10
 */
export type OptionKind = "string" | "integer" | "boolean" | "member" | "channel" | "role" | "choice" | "time";

/** What parsing an option may need to know about where it was given. */
export interface OptionContext {
  /** The community's IANA timezone, for `time` options written as local wall-clock times. */
  timezone: string;
  now: Date;
}

export interface OptionDef<T = unknown, Required extends boolean = boolean> {
  kind: OptionKind;
  description: string;
  required: Required;
  /** Validates a raw value from any adapter. */
  schema(ctx: OptionContext): z.ZodType<T>;
  /** Says, for error messages and usage lines, what this option accepts. */
  accepts: string;
  /** Bounds for integers, lengths for strings (used by Discord registration). */
  min?: number;
  max?: number;
  /** Allowed values of a `choice`. */
  choices?: readonly string[];
}

export type OptionValue<O> = O extends OptionDef<infer T, boolean> ? T : never;

type RequiredKeys<O> = { [K in keyof O]: O[K] extends { required: true } ? K : never }[keyof O];
type OptionalKeys<O> = Exclude<keyof O, RequiredKeys<O>>;

/** The typed values a handler receives for a record of option definitions. */
export type OptionValues<O extends Record<string, OptionDef>> = { [K in RequiredKeys<O>]: OptionValue<O[K]> } & {
  [K in OptionalKeys<O>]?: OptionValue<O[K]>;
};

interface Common {
  description: string;
  required?: boolean;
}

/**
 * `true` exactly when the declaration says `required: true`. Inferred from the argument alone (not
 * from where the result is used), so mixing required and optional options keeps their types apart.
 */
type Req<O> = O extends { required: true } ? true : false;

// A member or channel option arrives as a reference the adapter built from what the platform
// confirmed (a Discord user option, Slack or console mention markup) — never as text, so a typed id
// such as `slack:T1:UFAKE` stays a string and is refused. Ids are checked for their plain shape too:
// no roles (`&`), spaces, control or bidi characters.
const localId = /^(discord|slack|console):[A-Za-z0-9_-]+:[\p{L}\p{M}\p{N}_.-]+$/u;

const memberRefSchema = z.object({
  id: z.string().regex(localId, "a member id"),
  displayName: z.string().optional(),
  isBot: z.boolean().optional(),
});

const channelRefSchema = z.object({
  id: z.string().regex(localId, "a channel id"),
  name: z.string().optional(),
});

// A role arrives like a member: as a reference the adapter built (a Discord role option, role
// markup typed on the console), namespaced with its `&` (`discord:<guild>:&<role>`), never as text.
const roleId = /^(discord|slack|console):[A-Za-z0-9_-]+:&[\p{L}\p{M}\p{N}_.-]+$/u;

const roleRefSchema = z.object({
  id: z.string().regex(roleId, "a role id"),
  name: z.string().optional(),
});

/** Date-time formats accepted for `time` options, in the community's timezone unless an offset is given. */
export const TIME_FORMATS = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd H:mm"] as const;

export function parseLocalTime(text: string, timezone: string): Date | undefined {
  const trimmed = text.trim();
  for (const format of TIME_FORMATS) {
    const dt = DateTime.fromFormat(trimmed, format, { zone: timezone });
    if (dt.isValid) return dt.toJSDate();
  }
  // Full ISO 8601 with an explicit offset or Z.
  const iso = DateTime.fromISO(trimmed, { zone: timezone, setZone: true });
  if (iso.isValid && /[zZ]|[+-]\d\d:?\d\d$/.test(trimmed)) return iso.toJSDate();
  return undefined;
}

function withRequired<T, O extends Common>(common: O, rest: Omit<OptionDef<T>, "description" | "required">): OptionDef<T, Req<O>> {
  return { description: common.description, required: (common.required ?? false) as Req<O>, ...rest };
}

/** Builders for each option kind; `required` defaults to false. */
export const option = {
  string<const O extends Common & { minLength?: number; maxLength?: number }>(o: O) {
    const min = o.minLength ?? 1;
    const max = o.maxLength ?? 1000;
    return withRequired<string, O>(o, {
      kind: "string",
      min,
      max,
      accepts: `text of ${min}–${max} characters`,
      schema: () => z.string().trim().min(min).max(max),
    });
  },

  integer<const O extends Common & { min?: number; max?: number }>(o: O) {
    const min = o.min ?? Number.MIN_SAFE_INTEGER;
    const max = o.max ?? Number.MAX_SAFE_INTEGER;
    const range =
      o.min !== undefined && o.max !== undefined
        ? ` from ${min} to ${max}`
        : o.min !== undefined
          ? ` of at least ${min}`
          : o.max !== undefined
            ? ` of at most ${max}`
            : "";
    return withRequired<number, O>(o, {
      kind: "integer",
      ...(o.min !== undefined ? { min } : {}),
      ...(o.max !== undefined ? { max } : {}),
      accepts: `a whole number${range}`,
      schema: () => z.number().int().min(min).max(max),
    });
  },

  boolean<const O extends Common>(o: O) {
    return withRequired<boolean, O>(o, { kind: "boolean", accepts: "true or false", schema: () => z.boolean() });
  },

  member<const O extends Common>(o: O) {
    return withRequired<MemberRef, O>(o, {
      kind: "member",
      accepts: "a member (mention them, e.g. @name)",
      schema: () => memberRefSchema,
    });
  },

  channel<const O extends Common>(o: O) {
    return withRequired<ChannelRef, O>(o, {
      kind: "channel",
      accepts: "a channel (e.g. #general)",
      schema: () => channelRefSchema,
    });
  },

  role<const O extends Common>(o: O) {
    return withRequired<RoleRef, O>(o, {
      kind: "role",
      accepts: "a role, mentioned as @role (a Discord role; Slack has no roles)",
      schema: () => roleRefSchema,
    });
  },

  choice<const C extends readonly [string, ...string[]], const O extends Common = Common>(o: O & { choices: C }) {
    return withRequired<C[number], O>(o, {
      kind: "choice",
      choices: o.choices,
      accepts: `one of: ${o.choices.join(", ")}`,
      schema: () => z.enum(o.choices as unknown as [C[number], ...C[number][]]),
    });
  },

  time<const O extends Common>(o: O) {
    return withRequired<Date, O>(o, {
      kind: "time",
      accepts: "a date and time like 2026-12-01 18:30 (community time) or ISO 8601 with an offset",
      schema: (ctx) =>
        z.string().transform((text, zctx) => {
          const at = parseLocalTime(text, ctx.timezone);
          if (!at) {
            zctx.addIssue({ code: "custom", message: "not a date and time" });
            return z.NEVER;
          }
          return at;
        }),
    });
  },
} as const;
