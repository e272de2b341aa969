import { z } from "zod";
import { option } from "../src/core/options.js";
import { memberText, mention, type Reply, time } from "../src/core/reply.js";
import { type Command, type CommandContext, group, subcommand, UserError } from "../src/engine/commands/context.js";
import { ROLE_CHECKS } from "../src/engine/preconditions/roles.js";
import { REPEATS } from "../src/engine/talks/recurrence.js";
import type { Answer } from "../src/engine/talks/rsvp.js";
import { announcementReply } from "../src/engine/talks/talk-replies.js";
import { describe as describeTime, parseStart } from "../src/engine/talks/talk-time.js";
import { countRsvps } from "../src/engine/talks/rsvp.js";
import { TalkRefusal } from "../src/engine/talks/talk-codes.js";
import type { Precondition } from "../src/core/precondition.js";

/**
 * `/talk …`: tech talks. Members propose, RSVP (buttons on the announcement), check in and list;
 * organizers schedule, edit, cancel and see attendance (the speaker may edit and cancel their own).
 */
const talksChannelSet: Precondition<CommandContext> = {
  name: "talks-channel-configured",
  check: (ctx) => (ctx.community.settings.channels.talks ? undefined : "The talks channel isn't set: an admin can set it with `/config set channels.talks #channel`."),
};

const link = z.url({ protocol: /^https?$/ });

function checkedLink(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!link.safeParse(text).success) throw new UserError(`\`${memberText(text)}\` is not a link: give an http(s) address such as https://meet.example.com/talk.`);
  return text;
}

function start(ctx: CommandContext, text: string): Date {
  const parsed = parseStart(text, ctx.community.settings.timezone, ctx.now);
  if (!parsed.ok) throw new UserError(parsed.message);
  return parsed.at;
}

