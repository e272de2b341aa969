import { option } from "../src/core/options.js";
import type { Precondition } from "../src/core/precondition.js";
import { memberText, type Reply, time } from "../src/core/reply.js";
import { type Command, type CommandContext, group, subcommand, UserError } from "../src/engine/commands/context.js";
import { parseQuarter, quarterDays, quarterOf } from "../src/engine/sponsors/calendar.js";
import { amountAccepts, formatAmount, parseAmount } from "../src/engine/sponsors/money.js";
import { parseSchedule } from "../src/engine/sponsors/schedule-input.js";
import { shownLink } from "../src/engine/sponsors/sponsor-replies.js";
import { BLURB_MAX, blurbSchema, checked, NAME_MAX, nameSchema, NOTE_MAX, noteSchema, SponsorRefusal, URL_MAX, urlSchema } from "../src/engine/sponsors/sponsor-input.js";
import { TIERS, tierWeeks } from "../src/engine/sponsors/tiers.js";

/**
 * `/sponsor add|list|remove|contribute|schedule|report`: the community's sponsors, their
 * contributions (an append-only ledger) and their shout-outs. Organizers only. Everything typed is
 * shown back as member text (literal, never a mention or markup). See docs/sponsors.md.
 */
const announcementsSet: Precondition<CommandContext> = {
  name: "announcements-channel-configured",
  check: (ctx) => (ctx.community.settings.channels.announcements ? undefined : "Scheduled shout-outs are posted in the announcements channel, which isn't set: an admin can set it with `/config set channels.announcements #channel`."),
};

const weeks = (n: number) => (n === 1 ? "every week" : `every ${n} weeks`);

/** Runs `work`, turning the service's refusals into the private answer. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SponsorRefusal) throw new UserError(error.message);
    throw error;
  }
}

/** Checks typed input with its zod schema; a refusal is the private answer. */
function valid<T>(schema: Parameters<typeof checked<T>>[0], value: unknown, message: () => string): T {
  try {
    return checked(schema, value, message);
  } catch (error) {
    if (error instanceof SponsorRefusal) throw new UserError(error.message);
    throw error;
  }
}

function name(text: string): string {
  return valid(nameSchema, text, () => `\`${memberText(text)}\` is not a sponsor name: give 1–${NAME_MAX} characters on one line.`);
}

const name_ = option.string({ description: "The sponsor's name", required: true, maxLength: NAME_MAX });

