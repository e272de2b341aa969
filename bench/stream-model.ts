import { periodsOfDay } from "../src/engine/calendar.js";
import type { Settings } from "../src/engine/communities/settings.js";
import type { BenchEvent } from "./synthetic-community.js";

/**
 * What the bench stream implies for a sample of members, worked out here on its own — a plain
 * in-order simulation of the points rules as the README states them, sharing no code with the
 * engine's rules — so the bench can check the engine's ledger instead of trusting it.
 *
 * It relies on the stream's shape (synthetic-community.ts): new events come in time order (UTC
 * days), and a duplicate delivery is the very same event object again. Only the sampled members'
 * points are followed; every giver's daily thanks budget is, since it decides whose thanks count.
 */
type Rules = Settings["points"];

interface Member {
  lastAwardAt: number | null;
  day: string | null;
  gross: number;
  /** Expected totals by period (all, week:…, month:…). */
  totals: Map<string, number>;
}

interface Award {
  memberId: string;
  amount: number;
  day: string;
}

interface Message {
  author: string;
  deleted: boolean;
  /** What the message earned the sampled members: its own points, the thanks in it. */
  awards: Award[];
  reactions: Set<string>;
}

const THANKS = /(?:^|[^\p{L}\p{N}_+])(thanks|thank\s+you|thx|ty|\+rep)(?![\p{L}\p{N}_])/iu;

export class StreamModel {
  private readonly members = new Map<string, Member>();
  private readonly budgets = new Map<string, { day: string; given: number }>();
  private readonly messages = new Map<string, Message>();
  /** Reactions on sampled members' messages: what each earned, and whether it was taken back. */
  private readonly reactions = new Map<string, { award: Award | undefined; ended: boolean }>();
  private readonly seen = new WeakSet<BenchEvent>();

  constructor(
    private readonly rules: Rules,
    sample: Iterable<string>,
  ) {
    for (const id of sample) this.members.set(id, { lastAwardAt: null, day: null, gross: 0, totals: new Map() });
  }

  get sample(): string[] {
    return [...this.members.keys()];
  }

  expected(memberId: string): Map<string, number> {
    return this.members.get(memberId)?.totals ?? new Map();
  }

  feed(e: BenchEvent): void {
    if (this.seen.has(e)) return; // a duplicate delivery
    this.seen.add(e);
    const at = e.at.getTime();
    const day = e.at.toISOString().slice(0, 10);
    switch (e.kind) {
      case "message.created": {
        const awards: Award[] = [];
        const author = this.members.get(e.author.id);
        if (author) {
          const cooling = author.lastAwardAt !== null && at - author.lastAwardAt < this.rules.messageCooldownSeconds * 1000;
          const amount = cooling ? 0 : this.grant(author, day, e.threadParentKey ? this.rules.reply : this.rules.post);
          if (amount > 0) {
            author.lastAwardAt = at;
            awards.push(this.credit(e.author.id, day, amount));
          }
        }
        if (e.mentions.length > 0 && THANKS.test(e.text)) {
          for (const receiver of new Set(e.mentions.map((m) => m.id))) {
            if (receiver === e.author.id) continue;
            const budget = this.budgets.get(e.author.id);
            const given = budget?.day === day ? budget.given : 0;
            if (given >= this.rules.thanksPerDay) continue;
            this.budgets.set(e.author.id, { day, given: given + 1 });
            const member = this.members.get(receiver);
            const amount = member ? this.grant(member, day, this.rules.thanksReceived) : 0;
            if (amount > 0) awards.push(this.credit(receiver, day, amount));
          }
        }
        if (author || awards.length > 0) this.messages.set(e.messageKey, { author: e.author.id, deleted: false, awards, reactions: new Set() });
        return;
      }
      case "reaction.added": {
        const message = this.messages.get(e.messageKey);
        const author = message && this.members.get(message.author);
        if (!message || !author || message.deleted || message.author === e.actor.id || this.reactions.has(e.key)) return;
        const amount = this.grant(author, day, this.rules.reactionReceived);
        this.reactions.set(e.key, { award: amount > 0 ? this.credit(message.author, day, amount) : undefined, ended: false });
        message.reactions.add(e.key);
        return;
      }
      case "reaction.removed": {
        const reaction = this.reactions.get(e.key);
        if (!reaction || reaction.ended) return;
        reaction.ended = true;
        if (reaction.award) this.debit(reaction.award);
        return;
      }
      case "message.deleted": {
        const message = this.messages.get(e.messageKey);
        if (!message || message.deleted) return;
        message.deleted = true;
        for (const award of message.awards) this.debit(award);
        for (const key of message.reactions) {
          const reaction = this.reactions.get(key)!;
          if (reaction.ended) continue;
          reaction.ended = true;
          if (reaction.award) this.debit(reaction.award);
        }
        return;
      }
    }
  }

  /** What the daily cap leaves of `base` (the cap counts what was granted, reversals or not). */
  private grant(member: Member, day: string, base: number): number {
    if (member.day !== day) {
      member.day = day;
      member.gross = 0;
    }
    const amount = Math.max(0, Math.min(base, this.rules.dailyCap - member.gross));
    member.gross += amount;
    return amount;
  }

  private credit(memberId: string, day: string, amount: number): Award {
    this.add(memberId, day, amount);
    return { memberId, amount, day };
  }

  private debit(award: Award): void {
    this.add(award.memberId, award.day, -award.amount);
  }

  private add(memberId: string, day: string, amount: number): void {
    const totals = this.members.get(memberId)!.totals;
    for (const period of periodsOfDay(day)) totals.set(period, (totals.get(period) ?? 0) + amount);
  }
}
