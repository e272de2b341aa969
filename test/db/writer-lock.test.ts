import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireWriterLock, DatabaseInUseError } from "../../src/db/writer-lock.js";

// SQLite's file locks hold between two connections of one process too, so the protocol can be
// checked here; test/startup/one-writer.test.ts checks it between real processes and after SIGKILL.
const dirs: string[] = [];
function file(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-lock-"));
  dirs.push(dir);
  return path.join(dir, "gk.db");
}
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("the one-writer lock", () => {
  it("GIVEN a file held THEN a second acquire is refused naming the holder, and after release it is granted", () => {
    const f = file();
    const held = acquireWriterLock(f, "guildkeeper");
    let refusal: unknown;
    try {
      acquireWriterLock(f, "npm run migrate");
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DatabaseInUseError);
    const e = refusal as DatabaseInUseError;
    expect(e.holder).toMatchObject({ pid: process.pid, role: "guildkeeper", host: os.hostname() });
    expect(e.message).toBe(`${f} is in use by guildkeeper (pid ${process.pid}, started ${e.holder!.startedAt}). Run one process per SQLite file: stop that one first (or use Postgres to run several).`);
    held.release();
    held.release(); // twice is harmless

    const next = acquireWriterLock(f, "npm run migrate");
    expect(() => acquireWriterLock(f, "guildkeeper")).toThrow(/is in use by npm run migrate \(pid/);
    next.release();
  });

  it("GIVEN two files THEN each has its own lock", () => {
    const [a, b] = [acquireWriterLock(file(), "guildkeeper"), acquireWriterLock(file(), "guildkeeper")];
    a.release();
    b.release();
  });
});
