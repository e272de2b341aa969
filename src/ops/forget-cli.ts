import readline from "node:readline/promises";
import type { Kysely } from "kysely";
import { commands, messageActions } from "../../commands/index.js";
import { ConfigError, loadConfig } from "../config.js";
import { systemClock } from "../core/clock.js";
import { parseNamespacedId } from "../core/identity.js";
import { DatabaseStartError } from "../db/database-errors.js";
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

const USAGE = "usage: npm run forget -- --member <platform:workspace:user or platform user id> [--community <id or name>] [--yes]";

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
      const { community, memberId } = await resolve(db, args.member, args.community);
      const engine = new Engine({ db, clock: systemClock, log, commands, messageActions, defaults: { timezone: config.defaultTimezone } });
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

function parseArgs(argv: readonly string[]): { member: string; community?: string; yes: boolean } | { error: string } {
  let member: string | undefined;
  let community: string | undefined;
  let yes = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--yes") yes = true;
    else if (a === "--member" || a === "--community") {
      const value = argv[++i];
      if (!value || value.startsWith("--")) return { error: `${a} needs a value.` };
      if (a === "--member") member = value;
      else community = value;
    } else return { error: `unknown argument ${a}.` };
  }
  if (!member) return { error: "--member is required." };
  return { member, ...(community ? { community } : {}), yes };
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
