import { randomUUID } from "node:crypto";
import readline from "node:readline";
import type { OffsetClock } from "../../core/clock.js";
import { normalizeEmoji } from "../../core/emoji.js";
import { naturalKeys } from "../../core/events.js";
import type { Actor, MemberRef, Place } from "../../core/identity.js";
import { parseRef } from "../../core/refs.js";
import type { Reply } from "../../core/reply.js";
import type { Command } from "../../engine/commands/context.js";
import type { Engine } from "../../engine/engine.js";
import { markupResolvers, parseCommandText } from "../shared/command-text.js";
import { renderOutcome, renderReply } from "./console-render.js";

/**
 * A community in the terminal, like Hubot's shell adapter: no tokens, the embedded database, and
 * every command the platforms have. Type as a member, switch member, reply in threads, react,
 * and watch the points move. Input may be piped from a file; then no prompt is printed, so the
 * output is a clean transcript that tests compare.
 */
export const CONSOLE_WORKSPACE = "local";
export const OWNER = "ada";

interface PostedMessage {
  n: number;
  id: string;
  key: string;
  author: Actor;
  channelId: string;
  threadParentKey?: string;
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
}

const HELP = [
  "Console commands (besides every bot command — try /help):",
  "  /as <name>               speak as another member (created on first use)",
  "  /in <#channel>           move to another channel",
  "  /reply <n> <text>        reply in the thread of message #n",
  "  /react <n> <emoji>       react to message #n;  /unreact <n> <emoji> takes it back",
  "  /edit <n> <text>         edit message #n;  /delete <n> deletes it",
  "  /press <n>               press button n of the last reply",
  "  /submit <text>           fill in the dialog the last reply opened (field:value for several fields)",
  "  /wait <90s|5m|2h|1d>     move the clock forward (cooldowns, daily caps, weeks)",
  "  /quit                    leave",
].join("\n");

export class ConsoleAdapter {
  private me: Actor = actorFor(OWNER);
  private channelId = "general";
  private readonly messages: PostedMessage[] = [];
  private readonly session = randomUUID().slice(0, 8);
  private lastButtons: NonNullable<Reply["buttons"]> = [];
  private openForm: Reply["form"];
  private counter = 0;
  private rl: readline.Interface | undefined;

  constructor(private readonly o: ConsoleAdapterOptions) {
    // The transcript already shows "★ … reached level N" under the event that caused it.
    o.engine.onLevelUp((l) => {
      if (l.place.platform === "console") void o.engine.levels.markAnnounced(l.community, l.memberId, l.level);
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
      prompt();
    }
    rl.close();
    await this.o.engine.drain();
  }

  private print(lines: string[]): void {
    if (lines.length) this.o.output.write(`${lines.join("\n")}\n`);
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
        return this.withMessage(arg, (m, text) => this.post(text, m));
      case "react":
      case "unreact":
        return this.withMessage(arg, (m, emoji) => this.react(m, emoji, name === "react"));
      case "delete":
        return this.withMessage(`${arg} -`, (m) => this.remove(m));
      case "edit":
        return this.withMessage(arg, (m, text) => this.edit(m, text));
      case "press":
        return this.press(arg);
      case "submit":
        return this.submit(arg);
      case "wait":
        return this.wait(arg);
      case "console":
        return this.print([HELP]);
      default:
        return this.command(name, arg);
    }
  }

  private switchMember(name: string): void {
    if (!/^[\w.-]{1,32}$/.test(name)) return this.print(["! usage: /as <name>   (letters, digits, . _ -)"]);
    this.me = actorFor(name);
    this.print([`  (you are now @${name}${name === OWNER ? ", admin" : ""})`]);
  }

