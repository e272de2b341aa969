import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { describePostgres, postgresMigrationProblem, postgresProblem } from "../../src/db/database-errors.js";
import { openDatabase } from "../../src/db/open-database.js";
import { DatabaseStartError } from "../../src/db/database-errors.js";
import { migrationNames } from "./schema-snapshot.js";

const dirs: string[] = [];
function tmpFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-open-"));
  dirs.push(dir);
  return path.join(dir, "gk.db");
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function refusal(url: string): Promise<string> {
  const error = await openDatabase(url, { role: "test" }).then(
    async (opened) => (await opened.close(), undefined),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseStartError);
  return (error as Error).message;
}

describe("opening the database", () => {
  it("GIVEN a new file THEN it is created, migrated, and said to be new; the second time it is not", async () => {
    const file = tmpFile();
    const first = await openDatabase(file, { role: "test" });
    expect(first).toMatchObject({ where: file, created: true, applied: migrationNames });
    await first.close();
    const second = await openDatabase(file, { role: "test" });
    expect(second).toMatchObject({ where: file, created: false, applied: [] });
    await second.close();
  });

  it("GIVEN tables an older version's interrupted start left unrecorded THEN the line says so and what to do", async () => {
    const file = tmpFile();
    const raw = new BetterSqlite3(file);
    raw.exec("create table communities (id text primary key)");
    raw.close();
    expect(await refusal(file)).toBe(
      `cannot migrate the SQLite database ${file}: migration ${migrationNames[0]} finds its tables already there but not recorded, left by an interrupted start of an older version. If the file holds no data yet, delete it and start again; otherwise restore a backup.`,
    );
  });

  it("GIVEN a database migrated by a newer version THEN the line names the unknown migration", async () => {
    const file = tmpFile();
    await (await openDatabase(file, { role: "test" })).close();
    const raw = new BetterSqlite3(file);
    raw.prepare("insert into kysely_migration (name, timestamp) values (?, ?)").run("20991231_2359_from_the_future", new Date().toISOString());
    raw.close();
    expect(await refusal(file)).toContain("was migrated by a newer guildkeeper (migration 20991231_2359_from_the_future is unknown to this version)");
  });

  it("GIVEN a file that is not a database THEN the line says so with the path", async () => {
    const file = tmpFile();
    fs.writeFileSync(file, "this is not a database, just text that is long enough to have a header".repeat(10));
    expect(await refusal(file)).toMatch(new RegExp(`^cannot write the SQLite database ${file}: it is not a SQLite database, or it is damaged`));
  });
});

describe("Postgres lines", () => {
  const url = "postgres://gk:s3cr3t-pw@db.example:5433/guild";
  it("GIVEN a URL with a password THEN where it is never includes the password", () => {
    expect(describePostgres(url).where).toBe("Postgres gk@db.example:5433/guild");
    expect(describePostgres("postgres:///guild?host=/var/run/postgresql").where).toBe("Postgres (default user)@/var/run/postgresql:5432/guild");
  });

  it("GIVEN each failure THEN one line names it and what to do", () => {
    const err = (code: string, message = "m") => Object.assign(new Error(message), { code });
    expect(postgresProblem(err("ECONNREFUSED"), url, 10_000)).toContain("connection refused. Is Postgres running and listening on db.example:5433?");
    expect(postgresProblem(new AggregateError([err("ECONNREFUSED")]), url, 10_000)).toContain("connection refused");
    expect(postgresProblem(err("ENOTFOUND"), url, 10_000)).toContain('the host "db.example" cannot be resolved');
    expect(postgresProblem(new Error("timeout exceeded when trying to connect"), url, 10_000)).toContain("no answer within 10 s");
    expect(postgresProblem(err("3D000"), url, 10_000)).toContain('the database "guild" does not exist. Create it (createdb -h db.example -p 5433 "guild")');
    expect(postgresProblem(err("28P01", 'password authentication failed for user "gk"'), url, 10_000)).toContain("Postgres refused the login");
    expect(postgresMigrationProblem(err("42601", 'syntax error at or near "x"'), url, "20261201_0000_x", 10_000)).toBe(
      'cannot migrate Postgres gk@db.example:5433/guild (migration 20261201_0000_x): syntax error at or near "x" (42601). Nothing of it was kept; see the server\'s log.',
    );
    for (const line of [postgresProblem(err("ECONNREFUSED"), url, 1), postgresMigrationProblem(err("42601"), url, undefined, 1)]) expect(line).not.toContain("s3cr3t-pw");
  });
});
