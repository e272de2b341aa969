import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connect } from "../../../src/db/connect.js";
import { migrateToLatest } from "../../../src/db/migrate.js";
import { acquireWriterLock } from "../../../src/db/writer-lock.js";
import { Engine } from "../../../src/engine/engine.js";
import { capabilities } from "../../../src/engine/capabilities.js";
import { commands, messageActions } from "../../../commands/index.js";
import { ManualClock } from "../../../src/core/clock.js";
import { forgetCli, type ForgetIo } from "../../../src/ops/forget-cli.js";
import { silentLog } from "../../helpers/engine.js";
import { member, message } from "../../helpers/events.js";
import { assertTotalsMatchLedger, snapshot } from "../../helpers/invariants.js";
import { baseEnv, type Checkout, makeCheckout, run } from "../../startup/checkout.js";

/** `npm run forget`: an admin forgets a member who asked by other means, on a database the bot is not running on. */
const ophelia = member("ophelia", { displayName: "Ophelia" });
const bob = member("bob");

/** A database file where Ophelia posted and bob thanked her, written by an engine that is then closed. */
async function seeded(dir: string): Promise<string> {
  const file = path.join(dir, "gk.db");
  const db = connect(file);
  await migrateToLatest(db.kysely);
  const clock = new ManualClock("2026-11-26T12:00:00Z");
  const engine = new Engine({ db: db.kysely, clock, log: silentLog, commands, messageActions, capabilities });
  await engine.ingest(message({ id: "1", by: ophelia, at: clock.now(), text: "hello, Ophelia here" }));
  await engine.ingest(message({ id: "2", by: bob, at: clock.advance(120_000), text: "thanks @ophelia", mentions: [{ id: ophelia.id, displayName: "Ophelia" }] }));
  await engine.drain();
  await db.close();
  return file;
}

const io = (answer = "") => {
  const out: string[] = [];
  const err: string[] = [];
  const cli: ForgetIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), tty: false, ask: async () => answer };
  return { cli, out: () => out.join(""), err: () => err.join("") };
};

async function inspect(file: string) {
  const db = connect(file);
  try {
    await assertTotalsMatchLedger(db.kysely);
    const values = JSON.stringify(await snapshot(db.kysely));
    return { mentionsHer: /ophelia/i.test(values), snapshot: await snapshot(db.kysely) };
  } finally {
    await db.close();
  }
}

let checkout: Checkout | undefined;
const dirs: string[] = [];
afterEach(() => {
  checkout?.cleanup();
  checkout = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("npm run forget", () => {
  it("GIVEN a member id WHEN the admin does not type yes THEN nothing is forgotten; with --yes she is, by full id or by the bare user id; while the bot holds the file it is refused", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-forget-"));
    dirs.push(dir);
    const file = await seeded(dir);
    const before = (await inspect(file)).snapshot;

    const declined = io("no");
    expect(await forgetCli(["--member", ophelia.id], { DATABASE_URL: file }, declined.cli)).toBe(1);
    expect(declined.out()).toContain(`Forget ${ophelia.id} in `);
    expect(declined.out()).toContain("• their name, on their profile and wherever it was copied");
    expect(declined.out()).toContain("Their 15 points stay in the totals");
    expect(declined.out()).toMatch(/Rows naming them, by table: .*ledger 2/);
    expect(declined.out()).toContain("Nothing was forgotten.");
    expect((await inspect(file)).snapshot).toEqual(before);

    const lock = acquireWriterLock(file, "guildkeeper");
    const busy = io();
    expect(await forgetCli(["--member", ophelia.id, "--yes"], { DATABASE_URL: file }, busy.cli)).toBe(2);
    expect(busy.err()).toContain("is in use by guildkeeper");
    expect(busy.err()).toContain("npm run forget writes, so it needs the bot stopped");
    lock.release();

    const unknown = io();
    expect(await forgetCli(["--member", "nobody", "--yes"], { DATABASE_URL: file }, unknown.cli)).toBe(2);
    expect(unknown.err()).toContain("no member with the user id nobody");

    const done = io();
    expect(await forgetCli(["--member", "ophelia", "--yes"], { DATABASE_URL: file }, done.cli)).toBe(0);
    expect(done.out()).toContain("They are forgotten here:");
    const after = await inspect(file);
    expect(after.mentionsHer).toBe(false);
    expect(after.snapshot.ledger.map((l) => l.amount)).toEqual(before.ledger.map((l) => l.amount));
  });

  it("GIVEN a backup restored that is older than a forgetting WHEN --tombstones-from names the database the restore replaced THEN she is forgotten again and the tombstones are kept", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-forget-"));
    dirs.push(dir);
    const file = await seeded(dir);
    const backup = path.join(dir, "backup.db");
    fs.copyFileSync(file, backup);
    expect(await forgetCli(["--member", ophelia.id, "--yes"], { DATABASE_URL: file }, io().cli)).toBe(0);
    // The restore, as docs/backups.md says: the current file kept aside, the backup put in place.
    const aside = path.join(dir, "gk.db.before-restore");
    fs.renameSync(file, aside);
    for (const f of [`${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(backup, file);
    expect((await inspect(file)).mentionsHer).toBe(true);

    const again = io("yes");
    expect(await forgetCli(["--tombstones-from", aside], { DATABASE_URL: file }, again.cli)).toBe(0);
    expect(again.out()).toContain(`${aside} has 1 tombstones: 1 in `);
    expect(again.out()).toMatch(/: 1 tombstones kept, 1 accounts forgotten again\./);
    expect(again.out()).not.toMatch(/ophelia/i);
    expect((await inspect(file)).mentionsHer).toBe(false);
    const db = connect(file);
    try {
      expect(await db.kysely.selectFrom("forgotten_members").select("member_hash").execute()).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it("GIVEN the CLI run as a process WHEN the admin answers yes on standard input THEN it forgets her and exits 0", async () => {
    checkout = await makeCheckout({ forget: "src/ops/forget.cli.ts" });
    const dir = checkout.tmp();
    const file = await seeded(dir);
    const result = await run(process.execPath, [checkout.entry("forget"), "--member", ophelia.id], { cwd: dir, env: baseEnv({ DATABASE_URL: file }), input: "yes\n" });
    expect(result.stderr).toContain("Type yes to forget them");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Forget ${ophelia.id} in `);
    expect(result.stdout).toMatch(/They are forgotten here: \d+ records erased or anonymised\./);
    expect((await inspect(file)).mentionsHer).toBe(false);
    // It let go of the writer lock: the bot can start again.
    acquireWriterLock(file, "guildkeeper").release();
  });
});