const sponsor: Command = group({
  name: "sponsor",
  description: "Sponsors: add, list, remove, record contributions, schedule shout-outs, report",
  access: "organizer",
  subcommands: {
    add: subcommand({
      description: "Add a sponsor (or change one's link, tier or blurb)",
      options: {
        name: name_,
        url: option.string({ description: "Their website (http or https)", required: true, maxLength: URL_MAX }),
        tier: option.choice({ description: "Their tier: how often the digest shows them", required: true, choices: TIERS }),
        blurb: option.string({ description: "One line about them, shown with the shout-out", required: true, maxLength: BLURB_MAX }),
      },
      async run(ctx, o) {
        const input = {
          name: name(o.name),
          url: valid(urlSchema, o.url, () => `\`${memberText(o.url)}\` is not a link: give an http or https address such as https://acme.example (no user name or password, at most ${URL_MAX} characters).`),
          tier: o.tier,
          blurb: valid(blurbSchema, o.blurb, () => `That blurb can't be used: give 1–${BLURB_MAX} characters on one line.`),
        };
        const { outcome, sponsor } = await answer(() => ctx.services.sponsors.add(ctx.community, ctx.actor, ctx.event.key, input));
        const who = `${memberText(sponsor.name)} (${sponsor.tier}, ${weeks(tierWeeks(sponsor.tier, ctx.community.settings))} in the rotation)`;
        const said: Record<typeof outcome, string> = {
          added: `Added ${who}.`,
          readded: `${who} is a sponsor again; its history was kept.`,
          updated: `Updated ${who}.`,
          unchanged: `${who} is already a sponsor, just like that.`,
          replayed: `That was already done: ${who}.`,
        };
        return { text: said[outcome], ephemeral: true, tone: "success" };
      },
    }),
    list: subcommand({
      description: "The sponsors, their tiers and when each was last shown",
      options: {},
      async run(ctx) {
        const all = await ctx.services.sponsors.list(ctx.community);
        if (all.length === 0) return { text: "There are no sponsors yet. Add one with /sponsor add <name> <url> <tier> <blurb>.", ephemeral: true, tone: "info" };
        const standing = await ctx.services.sponsors.standing(ctx.community);
        const lines = standing.sponsors.map(({ row, effectiveWeeks, lastAt }) => {
          const shown = lastAt ? `last shown ${time(new Date(lastAt), "date")}` : "not shown yet";
          const own = row.schedule ? ` · own schedule \`${memberText(row.schedule)}\`` : "";
          return `• ${memberText(row.name)} — ${row.tier}, ${weeks(effectiveWeeks)} — ${memberText(row.blurb)} ${shownLink(row.url)} · ${shown}${own}`;
        });
        const removed = all.filter((s) => s.status === "removed").map((s) => memberText(s.name));
        const stretched = standing.stretch > 1 ? [`One shout-out a week can't show every sponsor as often as its tier asks, so every period is stretched ×${standing.stretch}.`] : [];
        return { title: "Sponsors", text: [...lines, ...stretched, ...(removed.length ? [`Removed (history kept): ${removed.join(", ")}`] : [])].join("\n"), ephemeral: true, tone: "info" };
      },
    }),
    remove: subcommand({
      description: "Remove a sponsor (its contributions and impressions stay on record)",
      options: { name: name_ },
      async run(ctx, o) {
        const { outcome, sponsor } = await answer(() => ctx.services.sponsors.remove(ctx.community, ctx.actor, ctx.event.key, name(o.name)));
        const said = { removed: `Removed ${memberText(sponsor.name)}. Its contributions and impressions stay on record; /sponsor add brings it back.`, already: `${memberText(sponsor.name)} was already removed.`, replayed: `That was already done: ${memberText(sponsor.name)} is removed.` };
        return { text: said[outcome], ephemeral: true, tone: "success" };
      },
    }),
    contribute: subcommand({
      description: "Record a sponsor's contribution (a negative amount corrects one)",
      options: {
        name: name_,
        amount: option.string({ description: "How much, e.g. 250 or 250.50 (negative to correct)", required: true, maxLength: 20 }),
        note: option.string({ description: "What it was for", maxLength: NOTE_MAX }),
      },
      async run(ctx, o) {
        const currency = ctx.community.settings.sponsors.currency;
        const amount = parseAmount(o.amount, currency);
        if (amount === undefined) throw new UserError(`\`${memberText(o.amount)}\` is not an amount: expected ${amountAccepts(currency)}.`);
        const note = o.note === undefined ? "" : valid(noteSchema, o.note, () => `That note can't be used: give 1–${NOTE_MAX} characters on one line.`);
        const r = await answer(() => ctx.services.sponsors.contribute(ctx.community, ctx.actor, ctx.event.key, { name: name(o.name), amount, note }));
        const what = `${formatAmount(r.row.amount, r.row.currency)} ${r.row.amount < 0 ? "correction for" : "from"} ${memberText(r.sponsor.name)} in ${r.row.quarter}`;
        const total = `Their total: ${formatAmount(r.total, r.row.currency)}.`;
        return { text: r.created ? `Recorded ${what}. ${total}` : `That contribution was already recorded (${what}). ${total}`, ephemeral: true, tone: "success" };
      },
    }),
    schedule: subcommand({
      description: "Give a sponsor its own shout-outs in the announcements channel",
      requires: [announcementsSet],
      options: {
        name: name_,
        schedule: option.string({ description: 'Cron in community time, e.g. "0 10 * * 3" (Wed 10:00), or none', required: true, maxLength: 100 }),
      },
      async run(ctx, o) {
        const cron = await answer(async () => parseSchedule(o.schedule, ctx.community.settings.timezone, ctx.now));
        const r = await answer(() => ctx.services.sponsors.schedule(ctx.community, ctx.actor, ctx.event.key, name(o.name), cron));
        const who = memberText(r.sponsor.name);
        if (r.outcome === "cleared") return { text: `${who} has no schedule of its own now (the digest's rotation still shows it).`, ephemeral: true, tone: "success" };
        if (r.outcome === "unchanged" || r.outcome === "replayed") return { text: `${who} already has that schedule.`, ephemeral: true, tone: "info" };
        const next = r.next ? ` The next one is ${time(r.next, "full")} (${time(r.next, "relative")}).` : "";
        return { text: `${who} gets its own shout-outs in the announcements channel on \`${memberText(cron ?? "")}\` (${ctx.community.settings.timezone}).${next}`, ephemeral: true, tone: "success" };
      },
    }),
    report: subcommand({
      description: "A quarter's contributions, running totals and impressions per sponsor",
      options: { quarter: option.string({ description: "Which quarter, e.g. 2026-Q4 (default: this one)", maxLength: 7 }) },
      async run(ctx, o) {
        const quarter = o.quarter === undefined ? quarterOf(ctx.now, ctx.community.settings.timezone) : parseQuarter(o.quarter);
        if (!quarter) throw new UserError(`\`${memberText(o.quarter ?? "")}\` is not a quarter: expected a year and quarter such as 2026-Q4 (Q1 to Q4).`);
        const lines = await ctx.services.sponsors.report(ctx.community, quarter);
        const { first, last } = quarterDays(quarter);
        const beta = ctx.community.settings.sponsors.beta;
        const money = (m: Map<string, number>) => (m.size === 0 ? formatAmount(0, ctx.community.settings.sponsors.currency) : [...m].map(([c, v]) => formatAmount(Math.round(v), c)).join(" + "));
        const rows = lines.map((l) => {
          const seen = l.impressions.rotation + l.impressions.schedule;
          const removed = l.sponsor.status === "removed" ? ", removed" : "";
          return `• ${memberText(l.sponsor.name)} (${l.sponsor.tier}${removed}): this quarter ${money(l.quarter)} · E ${money(l.cumulative)} · ${seen} impression${seen === 1 ? "" : "s"} (${l.impressions.rotation} digest, ${l.impressions.schedule} own schedule)`;
        });
        const reply: Reply = {
          title: `Sponsor report ${quarter}`,
          text: [`${quarter} (${first} – ${last}, ${ctx.community.settings.timezone}):`, ...(rows.length ? rows : ["No sponsors had anything on record by then."])].join("\n"),
          footer: `E_t = E_{t−1} + β·R_t with β = ${beta}: R_t is a quarter's net contributions, E_t the running total up to ${quarter}.`,
          ephemeral: true,
          tone: "info",
        };
        return reply;
      },
    }),
  },
});
export default sponsor;
