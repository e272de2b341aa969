import { defineCapability } from "../capability.js";
import { FeedbackService } from "./feedback.service.js";

/**
 * Member feedback (issue 14): `/feedback send` reaches the organizers as a card with Answer and
 * Close, answering DMs the member, and members follow their own with `/feedback mine`. Needs no
 * other capability's services. See docs/feedback.md.
 */
export const feedbackCapability = defineCapability({
  name: "feedback",
  setup(kit) {
    return { services: { feedback: new FeedbackService({ db: kit.db, writes: kit.writes, clock: kit.clock, outbox: kit.outbox }) } };
  },
});