  private switchChannel(arg: string): void {
    const name = arg.replace(/^#/, "");
    if (!/^[\w.-]{1,32}$/.test(name)) return this.print(["! usage: /in #channel"]);
    this.channelId = name;
    this.print([`  (now in #${name})`]);
  }

  private async withMessage(arg: string, then: (m: PostedMessage, rest: string) => Promise<void>): Promise<void> {
    const match = /^#?(\d+)\s+(.+)$/s.exec(arg);
    const message = match ? this.messages.find((m) => m.n === Number(match[1])) : undefined;
    if (!match || !message) {
      return this.print([`! name a message by its number, e.g. /react 1 👍 (messages so far: ${this.messages.length ? `#1–#${this.messages.length}` : "none"})`]);
    }
    await then(message, match[2]!.trim());
  }

  private async post(text: string, parent?: PostedMessage): Promise<void> {
    const n = this.messages.length + 1;
    const id = `${this.session}-${n}`;
    const threadParentKey = parent ? (parent.threadParentKey ?? parent.key) : undefined;
    const message: PostedMessage = { n, id, key: naturalKeys.consoleMessage(id), author: this.me, channelId: parent?.channelId ?? this.channelId, ...(threadParentKey ? { threadParentKey } : {}) };
    this.messages.push(message);
    const outcome = await this.o.engine.ingest({
      kind: "message.created",
      key: message.key,
      messageKey: message.key,
      at: this.o.clock.now(),
      place: { ...this.place(threadParentKey), channelId: message.channelId },
      author: this.me,
      text,
      mentions: mentionsIn(text),
      ...(threadParentKey ? { threadParentKey } : {}),
    });
    this.print([`#${n} ${this.me.displayName}${parent ? ` ↳ #${parent.n}` : ""}: ${text}`, ...renderOutcome(outcome)]);
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
    const result = renderOutcome(outcome);
    this.print([`  ${this.me.displayName} ${added ? "reacted" : "took back"} ${emoji} ${added ? "on" : "from"} #${m.n}`, ...(result.length ? result : ["  (no points changed)"])]);
  }

  private async edit(m: PostedMessage, text: string): Promise<void> {
    // Edits earn and cost nothing today; the engine still hears them (moderation will).
    await this.o.engine.ingest({ kind: "message.edited", key: `${m.key}:edit:${this.nextId()}`, messageKey: m.key, at: this.o.clock.now(), place: { ...this.place(), channelId: m.channelId }, author: this.me, text });
    this.print([`  #${m.n} edited: ${text}`]);
  }

  private async remove(m: PostedMessage): Promise<void> {
    const outcome = await this.o.engine.ingest({ kind: "message.deleted", key: `${m.key}:deleted`, messageKey: m.key, at: this.o.clock.now(), place: { ...this.place(), channelId: m.channelId } });
    this.print([`  #${m.n} deleted`, ...renderOutcome(outcome)]);
  }

  private async wait(arg: string): Promise<void> {
    const match = /^(\d+)\s*(s|m|h|d)$/.exec(arg);
    if (!match) return this.print(["! usage: /wait <number><s|m|h|d>, e.g. /wait 90s or /wait 1d"]);
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
    const now = this.o.clock.advance(Number(match[1]) * unit);
    this.print([`  (time is now ${now.toISOString().replace(".000Z", "Z")})`]);
  }

  private async press(arg: string): Promise<void> {
    const button = this.lastButtons[Number(arg) - 1];
    if (!button) return this.print([`! usage: /press <n> — the last reply has ${this.lastButtons.length} button(s)`]);
    const reply = await this.o.engine.press({ kind: "button", key: `console:press:${this.nextId()}`, at: this.o.clock.now(), place: this.place(), actor: this.me, buttonId: button.id });
    await this.show(reply);
  }

  private async command(name: string, text: string): Promise<void> {
    const declaration = this.o.commands.find((c) => c.name === name);
    if (!declaration) return this.show({ text: `Unknown command /${name}. Try /help for bot commands and /console for console ones.`, ephemeral: true });
    const parsed = parseCommandText(declaration, text, markupResolvers({ platform: "console", workspaceId: CONSOLE_WORKSPACE }));
    if (!parsed.ok) return this.show({ text: parsed.error, ephemeral: true });
    const reply = await this.o.engine.command({
      kind: "command",
      key: naturalKeys.consoleCommand(this.nextId()),
      at: this.o.clock.now(),
      place: this.place(),
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
    const values: Record<string, string> = {};
    if (form.fields.length === 1) values[form.fields[0]!.id] = arg;
    else for (const m of arg.matchAll(/(\w+):("[^"]*"|\S+)/g)) values[m[1]!] = m[2]!.replace(/^"|"$/g, "");
    this.openForm = undefined;
    const reply = await this.o.engine.submit({ kind: "form", key: `console:form:${this.nextId()}`, at: this.o.clock.now(), place: this.place(), actor: this.me, formId: form.id, values });
    await this.show(reply);
  }

  private async show(reply: Reply): Promise<void> {
    if (reply.buttons?.length) this.lastButtons = reply.buttons;
    if (reply.form) {
      this.openForm = reply.form;
      const fields = reply.form.fields.map((f) => `${f.id}${f.value ? ` (now: ${f.value})` : ""}`).join(", ");
      return this.print([`bot (only you): dialog “${reply.form.title}” asks for ${fields} — answer with /submit <text>`]);
    }
    this.print(renderReply(reply, await this.o.timezone()));
  }

  private nextId(): string {
    return `${this.session}-${++this.counter}`;
  }
}

function actorFor(name: string): Actor {
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
function mentionsIn(text: string): MemberRef[] {
  const refs = new Map<string, MemberRef>();
  for (const [token] of text.matchAll(/(?<=^|\s)@[\w.-]+/g)) {
    const ref = parseRef(token, { platform: "console", workspaceId: CONSOLE_WORKSPACE });
    if (ref?.type === "member") refs.set(ref.id, { id: ref.id, displayName: ref.name ?? ref.id });
  }
  return [...refs.values()];
}
