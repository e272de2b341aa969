import { randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_URL } from "../helpers/db.js";
import { baseEnv, type Checkout, makeCheckout, type Run, run } from "./checkout.js";

/**
 * Issue 8.6: every database a start cannot use gets one line — what, where (never the password),
 * what to do — and exit code 2, from `npm start` and `npm run migrate` alike (both bundled here as
 * npm runs them; one case also goes through `npm run migrate` itself).
 */
let checkout: Checkout;
beforeAll(async () => {
  checkout = await makeCheckout();
});
afterAll(() => checkout?.cleanup());

const PASSWORD = `pw-${randomUUID().slice(0, 8)}`;
// Tests run as root, whom file modes do not stop: the read-only cases run the bot as "nobody".
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

interface Case {
  name: string;
  url: () => string | Promise<string>;
  expected: string[];
  postgres?: boolean;
  unprivileged?: boolean;
}

const pg = POSTGRES_URL ? new URL(POSTGRES_URL) : undefined;

const cases: Case[] = [
  {
    name: "a closed Postgres port",
    url: async () => `postgres://postgres:${PASSWORD}@127.0.0.1:${await freePort()}/test`,
    expected: ["cannot connect to Postgres postgres@127.0.0.1:", "connection refused", "Is Postgres running"],
  },
  {
    name: "an unknown host",
    // .invalid never resolves (RFC 2606): no query leaves for the internet with an answer to wait for.
    url: () => `postgres://postgres:${PASSWORD}@guildkeeper-test.invalid:5432/test`,
    expected: ['the host "guildkeeper-test.invalid" cannot be resolved', "Check the host in DATABASE_URL"],
  },
  {
    name: "a missing database",
    postgres: true,
    url: () => `postgres://${pg!.username}:${PASSWORD}@${pg!.host}/gk_missing_${randomUUID().slice(0, 8)}`,
    expected: ["does not exist", "Create it (createdb"],
  },
  {
    name: "an unknown role",
    postgres: true,
    url: () => `postgres://gk_nobody_${randomUUID().slice(0, 8)}:${PASSWORD}@${pg!.host}${pg!.pathname}`,
    expected: ["Postgres refused the login", "does not exist", "Check the user and password in DATABASE_URL"],
  },
  {
    name: "a directory",
    url: () => checkout.tmp(),
    expected: ["DATABASE_URL names a folder, not a file", "Name a file in it instead"],
  },
  {
    name: "a parent folder that cannot be created (a file is in the way)",
    url: () => {
      const dir = checkout.tmp();
      fs.writeFileSync(path.join(dir, "a-file"), "");
      return path.join(dir, "a-file", "sub", "gk.db");
    },
    expected: ["cannot create the folder", "a-file/sub for the SQLite database", "a part of the path is a file", "Create the folder, or set DATABASE_URL"],
  },
  {
    name: "a read-only database file",
    unprivileged: true,
    url: () => {
      const dir = checkout.tmp();
      fs.chmodSync(dir, 0o777);
      const file = path.join(dir, "gk.db");
      fs.writeFileSync(file, "");
      fs.chmodSync(file, 0o444);
      return file;
    },
    expected: ["cannot write the SQLite database", "gk.db: it is read-only for this user", "Check the file's permissions"],
  },
  {
    name: "a folder this user may not write",
    unprivileged: true,
    url: () => {
      const dir = checkout.tmp();
      fs.chmodSync(dir, 0o555);
      return path.join(dir, "gk.db");
    },
    expected: ["cannot use the SQLite database", "its folder is not writable", "Give this user write access to"],
  },
];

function expectOneClearLine(result: Run, c: Case, url: string, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(2);
  const line = result.stderr.trimEnd();
  expect(line.split("\n"), `${what}: one line`).toHaveLength(1);
  expect(line.startsWith("guildkeeper: "), what).toBe(true);
  for (const fragment of c.expected) expect(line, what).toContain(fragment);
  if (!url.startsWith("postgres")) expect(line, what).toContain(url);
  expect(line, what).not.toContain(PASSWORD);
  expect(line, what).not.toMatch(/\n\s+at |node_modules|pg-pool|kysely/);
}

describe("a database the bot cannot use", () => {
  it.concurrent.each(cases.filter((c) => !c.postgres || POSTGRES_URL))("GIVEN $name THEN npm start and npm run migrate each print one clear line and exit 2", async (c) => {
    const url = await c.url();
    const options = { cwd: checkout.tmp(), env: baseEnv({ DATABASE_URL: url }), input: "/quit\n", ...(c.unprivileged ? asNobody : {}) };
    const [start, migrate] = await Promise.all([run(process.execPath, [checkout.entry("main")], options), run(process.execPath, [checkout.entry("migrate")], options)]);
    expectOneClearLine(start, c, url, "start");
    expectOneClearLine(migrate, c, url, "migrate");
  }, 30_000);

  it("GIVEN a closed Postgres port THEN `npm run migrate` itself prints the same one line and exits 2", async () => {
    const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${await freePort()}/test`;
    const result = await run("npm", ["run", "--silent", "migrate"], { cwd: path.join(import.meta.dirname, "../.."), env: baseEnv({ DATABASE_URL: url }) });
    expectOneClearLine(result, cases[0]!, url, "npm run migrate");
  }, 30_000);
});

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
