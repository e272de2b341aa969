import type { Verb } from "../../core/command.js";
import type { OptionContext } from "../../core/options.js";
import { memberText } from "../../core/reply.js";

/**
 * Checks raw option values against a verb's declarations. The first problem becomes one clear
 * sentence naming the option, what was given and what is accepted.
 */
export type Validated = { ok: true; values: Record<string, unknown> } | { ok: false; error: string };

export function validateOptions(verb: Verb<unknown>, raw: Record<string, unknown>, ctx: OptionContext, usage: string): Validated {
  const declared = Object.keys(verb.options);
  const unknown = Object.keys(raw).filter((name) => !declared.includes(name) && raw[name] !== undefined);
  if (unknown.length > 0) {
    const accepted = declared.length ? `It accepts: ${declared.join(", ")}.` : "It takes no options.";
    // The name came from outside too (an old registration, a crafted payload): echoed as member text.
    return { ok: false, error: `Unknown option ${show(unknown[0])}. ${accepted}\nUsage: ${usage}` };
  }

  const values: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(verb.options)) {
    // Own values only: the options object came from outside and may name `constructor` and the like.
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    if (value === undefined || value === null || value === "") {
      if (def.required) return { ok: false, error: `Missing \`${name}\`: expected ${def.accepts}.\nUsage: ${usage}` };
      continue;
    }
    const parsed = def.schema(ctx).safeParse(value);
    if (!parsed.success) {
      return { ok: false, error: `\`${name}\`: ${show(value)} is not accepted — expected ${def.accepts}.\nUsage: ${usage}` };
    }
    values[name] = parsed.data;
  }
  return { ok: true, values };
}

/** What was given, as the member typed it: member text, so it is shown literally and never pings. */
function show(value: unknown): string {
  const text = typeof value === "object" && value !== null && "id" in value ? String((value as { id: unknown }).id) : typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  const chars = Array.from(text);
  return `\`${memberText(chars.length > 60 ? `${chars.slice(0, 57).join("")}…` : text)}\``;
}
