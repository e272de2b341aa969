import { defineCapability } from "../capability.js";
import { KbSearchService } from "./kb-search.service.js";
import { suggestHandler } from "./suggest.handler.js";

/**
 * The searchable knowledge base (issue 14): full-text search over solved questions (`kb_entries`,
 * written by the knowledge capability) for `/ask`, and the "this may help" reply in help channels.
 * See docs/knowledge-search.md.
 */
export const kbSearchCapability = defineCapability({
  name: "knowledge-search",
  setup(kit) {
    const kb = new KbSearchService(kit.db, () => kit.clock.now().getTime());
    return {
      services: { kb },
      events: [suggestHandler(kb, kit.outbox)],
    };
  },
});
