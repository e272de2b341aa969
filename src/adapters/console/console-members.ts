import type { Actor, MemberRef } from "../../core/identity.js";
import { parseRef } from "../../core/refs.js";

/** The console's one workspace, and who owns it: whoever runs the terminal is `@ada`, its admin. */
export const CONSOLE_WORKSPACE = "local";
export const OWNER = "ada";

/** A console member by name: created on first use, the owner an admin. */
export function actorFor(name: string): Actor {
  return {
    id: `console:${CONSOLE_WORKSPACE}:${name}`,
    platform: "console",
    workspaceId: CONSOLE_WORKSPACE,
    userId: name,
    displayName: name,
    isBot: false,
    // Whoever runs the terminal owns its community.
    isPlatformAdmin: name === OWNER,
  };
}

/** `@name` mentions in a console line, read with the same markup rules as command options. */
export function mentionsIn(text: string): MemberRef[] {
  const refs = new Map<string, MemberRef>();
  // A name in any script; a full stop or dash that ends the sentence ("thanks @ada.") is not part of it.
  for (const [token] of text.matchAll(/(?<=^|\s)@[\p{L}\p{M}\p{N}_.-]*[\p{L}\p{M}\p{N}_]/gu)) {
    const ref = parseRef(token, { platform: "console", workspaceId: CONSOLE_WORKSPACE });
    if (ref?.type === "member") refs.set(ref.id, { id: ref.id, displayName: ref.name ?? ref.id });
  }
  return [...refs.values()];
}