/** Turns a refusal from the service into the private answer. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TalkRefusal) throw new UserError(error.message);
    throw error;
  }
}

const organizer = (ctx: CommandContext) => ROLE_CHECKS.organizer.holds(ctx.actor, ctx.community.settings);

const ANSWERS: Record<string, Answer> = { going: "going", maybe: "maybe", no: "no" };

const talk: Command = group({
  name: "talk",
  description: "Tech talks: propose, schedule, RSVP, check in",
  access: "member",
  subcommands: {
    propose: subcommand({
      description: "Propose a talk you'd like to give; organizers are told",
      options: {
        title: option.string({ description: "The talk's title", required: true, maxLength: 120 }),
        description: option.string({ description: "What it's about", maxLength: 1000 }),
      },
      async run(ctx, { title, description }) {
        const p = await answer(() => ctx.services.talkProposals.propose(ctx.community, ctx.actor, title, description));
        return { text: `Thanks! Your proposal ${memberText(p.title)} went to the organizers (proposal ${p.id}).`, ephemeral: true, tone: "success" };
      },
    }),
    schedule: subcommand({
      description: "Schedule a talk (organizers)",
      access: "organizer",
      requires: [talksChannelSet],
      options: {
        title: option.string({ description: "The talk's title", required: true, maxLength: 120 }),
        speaker: option.member({ description: "Who gives it", required: true }),
        start: option.string({ description: "When: 2026-12-03 18:00, next thursday 18:00, tomorrow 9am, in 2 hours", required: true, maxLength: 100 }),
        duration: option.integer({ description: "Length in minutes", required: true, min: 5, max: 600 }),
        where: option.channel({ description: "The voice or stage channel it happens in" }),
        link: option.string({ description: "A link to join, if not a channel here", maxLength: 300 }),
        capacity: option.integer({ description: "Places; more Going go on a waitlist", min: 1, max: 10000 }),
        repeat: option.choice({ description: "Repeat it", choices: REPEATS }),
        occurrences: option.integer({ description: "How many times, if repeated (default 6)", min: 2, max: 52 }),
        description: option.string({ description: "What it's about", maxLength: 1000 }),
      },
      async run(ctx, o) {
        if (o.speaker.isBot) throw new UserError("A bot can't give a talk; pick a member as the speaker.");
        const at = start(ctx, o.start);
        const talks = await answer(() =>
          ctx.services.talks.schedule(ctx.community, ctx.actor, {
            title: o.title,
            speaker: o.speaker,
            start: at,
            durationMinutes: o.duration,
            ...(o.where ? { whereChannel: o.where.id } : {}),
            ...(o.link !== undefined ? { whereLink: checkedLink(o.link)! } : {}),
            ...(o.description !== undefined ? { description: o.description } : {}),
            ...(o.capacity !== undefined ? { capacity: o.capacity } : {}),
            ...(o.repeat ? { repeat: o.repeat, occurrences: o.occurrences ?? 6 } : {}),
          }),
        );
        const first = talks[0]!;
        const series = talks.length > 1 ? ` It repeats ${o.repeat}, ${talks.length} times (the last on ${time(new Date(talks.at(-1)!.starts_at), "date")}).` : "";
        return { text: `Scheduled ${memberText(first.title)} (talk ${first.id}) for ${describeTime(at, ctx.community.settings.timezone)} — ${time(at, "relative")}. It's announced in the talks channel.${series}`, ephemeral: true, tone: "success" };
      },
    }),
    list: subcommand({
      description: "Upcoming talks",
      options: {},
      async run(ctx) {
        const talks = await ctx.services.talks.list(ctx.community);
        if (talks.length === 0) return { text: "No talks are scheduled. Have one in mind? `/talk propose`.", ephemeral: true, tone: "info" };
        return {
          title: "Upcoming talks",
          text: talks.map((t) => `• ${time(new Date(t.starts_at), "full")} — ${memberText(t.title)} by ${mention({ id: t.speaker_id, displayName: t.speaker_name })} (id ${t.id})`).join("\n"),
          ephemeral: true,
          tone: "info",
        };
      },
    }),
    info: subcommand({
      description: "A talk's details and who is going",
      options: { id: option.string({ description: "The talk id (see /talk list)", required: true, maxLength: 12 }) },
      async run(ctx, { id }) {
        const t = await answer(() => ctx.services.talks.find(ctx.community, id));
        const { rsvps } = await ctx.services.talks.people(t.id);
        const names = (status: string) => rsvps.filter((r) => r.status === status).map((r) => mention({ id: r.member_id, displayName: r.display_name })).join(", ") || "nobody yet";
        const reply = announcementReply(t, countRsvps(rsvps));
        const series = t.series_id ? await ctx.services.talks.series(t.series_id) : undefined;
        return {
          ...reply,
          text: [reply.text, `Going: ${names("going")}`, ...(t.capacity !== null ? [`Waitlist: ${names("waitlist")}`] : []), ...(series ? [`Series ${series.id}: ${series.rrule.split("\n").at(-1)} (${series.timezone})`] : [])].join("\n"),
          ephemeral: true,
        };
      },
    }),
    cancel: subcommand({
      description: "Cancel a talk (organizers or its speaker)",
      options: {
        id: option.string({ description: "The talk id", required: true, maxLength: 12 }),
        scope: option.choice({ description: "Just this one, or the rest of its series", choices: ["this", "series"] as const }),
      },
      async run(ctx, { id, scope }) {
        const done = await answer(() => ctx.services.talks.cancel(ctx.community, ctx.actor, id, scope ?? "this", organizer(ctx)));
        return { text: `Cancelled ${done.length === 1 ? memberText(done[0]!.title) : `${done.length} talks of the series`}. The announcement says so and those going were told.`, ephemeral: true, tone: "success" };
      },
    }),
    edit: subcommand({
      description: "Change a talk (organizers or its speaker)",
      options: {
        id: option.string({ description: "The talk id", required: true, maxLength: 12 }),
        title: option.string({ description: "New title", maxLength: 120 }),
        start: option.string({ description: "New start (as for /talk schedule)", maxLength: 100 }),
        duration: option.integer({ description: "New length in minutes", min: 5, max: 600 }),
        where: option.channel({ description: "New voice or stage channel" }),
        link: option.string({ description: "New link", maxLength: 300 }),
        capacity: option.integer({ description: "New number of places", min: 1, max: 10000 }),
        scope: option.choice({ description: "Just this one, or the rest of its series", choices: ["this", "series"] as const }),
        description: option.string({ description: "New description", maxLength: 1000 }),
      },
      async run(ctx, o) {
        const done = await answer(() =>
          ctx.services.talks.edit(
            ctx.community,
            ctx.actor,
            o.id,
            {
              scope: o.scope ?? "this",
              ...(o.title !== undefined ? { title: o.title } : {}),
              ...(o.start !== undefined ? { start: start(ctx, o.start) } : {}),
              ...(o.duration !== undefined ? { durationMinutes: o.duration } : {}),
              ...(o.where ? { whereChannel: o.where.id } : {}),
              ...(o.link !== undefined ? { whereLink: checkedLink(o.link)! } : {}),
              ...(o.capacity !== undefined ? { capacity: o.capacity } : {}),
              ...(o.description !== undefined ? { description: o.description } : {}),
            },
            organizer(ctx),
          ),
        );
        return { text: `Updated ${done.length} talk${done.length === 1 ? "" : "s"}: the announcement shows the change and those going were told.`, ephemeral: true, tone: "success" };
      },
    }),
    checkin: subcommand({
      description: "Check in to the talk that's on, with the code posted at its start",
      options: { code: option.string({ description: "The check-in code", required: true, maxLength: 12 }) },
      async run(ctx, { code }) {
        const { talk, first } = await answer(() => ctx.services.talks.checkin(ctx.community, ctx.actor, code));
        const points = ctx.community.settings.talks.attendeePoints;
        return first
          ? { text: `Checked in to ${memberText(talk.title)}${points ? ` (+${points} points)` : ""}. Enjoy the talk!`, ephemeral: true, tone: "success" }
          : { text: `You're already counted as attending ${memberText(talk.title)}.`, ephemeral: true, tone: "info" };
      },
    }),
    attendance: subcommand({
      description: "Who attended a talk (organizers)",
      access: "organizer",
      options: { id: option.string({ description: "The talk id", required: true, maxLength: 12 }) },
      async run(ctx, { id }) {
        const t = await answer(() => ctx.services.talks.find(ctx.community, id));
        const { attendance } = await ctx.services.talks.people(t.id);
        const lines = attendance.map((a) => `• ${mention({ id: a.member_id, displayName: a.display_name })} (${a.via === "voice" ? "voice" : "check-in"}, ${time(new Date(a.at), "short")})`);
        return { title: `Attendance: ${memberText(t.title.slice(0, 200))}`, text: [`Attendance of ${memberText(t.title)}: ${attendance.length}`, ...lines].join("\n"), ephemeral: true, tone: "info" };
      },
    }),
  },
  buttons: {
    // `talk:rsvp:<talk id>:going|maybe|no`
    rsvp: {
      async run(ctx, arg) {
        const [id, which] = (arg ?? "").split(":");
        const choice = which && Object.hasOwn(ANSWERS, which) ? ANSWERS[which]! : undefined;
        if (!id || !choice) throw new UserError("That button no longer does anything.");
        const { result, talk } = await answer(() => ctx.services.talks.rsvp(ctx.community, ctx.actor, id, choice));
        const said: Record<string, string> = {
          going: "You're going. Press “DM me a reminder” for a direct message before it starts.",
          waitlist: "It's full, so you're on the waitlist; you'll get a message if a place frees up.",
          maybe: "Marked as maybe.",
          no: "Marked as can't go.",
          unchanged: "That's already your answer.",
        };
        return { text: `${memberText(talk.title)}: ${said[result]}`, ephemeral: true, tone: "success" };
      },
    },
    // `talk:remind:<talk id>`
    remind: {
      async run(ctx, id) {
        const state = await answer(() => ctx.services.talks.toggleRemind(ctx.community, ctx.actor, id ?? ""));
        if (state === "not-going") throw new UserError("Reminders by DM are for members who are going: press Going first.");
        return { text: state === "on" ? "You'll get a direct message before it starts." : "No reminder DM for you, then.", ephemeral: true, tone: "success" };
      },
    },
    "proposal-schedule": {
      access: "organizer",
      async run(ctx, id) {
        const p = id ? await ctx.services.talkProposals.proposal(ctx.community, id) : undefined;
        if (!p || p.status !== "open") throw new UserError("That proposal was already scheduled or declined.");
        return {
          text: `Schedule ${memberText(p.title)}`,
          ephemeral: true,
          form: {
            id: `talk:schedule:${p.id}`,
            title: "Schedule a talk",
            submitLabel: "Schedule",
            fields: [
              { id: "title", label: "Title", style: "short", required: true, value: p.title, maxLength: 120 },
              { id: "start", label: "Start", style: "short", required: true, placeholder: "next thursday 18:00", maxLength: 100 },
              { id: "duration", label: "Length in minutes", style: "short", required: true, value: "45", maxLength: 3 },
              { id: "link", label: "Link to join (optional)", style: "short", required: false, maxLength: 300 },
              { id: "description", label: "Description", style: "paragraph", required: false, value: p.description, maxLength: 1000 },
            ],
          },
        };
      },
    },
    "proposal-decline": {
      access: "organizer",
      async run(ctx, id) {
        const p = await answer(() => ctx.services.talkProposals.decline(ctx.community, id ?? ""));
        return { text: `Declined ${memberText(p.title)}; the proposer was told.`, ephemeral: true, tone: "success" };
      },
    },
  },
  forms: {
    // `talk:schedule:<proposal id>`: the proposer speaks.
    schedule: {
      access: "organizer",
      requires: [talksChannelSet],
      async run(ctx, values, id) {
        const p = id ? await ctx.services.talkProposals.proposal(ctx.community, id) : undefined;
        if (!p || p.status !== "open") throw new UserError("That proposal was already scheduled or declined.");
        const duration = Number(values.duration);
        if (!Number.isInteger(duration) || duration < 5 || duration > 600) throw new UserError(`\`${memberText(values.duration ?? "")}\` is not a length: give whole minutes from 5 to 600.`);
        const at = start(ctx, values.start ?? "");
        const title = (values.title ?? "").trim() || p.title;
        const linkText = values.link?.trim() ? checkedLink(values.link.trim()) : undefined;
        const [t] = await answer(() =>
          ctx.services.talks.schedule(ctx.community, ctx.actor, {
            title,
            speaker: { id: p.proposer_id, displayName: p.proposer_name },
            start: at,
            durationMinutes: duration,
            ...(linkText ? { whereLink: linkText } : {}),
            description: (values.description ?? "").trim(),
            proposalId: p.id,
          }),
        );
        return { text: `Scheduled ${memberText(t!.title)} (talk ${t!.id}) for ${describeTime(at, ctx.community.settings.timezone)}; the proposer was told.`, ephemeral: true, tone: "success" } satisfies Reply;
      },
    },
  },
});
export default talk;
