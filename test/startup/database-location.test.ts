import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, type Checkout, makeCheckout, run } from "./checkout.js";

/** Issue 8.4 and 8.5: where the data file is, and what DATABASE_URL may be. */
let checkout: Checkout;
beforeAll(async () => {
  checkout = await makeCheckout();
});
afterAll(() => checkout?.cleanup());

describe("where the database is", () => {
  it("GIVEN no DATABASE_URL WHEN the bundle is run from another directory THEN it uses data/guildkeeper.db in the checkout and says where, and that it is new the first time", async () => {
    const elsewhere = checkout.tmp();
    const expected = path.join(checkout.root, "data", "guildkeeper.db");
    const first = await run(process.execPath, [checkout.entry("main")], { cwd: elsewhere, env: baseEnv(), input: "hello\n/quit\n" });
    expect(first.code, first.stderr).toBe(0);
    expect(fs.existsSync(expected)).toBe(true);
    expect(fs.existsSync(path.join(elsewhere, "data"))).toBe(false);
    expect(first.stderr).toContain(`stored in ${expected} (a new, empty database)`);

    const second = await run(process.execPath, [checkout.entry("main")], { cwd: checkout.tmp(), env: baseEnv(), input: "/points\n" });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`stored in ${expected}\n`);
    expect(second.stdout).toContain("@ada has 5 points");
  }, 30_000);

  it("GIVEN DATABASE_URL with an unknown scheme THEN start and migrate refuse it with what is accepted, exit 2, and create nothing", async () => {
    const cwd = checkout.tmp();
    const env = baseEnv({ DATABASE_URL: "mysql://root:hunter22@localhost/db" });
    for (const entry of ["main", "migrate"]) {
      const result = await run(process.execPath, [checkout.entry(entry)], { cwd, env, input: "/quit\n" });
      expect(result.code, entry).toBe(2);
      expect(result.stderr, entry).toContain('DATABASE_URL: the scheme "mysql:" is not supported; expected a file path (data/guildkeeper.db), a file: URL');
      expect(result.stderr, entry).toContain("postgres:// or postgresql://");
      expect(result.stderr, entry).not.toContain("hunter22");
    }
    expect(fs.readdirSync(cwd)).toEqual([]);
  }, 30_000);
});
