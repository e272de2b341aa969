import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, type Checkout, makeCheckout, run } from "./checkout.js";

/**
 * Issue 7.3: two processes on one SQLite file each kept their own caches and counters, and their
 * awards drifted from the ledger without an error. A second start on a file in use is refused,
 * naming the file and the process that has it; a SIGKILLed owner leaves no lock behind.
 */
let checkout: Checkout;
beforeAll(async () => {
  checkout = await makeCheckout();
});
afterAll(() => checkout?.cleanup());

/** A console start that keeps running (standard input stays open) until told otherwise. */
function startConsole(file: string): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; waitFor(text: string, stream?: "out" | "err"): Promise<void> } {
  const child = spawn(process.execPath, [checkout.entry("main")], { cwd: path.dirname(file), env: baseEnv({ DATABASE_URL: file }) });
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout.on("data", (c) => ((out += String(c)), wake()));
  child.stderr.on("data", (c) => ((err += String(c)), wake()));
  return {
    child,
    out: () => out,
    err: () => err,
    waitFor(text, stream = "out") {
      return new Promise((resolve, reject) => {
        const check = () => ((stream === "out" ? out : err).includes(text) ? resolve() : child.exitCode !== null ? reject(new Error(`exited: ${err}`)) : waiters.push(check));
        check();
      });
    },
  };
}

const main = (file: string, input = "/quit\n") => run(process.execPath, [checkout.entry("main")], { cwd: path.dirname(file), env: baseEnv({ DATABASE_URL: file }), input });
const migrate = (file: string) => run(process.execPath, [checkout.entry("migrate")], { cwd: path.dirname(file), env: baseEnv({ DATABASE_URL: file }) });
const exited = (child: ChildProcessWithoutNullStreams) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode ? resolve() : child.on("close", () => resolve())));

describe("one process per SQLite file", () => {
  it("GIVEN a running bot WHEN a second start (or npm run migrate) opens its file THEN it is refused naming the file and the first process, which keeps running; after the first is SIGKILLed a new start succeeds", async () => {
    const file = path.join(checkout.tmp(), "gk.db");
    const first = startConsole(file);
    await first.waitFor("guildkeeper console", "err");

    const second = await main(file);
    expect(second.code).toBe(2);
    expect(second.stdout).toBe("");
    const refusal = second.stderr.trim();
    expect(refusal.split("\n")).toHaveLength(1);
    expect(refusal).toContain(file);
    expect(refusal).toContain(`pid ${first.child.pid}`);
    expect(refusal).toMatch(/started 20\d\d-\d\d-\d\dT/);

    const migration = await migrate(file);
    expect(migration.code).toBe(2);
    expect(migration.stderr).toContain(`pid ${first.child.pid}`);

    // The first one was not disturbed.
    first.child.stdin.write("still here\n");
    await first.waitFor("+5 ada (post)");

    first.child.kill("SIGKILL");
    await exited(first.child);
    const third = await main(file, "/points\n/quit\n");
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain("@ada has 5 points");
    expect((await migrate(file)).code).toBe(0);
  }, 60_000);

  it("GIVEN two starts at the same moment on a new file THEN exactly one of them runs", async () => {
    const file = path.join(checkout.tmp(), "gk.db");
    const a = startConsole(file);
    const b = startConsole(file);
    await Promise.race([exited(a.child), exited(b.child)]);
    const [loser, winner] = a.child.exitCode !== null ? [a, b] : [b, a];
    expect(loser.child.exitCode).toBe(2);
    expect(loser.err()).toContain(`pid ${winner.child.pid}`);
    await winner.waitFor("guildkeeper console", "err");
    winner.child.stdin.end("/quit\n");
    await exited(winner.child);
    expect(winner.child.exitCode).toBe(0);
  }, 60_000);
});
