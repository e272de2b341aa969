import BetterSqlite3 from "better-sqlite3";
import { startCheckpointer } from "../src/db/checkpointer.js";
import { tuneSqlite } from "../src/db/connect.js";
import { periodsOfDay } from "../src/engine/calendar.js";
import type { BenchEvent } from "./synthetic-community.js";

/**
 * The ceiling the engine is measured against: the same rows written to the same tables (same
 * indexes, made by the same migration) by hand, with raw better-sqlite3 prepared statements in
 * transactions of 1000 events. Per event: the message row, the ledger row (insert-or-ignore on its
 * natural key), the three totals rows (all-time, week, month) and the member row; reversals write
 * their undo rows and subtract from totals. It applies no rules (no cooldown, cap or thanks budget),
 * so it is what the writes alone cost.
 */
export function runCeiling(file: string, events: Iterable<BenchEvent>, communityId: string): { events: number; seconds: number; stop(): Promise<void> } {
  const db = new BetterSqlite3(file);
  tuneSqlite(db);
  // The same database set-up as the engine's, background checkpoints included.
  const checkpointer = startCheckpointer(file);

  const insertMessage = db.prepare(
    "insert into messages (message_key, community_id, member_id, channel_key, thread_parent_key, created_at, deleted_at) values (?, ?, ?, ?, ?, ?, null) on conflict (message_key) do nothing",
  );
  const authorOf = db.prepare("select member_id, deleted_at from messages where message_key = ?");
  const deleteMessage = db.prepare("update messages set deleted_at = ? where message_key = ? and deleted_at is null");
  const insertLedger = db.prepare(
    "insert into ledger (key, community_id, member_id, amount, reason, source_key, at, day, reverses) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing",
  );
  const findLedger = db.prepare("select member_id, amount, day, reason from ledger where key = ?");
  const bySource = db.prepare("select key, member_id, amount, day, reason from ledger where source_key = ? and reverses is null and amount <> 0");
  const addTotals = db.prepare(
    "insert into totals (community_id, period, member_id, points) values (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?) on conflict (community_id, period, member_id) do update set points = totals.points + excluded.points",
  );
  const upsertMember = db.prepare(
    "insert into members (community_id, member_id, display_name, is_bot, first_seen_at, last_message_award_at, activity_day, activity_points, thanks_given, points) values (?, ?, ?, 0, ?, ?, ?, ?, 0, ?) on conflict (community_id, member_id) do update set display_name = excluded.display_name, last_message_award_at = excluded.last_message_award_at, activity_day = excluded.activity_day, activity_points = members.activity_points + excluded.activity_points, points = members.points + excluded.points",
  );

  const credit = (memberId: string, day: string, amount: number) => {
    const [all, week, month] = periodsOfDay(day);
    addTotals.run(communityId, all, memberId, amount, communityId, week, memberId, amount, communityId, month, memberId, amount);
  };
  const award = (key: string, memberId: string, name: string, amount: number, reason: string, source: string, at: string, day: string) => {
    if (insertLedger.run(key, communityId, memberId, amount, reason, source, at, day, null).changes === 0) return;
    credit(memberId, day, amount);
    upsertMember.run(communityId, memberId, name, at, at, day, amount, amount);
  };
  const reverse = (key: string, row: { member_id: string; amount: number; day: string; reason: string }, source: string, at: string) => {
    if (insertLedger.run(`${key}:undo`, communityId, row.member_id, -row.amount, `undo:${row.reason}`, source, at, row.day, key).changes === 0) return;
    credit(row.member_id, row.day, -row.amount);
  };

  const apply = (e: BenchEvent) => {
    const at = e.at.toISOString();
    const day = at.slice(0, 10);
    switch (e.kind) {
      case "message.created": {
        if (insertMessage.run(e.messageKey, communityId, e.author.id, e.place.channelId, e.threadParentKey ?? null, at).changes === 0) return;
        award(e.messageKey, e.author.id, e.author.displayName, e.threadParentKey ? 2 : 5, e.threadParentKey ? "reply" : "post", e.messageKey, at, day);
        for (const m of e.mentions) award(`${e.messageKey}:thanks:${m.id}`, m.id, m.displayName ?? m.id, 10, "thanks", e.messageKey, at, day);
        return;
      }
      case "reaction.added": {
        const message = authorOf.get(e.messageKey) as { member_id: string; deleted_at: string | null } | undefined;
        if (!message || message.deleted_at) return;
        award(e.key, message.member_id, message.member_id, 1, "reaction", e.messageKey, at, day);
        return;
      }
      case "reaction.removed": {
        const row = findLedger.get(e.key) as { member_id: string; amount: number; day: string; reason: string } | undefined;
        if (row) reverse(e.key, row, e.messageKey, at);
        return;
      }
      case "message.deleted": {
        if (deleteMessage.run(at, e.messageKey).changes === 0) return;
        for (const row of bySource.all(e.messageKey) as { key: string; member_id: string; amount: number; day: string; reason: string }[]) reverse(row.key, row, e.messageKey, at);
        return;
      }
    }
  };

  const batch: BenchEvent[] = [];
  const commit = db.transaction((events: BenchEvent[]) => {
    for (const e of events) apply(e);
  });
  let count = 0;
  const started = performance.now();
  for (const event of events) {
    batch.push(event);
    if (batch.length === 1000) {
      commit(batch);
      count += batch.length;
      batch.length = 0;
    }
  }
  commit(batch);
  count += batch.length;
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { events: count, seconds, stop: () => checkpointer.stop() };
}
