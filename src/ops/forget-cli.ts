import readline from "node:readline/promises";
import BetterSqlite3 from "better-sqlite3";
import type { Kysely } from "kysely";
import { commands, messageActions } from "../../commands/index.js";
import { ConfigError, loadConfig } from "../config.js";
import { systemClock } from "../core/clock.js";
import { parseNamespacedId } from "../core/identity.js";
import { connect } from "../db/connect.js";
import { DatabaseStartError } from "../db/database-errors.js";
import { parseDatabaseUrl } from "../db/database-url.js";
import { openDatabase } from "../db/open-database.js";
import { DatabaseInUseError } from "../db/writer-lock.js";
import type { Database } from "../db/schema.js";
import { type Community, findCommunityByWorkspace } from "../engine/communities/community.repo.js";
import { settingsSchema } from "../engine/communities/settings.js";
import { Engine } from "../engine/engine.js";
import { doneText, previewLines } from "../engine/forget/forget-replies.js";
import { createLogger } from "../log.js";
import { reportStartFailure } from "../startup-failure.js";
import type { CliIo } from "./backup-cli.js";
import { processIo } from "./backup-cli.js";

/** A CLI's io, plus a question on the terminal. */
export interface ForgetIo extends CliIo {
  ask(question: string): Promise<string>;
}

export const processForgetIo: ForgetIo = {
  ...processIo,
  async ask(question) {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } catch {
      return ""; // standard input closed: no answer
    } finally {
      rl.close();
    }
  },
};

const USAGE = [
  "usage: npm run forget -- --member <platform:workspace:user or platform user id> [--community <id or name>] [--yes]",
  "       npm run forget -- --tombstones-from <the database a restore replaced: file or postgres:// URL> [--yes]",
].join("\n");

class Refusal extends Error {}

/**
 * `npm run forget -- --member <id> [--community …] [--yes]`: an admin forgets a member who asked by
 * other means (an email), exactly as `/forget-me` would (docs/forget-me.md). It prints what will be
 * erased and asks, unless `--yes`. It writes, so on SQLite it takes the one-writer lock like
 * `npm run migrate`: while the bot runs it is refused (exit 2) — stop the bot, run it, start the bot.
 * Exit codes: 0 forgotten, 1 declined (nothing done) or failed, 2 refused (bad arguments, no such
 * member or community, the database in use).
 */
