import type { Kysely } from "kysely";

// Tech talks (src/engine/talks/): proposals, talks (one-offs and the occurrences of a series),
// RSVPs, reminder deliveries, attendance (check-ins and voice presence). Ids are made in the app and
// times are ISO-8601 UTC text, so the tables read the same on SQLite and Postgres.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("talk_series")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    // RFC 5545 RRULE with a floating DTSTART (the first occurrence's local wall time).
    .addColumn("rrule", "text", (c) => c.notNull())
    // IANA zone the wall times are read in, so each occurrence keeps its local time across DST.
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("talks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("series_id", "text")
    // A series occurrence's local wall time (`2026-03-26T18:00`): unique within its series.
    .addColumn("occurrence", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("speaker_id", "text", (c) => c.notNull())
    .addColumn("speaker_name", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    // Where it happens: a channel (a Discord voice or stage channel) and/or a link.
    .addColumn("where_channel", "text")
    .addColumn("where_link", "text")
    .addColumn("capacity", "integer")
    // scheduled | cancelled
    .addColumn("status", "text", (c) => c.notNull())
    // JSON Place of the announcement, and its outbox dedupe key (edits name it).
    .addColumn("announce_place", "text")
    .addColumn("announce_key", "text")
    // Bumped on every change the announcement shows, so each edit gets its own dedupe key.
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("checkin_code", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("proposal_id", "text")
    // The Discord Guild Scheduled Event mirroring the talk, and the talk version it shows.
    .addColumn("scheduled_event_id", "text")
    .addColumn("scheduled_event_version", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("talks_upcoming").on("talks").columns(["community_id", "status", "starts_at"]).execute();
  await db.schema.createIndex("talks_series_occurrence").on("talks").columns(["series_id", "occurrence"]).unique().execute();

  await db.schema
    .createTable("talk_rsvps")
    .addColumn("talk_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    // going | maybe | no | waitlist
    .addColumn("status", "text", (c) => c.notNull())
    // 1: DM me a reminder (Going members only)
    .addColumn("remind", "integer", (c) => c.notNull().defaultTo(0))
    // Waitlist order: when the member asked to go.
    .addColumn("asked_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("talk_rsvps_pk", ["talk_id", "member_id"])
    .execute();

  // One row per reminder of a talk that was decided (sent or skipped): the record that it happened.
  await db.schema
    .createTable("talk_reminders")
    .addColumn("talk_id", "text", (c) => c.notNull())
    .addColumn("reminder", "text", (c) => c.notNull())
    // sent | skipped
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("decided_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("talk_reminders_pk", ["talk_id", "reminder"])
    .execute();

  // Who attended, once per talk and member (how: check-in or voice).
  await db.schema
    .createTable("talk_attendance")
    .addColumn("talk_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("via", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("talk_attendance_pk", ["talk_id", "member_id"])
    .execute();

  // Time members spent in voice channels (Discord), from neutral voice joined/left events.
  await db.schema
    .createTable("voice_sessions")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("channel_key", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("joined_at", "text", (c) => c.notNull())
    .addColumn("left_at", "text")
    .execute();
  await db.schema.createIndex("voice_sessions_channel").on("voice_sessions").columns(["channel_key", "member_id", "joined_at"]).execute();

  await db.schema
    .createTable("talk_proposals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("community_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("proposer_id", "text", (c) => c.notNull())
    .addColumn("proposer_name", "text", (c) => c.notNull())
    // open | scheduled | declined
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("card_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["talk_proposals", "voice_sessions", "talk_attendance", "talk_reminders", "talk_rsvps", "talks", "talk_series"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
