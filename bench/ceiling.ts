import BetterSqlite3 from "better-sqlite3";
import { startCheckpointer } from "../src/db/checkpointer.js";
import { tuneSqlite } from "../src/db/connect.js";
import { periodsOfDay } from "../src/engine/calendar.js";
import type { BenchEvent } from "./synthetic-community.js";

/**
 * The ceiling the engine is measured against: the same rows written to the same tables (same
 * indexes, made by the same migration) by hand, with raw better-sqlite3 prepared statements in
 * transactions of 1000 events. It applies no rules (no cooldown, cap or thanks budget), so it is
 * what the writes alone cost.
 *
 * Per event, what the engine writes on its common path:
 * - a message: the message row with what it earned (scored, gross, net, ledger_rows), the ledger
 *   row, the three totals rows, the member row (with the watermark); a thanks in it: the thanks
 *   row, its ledger and totals rows, the receiver's row;
 * - a reaction: the message's author looked up, the reaction looked up, the reaction row, the
 *   ledger, totals and member rows;
 * - a removal: the reaction looked up and ended, the undo row, totals, the reaction's ledger sum,
 *   the member's points;
 * - a delete: the message marked, its thanks and reactions looked up and ended, and for each award
 *   an undo row, totals, the event's ledger sum and the member's points;
 * - per transaction: the totals histogram's net changes (each totals upsert returns the new points,
 *   from which the move is folded in memory), as the engine writes them before it commits.
 */
export class Ceiling {
  private readonly db: BetterSqlite3.Database;
  private readonly checkpointer: ReturnType<typeof startCheckpointer>;
  private readonly commit: (events: BenchEvent[]) => void;
  events = 0;
  seconds = 0;

