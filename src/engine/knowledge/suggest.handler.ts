import type { MessageCreated } from "../../core/events.js";
import { channelKey } from "../../core/identity.js";
import { memberText, type Reply } from "../../core/reply.js";
import type { EventHandler, EventScope } from "../capability.js";
import type { OutboxWriter } from "../outbox/index.js";
import type { KbSearchService } from "./kb-search.service.js";
import { snippetOf } from "./kb-search-snippet.js";
import { closeMatch, looksLikeQuestion, threadOf } from "./suggest.js";
import { linkOrNothing } from "./kb-search-links.js";

/** The outbox key of a suggestion: one per question message, however often the message is delivered. */
export const suggestionKey = (communityId: string, messageKey: string) => `kb-suggest:${communityId}:${messageKey}`;

/**
 * "This may help": a new top-level message in a help channel (`knowledge.helpChannels`, with
 * `knowledge.suggest` on) that reads as a question and closely matches a solved one gets one quiet
 * reply in its thread with the top match, through the outbox (keyed by the message, so at most once).
 */
export function suggestHandler(kb: KbSearchService, outbox: OutboxWriter): EventHandler {
  return {
    kinds: ["message.created"],
    handle(scope: EventScope) {
      const e = scope.event;
      if (e.kind !== "message.created") return;
      const k = scope.community.settings.knowledge;
      // The channel first: every other message costs one array lookup and nothing else (no promise).
      if (k.helpChannels.length === 0 || !k.helpChannels.includes(channelKey(e.place))) return;
      if (!k.suggest || e.threadParentKey || e.author.isBot || !looksLikeQuestion(e.text)) return;
      return suggest(scope);
    },
  };

  /** The search and, for a close match, the reply. */
  async function suggest(scope: EventScope): Promise<void> {
    const e = scope.event as MessageCreated;
    const { terms, hits } = await kb.search(scope.community.id, e.text, 3, scope.trx);
    const match = closeMatch(terms, hits, e.messageKey);
    if (!match) return;
    const links = [linkOrNothing("question", match.questionLink), linkOrNothing("accepted answer", match.answerLink)].filter(Boolean).join(" · ");
    const reply: Reply = {
      title: "This may help",
      text: `💡 This may help — a solved question: “${memberText(match.title)}”\n> ${memberText(snippetOf(match.answerText, terms))}${links ? `\n${links}` : ""}`,
      tone: "info",
    };
    await outbox.enqueue(scope.trx, { communityId: scope.community.id, dedupeKey: suggestionKey(scope.community.id, e.messageKey), operation: "post", to: threadOf(e), reply });
    scope.outcome.reports["knowledge-search"] = { suggested: match.questionKey };
  }
}
