import { option } from "../src/core/options.js";
import { memberText, type Reply } from "../src/core/reply.js";
import { command } from "../src/engine/commands/context.js";
import { linkOrNothing } from "../src/engine/knowledge/kb-search-links.js";
import { snippetOf } from "../src/engine/knowledge/kb-search-snippet.js";

/**
 * `/ask query`: the five solved questions of this community that best match, each with a piece of
 * its accepted answer and links to the question and the answer. Private: searching is trying
 * things out. One text option, so on Slack and the console the whole line is the query
 * (`/ask read a file line by line`); to help someone else, post the links the answer gives.
 */
export default command({
  name: "ask",
  description: "Search this community's solved questions",
  access: "member",
  options: {
    query: option.string({ description: "What you want to know: words, an error message, a code identifier", required: true, maxLength: 300 }),
  },
  async run(ctx, { query }): Promise<Reply> {
    const ephemeral = true;
    const { terms, hits } = await ctx.services.kb.search(ctx.community.id, query);
    if (hits.length === 0) {
      const why = terms.length === 0 ? "has nothing to search for (only punctuation or very common words)" : "matches no solved question here yet";
      return {
        title: "Nothing found",
        text: `“${memberText(query)}” ${why}. Try other words or a shorter query — or ask in a help channel: once an answer is marked as the solution, /ask finds it.`,
        ephemeral: true,
        tone: "info",
      };
    }
    const lines = hits.map((h, i) => {
      const links = [linkOrNothing("question", h.questionLink), linkOrNothing("answer", h.answerLink)].filter(Boolean).join(" · ");
      return `${i + 1}. ${memberText(h.title)}\n   ${memberText(snippetOf(h.answerText, terms))}${links ? `\n   ${links}` : ""}`;
    });
    return {
      title: `Solved questions for “${memberText(query)}”`,
      text: `${hits.length === 1 ? "The best match" : `The ${hits.length} best matches`} for “${memberText(query)}”:\n${lines.join("\n")}`,
      fields: hits.map((h, i) => {
        const links = [linkOrNothing("question", h.questionLink), linkOrNothing("answer", h.answerLink)].filter(Boolean).join("\n");
        return { name: `${i + 1}. ${memberText(h.title.slice(0, 200))}`, value: `${memberText(snippetOf(h.answerText, terms))}${links ? `\n${links}` : ""}` };
      }),
      ephemeral,
      tone: "info",
    };
  },
});