export async function forgetCli(argv: readonly string[], env: Record<string, string | undefined>, io: ForgetIo = processForgetIo): Promise<number> {
  const args = parseArgs(argv);
  if ("error" in args) {
    io.err(`${args.error}\n${USAGE}\n`);
    return 2;
  }
  let secrets: readonly string[] = [];
  try {
    const config = loadConfig(env);
    secrets = config.secrets;
    const log = createLogger({ level: config.logLevel, secrets });
    const opened = await openDatabase(config.databaseUrl, { role: "npm run forget" });
    try {
      const db = opened.db.kysely;
      const engine = new Engine({ db, clock: systemClock, log, commands, messageActions, defaults: { timezone: config.defaultTimezone } });
      if ("tombstonesFrom" in args) return await forgetAgain(engine, db, args.tombstonesFrom, args.yes, io);
      const { community, memberId } = await resolve(db, args.member, args.community);
      const preview = await engine.services.forget.preview(community, memberId, { thorough: true });
      const rows = Object.entries(preview.rows).map(([table, n]) => `${table} ${n}`);
      io.out(
        [
          `Forget ${memberId} in ${community.name} (${community.id})${preview.accounts.length > 1 ? `, with the linked ${preview.accounts.filter((a) => a !== memberId).join(", ")}` : ""}. This erases:`,
          ...previewLines(preview, memberId, "they"),
          `Rows naming them, by table: ${rows.length ? rows.join(", ") : "none"}${preview.knowledge ? `; knowledge base ${preview.knowledge}` : ""}.`,
          "",
        ].join("\n"),
      );
      if (!args.yes) {
        const answer = (await io.ask("Type yes to forget them (it cannot be undone): ")).trim().toLowerCase();
        if (answer !== "yes") {
          io.out("Nothing was forgotten.\n");
          return 1;
        }
      }
      const result = await engine.services.forget.forget(community, memberId);
      await engine.drain();
      io.out(`${doneText(result, "they")}\n`);
      if (opened.db.dialect === "postgres") io.out("On Postgres nothing stopped the bot meanwhile: restart the bot processes using this database, so that no cache of theirs holds this member's old row.\n");
      return 0;
    } finally {
      await opened.close();
    }
  } catch (error) {
    if (error instanceof Refusal) {
      io.err(`guildkeeper: ${error.message}\n`);
      return 2;
    }
    if (error instanceof DatabaseInUseError) {
      io.err(`guildkeeper: ${error.message}\nnpm run forget writes, so it needs the bot stopped (or the member can use /forget-me while it runs).\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DatabaseStartError) return reportStartFailure(error, { secrets });
    return reportStartFailure(error, { secrets, what: "npm run forget" });
  }
}

function parseArgs(argv: readonly string[]): { member: string; community?: string; yes: boolean } | { tombstonesFrom: string; yes: boolean } | { error: string } {
  const values: Record<string, string> = {};
  let yes = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--yes") yes = true;
    else if (a === "--member" || a === "--community" || a === "--tombstones-from") {
      const value = argv[++i];
      if (!value || value.startsWith("--")) return { error: `${a} needs a value.` };
      values[a] = value;
    } else return { error: `unknown argument ${a}.` };
  }
  const from = values["--tombstones-from"];
  if (from !== undefined) return values["--member"] || values["--community"] ? { error: "--tombstones-from goes alone (with --yes at most)." } : { tombstonesFrom: from, yes };
  const member = values["--member"];
  if (!member) return { error: "--member (or --tombstones-from) is required." };
  return { member, ...(values["--community"] ? { community: values["--community"] } : {}), yes };
}

/**
 * `--tombstones-from`: after restoring a backup taken before some forgettings, the members forgotten
 * since are back in it. The database the restore replaced (kept aside, as docs/backups.md says) still
 * has their tombstones: they are copied here, so their old events stay dropped, and every member of
 * the restored database whose id matches one is forgotten again. Prints counts only, never ids.
 */
async function forgetAgain(engine: Engine, db: Kysely<Database>, from: string, yes: boolean, io: ForgetIo): Promise<number> {
  const tombstones = await readTombstones(from);
  const communities = await db.selectFrom("communities").select(["id", "name", "settings"]).execute();
  const here = communities.filter((c) => tombstones.has(c.id));
  const elsewhere = [...tombstones.keys()].filter((id) => !communities.some((c) => c.id === id));
  io.out(
    [
      `${from} has ${[...tombstones.values()].reduce((n, t) => n + t.length, 0)} tombstones: ${here.map((c) => `${tombstones.get(c.id)!.length} in ${c.name}`).join(", ") || "none for a community of this database"}${elsewhere.length ? ` (and some of ${elsewhere.length} communities this database does not have, skipped)` : ""}.`,
      "They will be copied here, and the members they match forgotten again.",
      "",
    ].join("\n"),
  );
  if (here.length === 0) return 0;
  if (!yes && (await io.ask("Type yes to go on: ")).trim().toLowerCase() !== "yes") {
    io.out("Nothing was forgotten.\n");
    return 1;
  }
  for (const c of here) {
    const community: Community = { id: c.id, name: c.name, settings: settingsSchema.parse(JSON.parse(c.settings)) };
    const r = await engine.services.forget.forgetAgain(community, tombstones.get(c.id)!);
    io.out(`${c.name}: ${r.tombstones} tombstones kept, ${r.forgotten} accounts forgotten again.\n`);
  }
  await engine.drain();
  return 0;
}

/** The tombstones of another database (read-only for a SQLite file), by community. */
async function readTombstones(from: string): Promise<Map<string, { member_hash: string; forgotten_at: string }[]>> {
  const target = parseDatabaseUrl(from);
  if ("error" in target) throw new Refusal(`--tombstones-from: ${target.error}`);
  let rows: { community_id: string; member_hash: string; forgotten_at: string }[];
  try {
    if (target.dialect === "sqlite") {
      const file = new BetterSqlite3(target.file, { readonly: true, fileMustExist: true });
      try {
        rows = file.prepare("SELECT community_id, member_hash, forgotten_at FROM forgotten_members").all() as typeof rows;
      } finally {
        file.close();
      }
    } else {
      const other = connect(target.url);
      try {
        rows = await other.kysely.selectFrom("forgotten_members").select(["community_id", "member_hash", "forgotten_at"]).execute();
      } finally {
        await other.close();
      }
    }
  } catch (error) {
    throw new Refusal(`cannot read the tombstones of ${target.dialect === "sqlite" ? target.file : "that database"}: ${(error as Error).message}.`);
  }
  const by = new Map<string, { member_hash: string; forgotten_at: string }[]>();
  for (const r of rows) by.set(r.community_id, [...(by.get(r.community_id) ?? []), { member_hash: r.member_hash, forgotten_at: r.forgotten_at }]);
  return by;
}

/** The community and the namespaced member id a typed `--member` (and `--community`) name. */
async function resolve(db: Kysely<Database>, typed: string, wanted: string | undefined): Promise<{ community: Community; memberId: string }> {
  const communities = await db.selectFrom("communities").select(["id", "name", "settings"]).orderBy("created_at").execute();
  const named = wanted ? communities.filter((c) => c.id === wanted || c.name === wanted) : undefined;
  if (named && named.length !== 1) throw new Refusal(`${named.length ? "several communities" : "no community"} ${named.length ? "match" : "is called or numbered"} "${wanted}". Communities:\n${communities.map((c) => `  ${c.id}  ${c.name}`).join("\n") || "  (none yet)"}`);
  const toCommunity = (c: { id: string; name: string; settings: string }): Community => ({ id: c.id, name: c.name, settings: settingsSchema.parse(JSON.parse(c.settings)) });

  const parts = parseNamespacedId(typed);
  if (parts) {
    const community = await findCommunityByWorkspace(db, parts.platform, parts.workspaceId);
    if (!community) throw new Refusal(`no community has the ${parts.platform} workspace ${parts.workspaceId} of ${typed}.`);
    if (named && named[0]!.id !== community.id) throw new Refusal(`${typed} belongs to community ${community.id} (${community.name}), not to "${wanted}".`);
    return { community, memberId: typed };
  }
  if (typed.includes(":")) throw new Refusal(`"${typed}" is not a member id: give platform:workspace:user (e.g. discord:123456789012345678:234567890123456789) or the platform's user id alone.`);
  // A bare platform user id: the members it may be, across communities (or in the one named).
  const found = await db
    .selectFrom("members")
    .select(["community_id", "member_id"])
    .where("member_id", "like", `%:${typed}`)
    .$if(named !== undefined, (q) => q.where("community_id", "=", named![0]!.id))
    .execute();
  const exact = found.filter((m) => parseNamespacedId(m.member_id)?.localId === typed);
  if (exact.length === 0) throw new Refusal(`no member with the user id ${typed}${named ? ` in ${named[0]!.name}` : ""}. Give the full id platform:workspace:user to forget one the bot has no row for.`);
  if (exact.length > 1) throw new Refusal(`several members have the user id ${typed}: name one with its full id, or add --community:\n${exact.map((m) => `  ${m.member_id} (community ${m.community_id})`).join("\n")}`);
  const community = communities.find((c) => c.id === exact[0]!.community_id);
  if (!community) throw new Refusal(`the community of ${exact[0]!.member_id} no longer exists.`);
  return { community: toCommunity(community), memberId: exact[0]!.member_id };
}
