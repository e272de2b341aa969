import { channelMention } from "../src/core/reply.js";
import { group, subcommand } from "../src/engine/commands/context.js";

/** `/digest preview`: what the weekly digest would post now, shown only to the organizer who asked. */
export default group({
  name: "digest",
  description: "The weekly digest",
  access: "organizer",
  subcommands: {
    preview: subcommand({
      description: "Show what the weekly digest would post now (nothing is posted or recorded)",
      options: {},
      async run(ctx) {
        const s = ctx.community.settings;
        const { reply, places, alreadyPosted } = await ctx.services.digest.preview(ctx.community);
        const ids = [s.channels.announcements, ...s.digest.channels].filter((id): id is string => id !== null);
        const where = places.length ? ids.map((id) => channelMention({ id })).join(", ") : "nowhere yet";
        const state = !s.channels.announcements
          ? "The digest is off until an announcements channel is set: `/config set channels.announcements #channel`."
          : !s.digest.enabled
            ? "The digest is off (`digest.enabled`)."
            : alreadyPosted
              ? `This week's digest was already posted in ${where}.`
              : `Posted in ${where} on ${WEEKDAYS[s.digest.day - 1]}s at ${s.digest.time} (${s.timezone}).`;
        return { ...reply, title: `Preview — ${reply.title ?? "weekly digest"}`, text: `Preview (not posted). ${state}\n\n${reply.text}`, footer: state, ephemeral: true };
      },
    }),
  },
});

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