  /** `histogram: false` leaves out the totals histogram (bench/histogram-cost.ts measures what it costs). */
  constructor(file: string, communityId: string, options: { histogram?: boolean } = {}) {
    const keepHistogram = options.histogram ?? true;
    const db = (this.db = new BetterSqlite3(file));
    tuneSqlite(db);
    // The same database set-up as the engine's, background checkpoints included.
    this.checkpointer = startCheckpointer(file);

    const insertMessage = db.prepare(
      "insert into messages (message_key, community_id, member_id, channel_key, thread_parent_key, created_at, deleted_at, scored, gross, net, ledger_rows) values (?, ?, ?, ?, ?, ?, null, 1, ?, ?, 1) on conflict (message_key) do nothing",
    );
    const authorOf = db.prepare("select member_id, deleted_at from messages where message_key = ?");
    const deleteMessage = db.prepare("update messages set deleted_at = ? where message_key = ? and deleted_at is null");
    const insertLedger = db.prepare(
      "insert into ledger (key, community_id, member_id, amount, reason, source_key, at, day, reverses) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing",
    );
    const addTotals = db.prepare(
      "insert into totals (community_id, period, member_id, points) values (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?) on conflict (community_id, period, member_id) do update set points = totals.points + excluded.points returning period, points",
    );
    // The totals histogram as the engine keeps it: ±1 per (period, points) folded in memory while
    // the transaction runs, written once before it commits in upserts of up to 64 rows.
    // Exact rows (width 1) and, when a member crosses a multiple of 256, the coarse ones.
    // Period → width → points → change, as the engine folds them (no key string built per change).
    type Delta = { period: string; width: number; points: number; delta: number };
    const histogram = new Map<string, { exact: Map<number, Delta>; coarse: Map<number, Delta> }>();
    const fold = (byPoints: Map<number, Delta>, period: string, width: number, points: number, delta: number) => {
      const entry = byPoints.get(points);
      if (entry) entry.delta += delta;
      else byPoints.set(points, { period, width, points, delta });
    };
    const moved = (period: string, before: number, after: number) => {
      if (before === after) return;
      let widths = histogram.get(period);
      if (!widths) histogram.set(period, (widths = { exact: new Map(), coarse: new Map() }));
      if (before !== 0) fold(widths.exact, period, 1, before, -1);
      if (after !== 0) fold(widths.exact, period, 1, after, 1);
      const from = before === 0 ? undefined : Math.floor(before / 256) * 256;
      const to = after === 0 ? undefined : Math.floor(after / 256) * 256;
      if (from === to) return;
      if (from !== undefined) fold(widths.coarse, period, 256, from, -1);
      if (to !== undefined) fold(widths.coarse, period, 256, to, 1);
    };
    const histogramUpserts = new Map<number, BetterSqlite3.Statement>();
    const histogramUpsert = (rows: number) => {
      let statement = histogramUpserts.get(rows);
      if (!statement) {
        const values = Array.from({ length: rows }, () => "(?, ?, ?, ?, ?)").join(", ");
        statement = db.prepare(
          `insert into totals_histogram (community_id, period, width, points, members) values ${values} on conflict (community_id, period, width, points) do update set members = totals_histogram.members + excluded.members returning community_id, period, width, points, members`,
        );
        histogramUpserts.set(rows, statement);
      }
      return statement;
    };
    const deleteEmpty = db.prepare("delete from totals_histogram where community_id = ? and period = ? and width = ? and points = ? and members = 0");
    const flushHistogram = () => {
      if (!keepHistogram) return;
      const changed = [...histogram.values()].flatMap((w) => [...w.exact.values(), ...w.coarse.values()]).filter((d) => d.delta !== 0).sort((a, b) => (a.period !== b.period ? (a.period < b.period ? -1 : 1) : a.width !== b.width ? a.width - b.width : a.points - b.points));
      histogram.clear();
      for (let i = 0; i < changed.length; i += 64) {
        const chunk = changed.slice(i, i + 64);
        const after = histogramUpsert(chunk.length).all(chunk.flatMap((d) => [communityId, d.period, d.width, d.points, d.delta])) as { community_id: string; period: string; width: number; points: number; members: number }[];
        for (const row of after) if (row.members === 0) deleteEmpty.run(row.community_id, row.period, row.width, row.points);
      }
    };
    // A reaction does not say the name of whom it earns for (null): their row keeps the name it has,
    // as the engine's does (a new row would take the id, which cannot happen here: the author
    // posted first).
    const upsertMember = db.prepare(
      "insert into members (community_id, member_id, display_name, is_bot, first_seen_at, last_message_award_at, activity_day, activity_points, thanks_given, points, watermark_at, watermark_key) values (?, ?, coalesce(?, ?), 0, ?, ?, ?, ?, 0, ?, ?, ?) on conflict (community_id, member_id) do update set display_name = coalesce(?, members.display_name), last_message_award_at = excluded.last_message_award_at, activity_day = excluded.activity_day, activity_points = members.activity_points + excluded.activity_points, points = members.points + excluded.points, watermark_at = excluded.watermark_at, watermark_key = excluded.watermark_key",
    );
    const memberPoints = db.prepare("update members set points = points + ? where community_id = ? and member_id = ?");
    const findReaction = db.prepare("select member_id, net, added_at, ended_at from reactions where key = ?");
    const insertReaction = db.prepare(
      "insert into reactions (key, community_id, message_key, actor_id, member_id, added_at, ended_at, gross, net, ledger_rows) values (?, ?, ?, ?, ?, ?, null, ?, ?, 1) on conflict (key) do nothing",
    );
    const endReaction = db.prepare("update reactions set ended_at = ? where key = ?");
    const reactionNet = db.prepare("update reactions set net = ?, ledger_rows = ledger_rows + 1 where key = ?");
    const insertThanks = db.prepare(
      "insert into thanks (key, community_id, source_key, giver_id, receiver_id, at, ended_at, counted, gross, net, ledger_rows) values (?, ?, ?, ?, ?, ?, null, 1, ?, ?, 1) on conflict (key) do nothing",
    );
    const reactionsOf = db.prepare("select key, member_id, net, added_at from reactions where message_key = ?");
    const endReactions = db.prepare("update reactions set ended_at = ? where message_key = ? and ended_at is null");
    const thanksOf = db.prepare("select key, receiver_id, net, at from thanks where source_key = ?");
    const endThanks = db.prepare("update thanks set ended_at = ? where source_key = ? and ended_at is null");
    const thanksNet = db.prepare("update thanks set net = ?, ledger_rows = ledger_rows + 1 where key = ?");
    const messageNet = db.prepare("update messages set net = ?, ledger_rows = ledger_rows + 1 where message_key = ?");
    const messageOf = db.prepare("select member_id, net, created_at from messages where message_key = ?");

    const credit = (memberId: string, day: string, amount: number) => {
      const [all, week, month] = periodsOfDay(day);
      const rows = addTotals.all(communityId, all, memberId, amount, communityId, week, memberId, amount, communityId, month, memberId, amount) as { period: string; points: number }[];
      if (keepHistogram) for (const row of rows) moved(row.period, row.points - amount, row.points);
    };
    const award = (key: string, memberId: string, name: string | null, amount: number, reason: string, source: string, at: string, day: string) => {
      if (insertLedger.run(key, communityId, memberId, amount, reason, source, at, day, null).changes === 0) return;
      credit(memberId, day, amount);
      upsertMember.run(communityId, memberId, name, memberId, at, at, day, amount, amount, at, key, name);
    };
    const reverse = (key: string, memberId: string, amount: number, day: string, reason: string, source: string, at: string, storeNet: BetterSqlite3.Statement) => {
      if (insertLedger.run(`${key}:undo`, communityId, memberId, -amount, `undo:${reason}`, source, at, day, key).changes === 0) return;
      credit(memberId, day, -amount);
      storeNet.run(0, key);
      memberPoints.run(-amount, communityId, memberId);
    };

    const apply = (e: BenchEvent) => {
      const at = e.at.toISOString();
      const day = at.slice(0, 10);
      switch (e.kind) {
        case "message.created": {
          const amount = e.threadParentKey ? 2 : 5;
          if (insertMessage.run(e.messageKey, communityId, e.author.id, e.place.channelId, e.threadParentKey ?? null, at, amount, amount).changes === 0) return;
          award(e.messageKey, e.author.id, e.author.displayName, amount, e.threadParentKey ? "reply" : "post", e.messageKey, at, day);
          for (const m of e.mentions) {
            const key = `${e.messageKey}:thanks:${m.id}`;
            insertThanks.run(key, communityId, e.messageKey, e.author.id, m.id, at, 10, 10);
            award(key, m.id, m.displayName ?? m.id, 10, "thanks", e.messageKey, at, day);
          }
          return;
        }
        case "reaction.added": {
          const message = authorOf.get(e.messageKey) as { member_id: string; deleted_at: string | null } | undefined;
          if (findReaction.get(e.key) || !message || message.deleted_at) return;
          insertReaction.run(e.key, communityId, e.messageKey, e.actor.id, message.member_id, at, 1, 1);
          award(e.key, message.member_id, null, 1, "reaction", e.messageKey, at, day);
          return;
        }
        case "reaction.removed": {
          const row = findReaction.get(e.key) as { member_id: string; net: number; added_at: string; ended_at: string | null } | undefined;
          if (!row || row.ended_at) return;
          endReaction.run(at, e.key);
          if (row.net !== 0) reverse(e.key, row.member_id, row.net, row.added_at.slice(0, 10), "reaction", e.messageKey, at, reactionNet);
          return;
        }
        case "message.deleted": {
          if (deleteMessage.run(at, e.messageKey).changes === 0) return;
          const message = messageOf.get(e.messageKey) as { member_id: string; net: number; created_at: string } | undefined;
          const thanks = thanksOf.all(e.messageKey) as { key: string; receiver_id: string; net: number; at: string }[];
          endThanks.run(at, e.messageKey);
          const reactions = reactionsOf.all(e.messageKey) as { key: string; member_id: string; net: number; added_at: string }[];
          endReactions.run(at, e.messageKey);
          if (message && message.net !== 0) reverse(e.messageKey, message.member_id, message.net, message.created_at.slice(0, 10), "post", e.messageKey, at, messageNet);
          for (const t of thanks) if (t.net !== 0) reverse(t.key, t.receiver_id, t.net, t.at.slice(0, 10), "thanks", e.messageKey, at, thanksNet);
          for (const r of reactions) if (r.net !== 0) reverse(r.key, r.member_id, r.net, r.added_at.slice(0, 10), "reaction", e.messageKey, at, reactionNet);
          return;
        }
      }
    };

    this.commit = db.transaction((events: BenchEvent[]) => {
      histogram.clear();
      for (const e of events) apply(e);
      flushHistogram();
    });
  }

  /** Writes `events` in transactions of 1000; adds to the events and seconds counted. */
  run(events: readonly BenchEvent[]): void {
    const started = performance.now();
    for (let i = 0; i < events.length; i += 1000) this.commit(events.slice(i, i + 1000));
    this.seconds += (performance.now() - started) / 1000;
    this.events += events.length;
  }

  async stop(): Promise<void> {
    this.db.close();
    await this.checkpointer.stop();
  }
}
