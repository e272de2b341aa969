import { randomUUID } from "node:crypto";
import readline from "node:readline";
import { Writable } from "node:stream";
import type { OffsetClock } from "../../core/clock.js";
import { normalizeEmoji } from "../../core/emoji.js";
import { naturalKeys } from "../../core/events.js";
import type { Actor, Place } from "../../core/identity.js";
import { CONSOLE_NAME } from "../../core/refs.js";
import type { Reply } from "../../core/reply.js";
import type { Command } from "../../engine/commands/context.js";
import type { Community } from "../../engine/communities/community.repo.js";
import type { Engine } from "../../engine/engine.js";
import type { IngestOutcome } from "../../engine/capability.js";
import { pointsReport } from "../../engine/points/points.capability.js";
import { markupResolvers, parseCommandText } from "../shared/command-text.js";
import { CONSOLE_HELP, MAX_WAIT_MS } from "./console-help.js";
import { ConsoleOutbox } from "./console-outbox.js";
import { ConsolePictures } from "./console-pictures.js";
import { actorFor, CONSOLE_WORKSPACE, mentionsIn, OWNER } from "./console-members.js";
import { type OutcomeContext, renderOutcome } from "./console-outcome.js";
import { renderReply } from "./console-render.js";

export { CONSOLE_WORKSPACE, OWNER } from "./console-members.js";

interface PostedMessage {
  n: number;
  id: string;
  key: string;
  author: Actor;
  channelId: string;
  threadParentKey?: string;
  /** What it said when posted (a message action is given the text, as the platforms give it). */
  text: string;
}

export interface ConsoleAdapterOptions {
  engine: Engine;
  commands: readonly Command[];
  clock: OffsetClock;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** True for a terminal: show a prompt. False for piped input: print only results. */
  interactive: boolean;
  timezone: () => Promise<string>;
  /**
   * The folder where reply pictures are saved (their paths are printed under the reply); without it
   * the console shows replies as text only.
   */
  picturesDir?: string;
}


/**
 * A community in the terminal, like Hubot's shell adapter: no tokens, the embedded database, and
 * every command the platforms have. Type as a member, switch member, reply in threads, react,
 * and watch the points move. Input may be piped from a file; then no prompt is printed, so the
 * output is a clean transcript that tests compare.
 */
export class ConsoleAdapter {
  private me: Actor = actorFor(OWNER);
  private channelId = "general";
  private readonly messages: PostedMessage[] = [];
  private readonly session = randomUUID().slice(0, 8);
  private lastButtons: NonNullable<Reply["buttons"]> = [];
  private openForm: Reply["form"];
  private counter = 0;
  private rl: readline.Interface | undefined;
  /** Level-ups the engine reported since the last line was printed, however they were reached. */
  private readonly levelUps: { community: Community; displayName: string; level: number }[] = [];
  /** What the bot said on its own (through the engine's outbox) while a line was handled. */
  private readonly said: string[] = [];

  private readonly pictures: ConsolePictures | undefined;

  constructor(private readonly o: ConsoleAdapterOptions) {
    this.pictures = o.picturesDir ? new ConsolePictures(o.picturesDir) : undefined;
    // The bot speaks first here as on every platform: through the engine's durable outbox. Its lines
    // are held and printed after the line that caused them, so a transcript reads the same every run.
    const held = new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.said.push(String(chunk));
        done();
      },
    });
    o.engine.registerOutbox(
      new ConsoleOutbox({
        output: held,
        timezone: o.timezone,
        now: () => o.clock.now(),
        // A moderator's Remove deletes a member's message, as the bot may on Discord.
        deleteMemberMessage: (place, messageId) => {
          const m = this.messages.find((x) => x.id === messageId && x.channelId === place.channelId);
          return m ? `#${m.n}` : undefined;
        },
        // A thread is named by its parent's key; the transcript names it by the parent's number.
        threadLabel: (threadId) => {
          const m = this.messages.find((x) => x.key === threadId);
          return m ? `#${m.n}` : undefined;
        },
        // What the bot posts on its own (a review card) is the latest reply: its buttons can be pressed.
        shown: (reply) => void (this.lastButtons = reply.buttons ?? []),
        ...(this.pictures ? { pictures: this.pictures } : {}),
      }),
    );
    // Told after commit, for posts, reactions and /thanks alike: only to say when nothing was announced.
    o.engine.onLevelUp((l) => {
      if (l.place.platform === "console" && !l.community.settings.levels.announce) this.levelUps.push({ community: l.community, displayName: l.displayName, level: l.level });
    });
  }

  /** Stops reading; `run()` then finishes the line in hand and resolves. */
  stop(): void {
    this.rl?.close();
  }

  /** Reads lines until the input ends or `/quit`; resolves once every write has committed. */
  async run(): Promise<void> {
    const rl = readline.createInterface({ input: this.o.input, ...(this.o.interactive ? { output: this.o.output, terminal: true } : {}) });
    this.rl = rl;
    const prompt = () => {
      if (!this.o.interactive) return;
      rl.setPrompt(`${this.me.displayName} #${this.channelId}> `);
      rl.prompt();
    };
    prompt();
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === "/quit" || line === "/exit") break;
      if (line && !line.startsWith("//")) await this.handle(line);
      await this.printWhatTheBotSaid();
      prompt();
    }
    rl.close();
    await this.o.engine.drain();
  }

  private print(lines: string[]): void {
    if (lines.length) this.o.output.write(`${lines.join("\n")}\n`);
  }

  /**
   * Delivers what the line made the bot say (level-ups, notices) and prints it under the line. With
   * `levels.announce` off nothing is posted; a note says so, so the setting has a visible effect.
   */
  private async printWhatTheBotSaid(): Promise<void> {
    await this.o.engine.delivery.deliverDue();
    if (this.said.length) this.o.output.write(this.said.splice(0).join(""));
    for (const l of this.levelUps.splice(0)) this.print([`  (${l.displayName} reached level ${l.level}; not announced: levels.announce is off)`]);
  }

  private community(): Promise<Community> {
    return this.o.engine.communities.resolve({ platform: "console", workspaceId: CONSOLE_WORKSPACE });
  }

  /** What the event did to points, in the console's words (the engine's outcome carries each capability's report). */
  private async outcomeLines(outcome: IngestOutcome, ctx: Omit<OutcomeContext, "settings">): Promise<string[]> {
    return renderOutcome(pointsReport(outcome), { ...ctx, settings: (await this.community()).settings });
  }

  private place(threadKey?: string): Place {
    return { platform: "console", workspaceId: CONSOLE_WORKSPACE, channelId: this.channelId, ...(threadKey ? { threadId: threadKey } : {}) };
  }

  private async handle(line: string): Promise<void> {
    if (!line.startsWith("/")) return this.post(line);
    const [, name = "", rest = ""] = /^\/(\S+)\s*(.*)$/s.exec(line) ?? [];
    const arg = rest.trim();
    switch (name) {
      case "as":
        return this.switchMember(arg);
      case "in":
        return this.switchChannel(arg);
      case "reply":
        // `/reply <n> /<command> …` runs a bot command in that thread (e.g. `/bounty post 10`), as on a platform.
        return this.withMessage(name, arg, "text", (m, text) => (text.startsWith("/") ? this.commandIn(text, m) : this.post(text, m)));
      case "react":
      case "unreact":
        return this.withMessage(name, arg, "an emoji", (m, emoji) => this.react(m, emoji, name === "react"));
      case "delete":
        return this.withMessage(name, arg, undefined, (m) => this.remove(m));
      case "edit":
        return this.withMessage(name, arg, "the new text", (m, text) => this.edit(m, text));
      case "use":
        return this.withMessage(name, arg, "a message action's name", (m, action) => this.useAction(m, action));
      case "press":
        return this.press(arg);
      case "submit":
        return this.submit(arg);
      case "wait":
        return this.wait(arg);
      case "console":
        return this.print([CONSOLE_HELP]);
      default:
        return this.command(name, arg);
    }
  }

  private switchMember(arg: string): void {
    const name = arg.replace(/^@/, "");
    if (!CONSOLE_NAME.test(name)) return this.print(["! usage: /as <name>   (1–32 letters or digits of any script, . _ -; @name works too)"]);
    this.me = actorFor(name);
    this.print([`  (you are now @${name}${name === OWNER ? ", admin" : ""})`]);
  }

  private switchChannel(arg: string): void {
    const name = arg.replace(/^#/, "");
    if (!CONSOLE_NAME.test(name)) return this.print(["! usage: /in #channel   (1–32 letters or digits of any script, . _ -)"]);
    this.channelId = name;
    this.print([`  (now in #${name})`]);
  }

  /** `/<verb> <n> <rest>`: finds message #n; `needs` names what must follow the number, if anything. */
  private async withMessage(verb: string, arg: string, needs: string | undefined, then: (m: PostedMessage, rest: string) => Promise<void>): Promise<void> {
    const example = { use: "/use 1 Tip the author", reply: "/reply 1 glad you're here", react: "/react 1 👍", unreact: "/unreact 1 👍", edit: "/edit 1 new text", delete: "/delete 1" }[verb] ?? `/${verb} 1`;
    const match = /^#?(\d+)(?:\s+(.*))?$/s.exec(arg);
    const count = this.messages.length;
    const so = `messages so far: ${count === 0 ? "none" : count === 1 ? "#1" : `#1–#${count}`}`;
    if (!match) return this.print([`! name a message by its number, e.g. ${example} (${so})`]);
    const message = this.messages.find((m) => m.n === Number(match[1]));
    if (!message) return this.print([`! there is no message #${match[1]} (${so})`]);
    const rest = (match[2] ?? "").trim();
    if (needs && !rest) return this.print([`! /${verb} needs ${needs} after the message number, e.g. ${example}`]);
    await then(message, rest);
  }

  private async post(text: string, parent?: PostedMessage): Promise<void> {
    const n = this.messages.length + 1;
    const id = `${this.session}-${n}`;
    const threadParentKey = parent ? (parent.threadParentKey ?? parent.key) : undefined;
    const message: PostedMessage = { n, id, key: naturalKeys.consoleMessage(id), author: this.me, channelId: parent?.channelId ?? this.channelId, ...(threadParentKey ? { threadParentKey } : {}), text };
    this.messages.push(message);
    const mentions = mentionsIn(text);
    const outcome = await this.o.engine.ingest({
      kind: "message.created",
      key: message.key,
      messageKey: message.key,
      at: this.o.clock.now(),
      place: { ...this.place(threadParentKey), channelId: message.channelId },
      author: this.me,
      text,
      mentions,
      ...(threadParentKey ? { threadParentKey } : {}),
    });
    const lines = await this.outcomeLines(outcome, { kind: "message", actorId: this.me.id, thanked: mentions.map((m) => m.id), channel: message.channelId });
    this.print([`#${n} ${this.me.displayName}${parent ? ` ↳ #${parent.n}` : ""}: ${text}`, ...lines]);
  }

  private async react(m: PostedMessage, emojiText: string, added: boolean): Promise<void> {
    const emoji = normalizeEmoji(emojiText);
    const outcome = await this.o.engine.ingest({
      kind: added ? "reaction.added" : "reaction.removed",
      key: naturalKeys.consoleReaction(m.id, this.me.userId, emoji),
      messageKey: m.key,
      at: this.o.clock.now(),
      place: { ...this.place(m.threadParentKey), channelId: m.channelId },
      actor: this.me,
      emoji,
    });
    const result = await this.outcomeLines(outcome, { kind: "reaction", actorId: this.me.id, channel: m.channelId });
    this.print([`  ${this.me.displayName} ${added ? "reacted" : "took back"} ${emoji} ${added ? "on" : "from"} #${m.n}`, ...(result.length ? result : ["  (no points changed)"])]);
  }

  private async edit(m: PostedMessage, text: string): Promise<void> {
    // Edits earn and cost nothing today; the engine still hears them (moderation will).
    await this.o.engine.ingest({ kind: "message.edited", key: naturalKeys.edited(m.key, this.nextId()), messageKey: m.key, at: this.o.clock.now(), place: { ...this.place(), channelId: m.channelId }, author: this.me, text });
    this.print([`  #${m.n} edited: ${text}`]);
  }

  private async remove(m: PostedMessage): Promise<void> {
    const outcome = await this.o.engine.ingest({ kind: "message.deleted", key: `${m.key}:deleted`, messageKey: m.key, at: this.o.clock.now(), place: { ...this.place(), channelId: m.channelId } });
    this.print([`  #${m.n} deleted`, ...(await this.outcomeLines(outcome, { kind: "deletion", actorId: this.me.id, channel: m.channelId }))]);
  }

  private async wait(arg: string): Promise<void> {
    const match = /^(\d+)\s*(s|m|h|d)$/.exec(arg);
    if (!match) return this.print(["! usage: /wait <number><s|m|h|d>, e.g. /wait 90s or /wait 1d"]);
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
    const ms = Number(match[1]) * unit;
    // A clock beyond what a Date can hold would make every later event fail.
    if (!(ms <= MAX_WAIT_MS) || Number.isNaN(new Date(this.o.clock.now().getTime() + ms).getTime())) {
      return this.print([`! /wait moves the clock at most 366 days at a time (got ${match[1]}${match[2]}); e.g. /wait 1d`]);
    }
    const now = this.o.clock.advance(ms);
    this.print([`  (time is now ${now.toISOString().replace(".000Z", "Z")})`]);
    // What came due meanwhile (a talk's reminder) happens now, not at the scheduler's next look.
    await this.o.engine.scheduler.tick();
  }

  /** `/use <n> <action>`: a declared message action ("Tip the author") on message #n, as a platform's message menu. */
  private async useAction(m: PostedMessage, name: string): Promise<void> {
    const actions = this.o.engine.commands.actions;
    const wanted = name.replace(/^["“]|["”]$/g, "").trim().toLowerCase();
    const action = actions.find((a) => a.name.toLowerCase() === wanted || a.id === wanted);
    if (!action) return this.print([`! no message action “${name}”; there are: ${actions.map((a) => a.name).join(", ")}`]);
    const place = { ...this.place(m.threadParentKey), channelId: m.channelId };
    const reply = await this.o.engine.messageAction({
      kind: "message.action",
      key: `console:action:${this.nextId()}`,
      at: this.o.clock.now(),
      place,
      actor: this.me,
      action: action.id,
      target: { messageKey: m.key, author: { id: m.author.id, displayName: m.author.displayName, isBot: m.author.isBot }, text: m.text, place },
    });
    await this.show(reply);
  }

  private async press(arg: string): Promise<void> {
    const count = this.lastButtons.length;
    const button = /^\d+$/.test(arg) ? this.lastButtons[Number(arg) - 1] : undefined;
    if (!button) return this.print([count ? `! usage: /press <n> — the latest reply has button${count > 1 ? `s 1–${count}` : " 1"}` : "! the latest reply has no buttons"]);
    const reply = await this.o.engine.press({ kind: "button", key: `console:press:${this.nextId()}`, at: this.o.clock.now(), place: this.place(), actor: this.me, buttonId: button.id });
    // A private answer (a refusal, a confirmation) goes to the presser alone: the pressed message and
    // its buttons stay as they were, as on the platforms.
    if (reply.ephemeral && !reply.buttons && !reply.form) return this.print(renderReply(reply, await this.o.timezone(), undefined, this.pictures?.save(reply)));
    await this.show(reply);
  }

  /** A bot command typed after `/reply <n>`: run in the thread of message #n. */
  private commandIn(line: string, parent: PostedMessage): Promise<void> {
    const [, name = "", rest = ""] = /^\/(\S+)\s*(.*)$/s.exec(line) ?? [];
    return this.command(name, rest.trim(), { ...this.place(parent.threadParentKey ?? parent.key), channelId: parent.channelId });
  }

  private async command(name: string, text: string, place: Place = this.place()): Promise<void> {
    const declaration = this.o.commands.find((c) => c.name === name);
    if (!declaration) return this.show({ text: `Unknown command /${name}. Try /help for bot commands and /console for console ones.`, ephemeral: true });
    const parsed = parseCommandText(declaration, text, markupResolvers({ platform: "console", workspaceId: CONSOLE_WORKSPACE }));
    if (!parsed.ok) return this.show({ text: parsed.error, ephemeral: true });
    const reply = await this.o.engine.command({
      kind: "command",
      key: naturalKeys.consoleCommand(this.nextId()),
      at: this.o.clock.now(),
      place,
      actor: this.me,
      name,
      ...(parsed.subcommand ? { subcommand: parsed.subcommand } : {}),
      options: parsed.options,
    });
    await this.show(reply);
  }

  private async submit(arg: string): Promise<void> {
    const form = this.openForm;
    if (!form) return this.print(["! no dialog is open"]);
    // Only the form's own fields, as own properties (a field typed as `__proto__:` is just ignored).
    const fields = new Set(form.fields.map((f) => f.id));
    const entries: [string, string][] =
      form.fields.length === 1 ? [[form.fields[0]!.id, arg]] : [...arg.matchAll(/(\w+):("[^"]*"|\S+)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, "")]);
    const values = Object.fromEntries(entries.filter(([id]) => fields.has(id)));
    const reply = await this.o.engine.submit({ kind: "form", key: `console:form:${this.nextId()}`, at: this.o.clock.now(), place: this.place(), actor: this.me, formId: form.id, values });
    // A refused value leaves the dialog open with the error, as a platform's modal would.
    const refused = reply.tone === "error" && !reply.form;
    if (!refused) this.openForm = undefined;
    await this.show(reply);
    if (refused) this.print([`  (the dialog “${form.title}” is still open: /submit again)`]);
  }

  private async show(reply: Reply): Promise<void> {
    // Only the latest reply's buttons can be pressed; a reply without buttons leaves none.
    this.lastButtons = reply.buttons ?? [];
    if (reply.form) {
      this.openForm = reply.form;
      const fields = reply.form.fields.map((f) => `${f.id}${f.value ? ` (now: ${f.value})` : ""}`).join(", ");
      return this.print([`bot (only you): dialog “${reply.form.title}” asks for ${fields} — answer with /submit <text>`]);
    }
    this.print(renderReply(reply, await this.o.timezone(), this.o.clock.now(), this.pictures?.save(reply)));
  }

  private nextId(): string {
    return `${this.session}-${++this.counter}`;
  }
}
