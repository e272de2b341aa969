import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../src/db/project-root.js";
import { migrations } from "../../src/db/migrate.js";
import { connect } from "../../src/db/connect.js";

/**
 * docker/entrypoint.sh run directly with bash (and sh), as the container would run it, without a
 * Docker engine: it refuses root and a container with nothing to talk to, checks HTTP_PORT, and
 * `exec`s node — the same process id, so `docker stop`'s SIGTERM reaches node — and against a
 * temporary SQLite DATABASE_URL the real bundled bot starts through it, migrates the database and
 * stops with the app's own exit code when Discord refuses the token.
 *
 * The tests run as root here (CI does too), so `id` is replaced on PATH by one that says which
 * user to be.
 */
const root = projectRoot()!;
const script = path.join(root, "docker/entrypoint.sh");
let bin: string;
let tmp: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gk-entrypoint-"));
  bin = path.join(tmp, "bin");
  fs.mkdirSync(bin);
  // `id -u` answers FAKE_UID; anything else goes to the real id.
  fs.writeFileSync(path.join(bin, "id"), `#!/bin/sh\nif [ "$1" = "-u" ]; then echo "$FAKE_UID"; else exec /usr/bin/id "$@"; fi\n`, { mode: 0o755 });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts the entrypoint with `args`, as uid `uid`, with only `env` (plus PATH) set; stdin is not a terminal. */
function start(args: string[], env: Record<string, string> = {}, o: { uid?: number; shell?: string } = {}): Run {
  const child = spawn(o.shell ?? "bash", [script, ...args], {
    cwd: root,
    env: { PATH: `${bin}:${process.env.PATH}`, FAKE_UID: String(o.uid ?? 1000), ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const token = { DISCORD_TOKEN: "x".repeat(24) };
const printEnv = ["node", "-e", "console.log(JSON.stringify({ pid: process.pid, port: process.env.HTTP_PORT }))"];

describe("docker/entrypoint.sh", () => {
  it.each(["bash", "sh"])("GIVEN uid 0 THEN it refuses to run, exit 2, saying how to run it instead (%s)", async (shell) => {
    const r = await start(printEnv, token, { uid: 0, shell }).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("guildkeeper: refusing to run as root");
    expect(r.stdout).toBe("");
  });

  it("GIVEN a token THEN it execs node in its own place: the same process id, HTTP_PORT defaulting to 8080", async () => {
    const run = start(printEnv, token);
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ pid: run.child.pid, port: "8080" });
  });

  it("GIVEN SIGTERM to the container's process THEN node itself receives it (nothing in between swallows it)", async () => {
    const run = start(["node", "-e", "process.on('SIGTERM', () => { console.log('SIGTERM in node'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);"], token);
    await new Promise<void>((resolve) => run.child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
    run.child.kill("SIGTERM");
    const r = await run.done;
    expect(r.stdout).toContain("SIGTERM in node");
    expect(r.code).toBe(0);
  });

  it.each([
    [{}, "no platform token is set (DISCORD_TOKEN, SLACK_BOT_TOKEN)"],
    [{ ...token, CONSOLE: "1" }, "or CONSOLE is on"],
  ])("GIVEN %j and no terminal THEN it refuses instead of starting a console that would exit at once", async (env, words) => {
    const r = await start(printEnv, env).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(words);
    expect(r.stderr).toContain("docker run -it");
  });

  it("GIVEN a Slack token alone THEN that is enough to start", async () => {
    expect((await start(printEnv, { SLACK_BOT_TOKEN: "xoxb-1" }).done).code).toBe(0);
  });

  it("GIVEN HTTP_PORT that is not a port THEN it refuses, naming it; a given one reaches node", async () => {
    const bad = await start(printEnv, { ...token, HTTP_PORT: "80a" }).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("HTTP_PORT must be a port number, not '80a'");
    expect(JSON.parse((await start(printEnv, { ...token, HTTP_PORT: "9090" }).done).stdout).port).toBe("9090");
  });

  it("GIVEN a command whose script is missing THEN it says the build stage writes it", async () => {
    const r = await start(["node", "dist/not-built.mjs"], token).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("dist/not-built.mjs is missing: the image's build stage writes it with 'node scripts/build.mjs main'");
  });

  describe("with the real bot", () => {
    let bundleDir: string;
    let madeDist = false;
    let discord: Server;
    let apiUrl: string;
    beforeAll(async () => {
      // The bundle as scripts/build.mjs makes it, under dist/ (ignored by git) so node_modules resolve.
      madeDist = !fs.existsSync(path.join(root, "dist"));
      fs.mkdirSync(path.join(root, "dist"), { recursive: true });
      bundleDir = fs.mkdtempSync(path.join(root, "dist", "entrypoint-test-"));
      await build({ entryPoints: { main: path.join(root, "src/main.ts") }, outdir: bundleDir, outExtension: { ".js": ".mjs" }, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
      // A Discord that refuses every token, so the start ends at once after the database is ready.
      discord = createServer((_req, res) => {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "401: Unauthorized", code: 0 }));
      });
      await new Promise<void>((resolve) => discord.listen(0, "127.0.0.1", resolve));
      apiUrl = `http://127.0.0.1:${(discord.address() as AddressInfo).port}/api`;
    }, 60_000);
    afterAll(async () => {
      await new Promise((resolve) => discord?.close(resolve));
      if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
      if (madeDist) fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
    });

    it("GIVEN a temporary SQLite DATABASE_URL THEN the bot starts through it, migrates that database, and exits 1 when Discord refuses the token", async () => {
      const file = path.join(tmp, "data", "gk.db");
      const main = path.relative(root, path.join(bundleDir, "main.mjs"));
      const r = await start(["node", "--enable-source-maps", main], { ...token, DATABASE_URL: file, DISCORD_API_URL: apiUrl, LOG_LEVEL: "info" }).done;
      expect(r.stderr).toContain("created a new, empty database");
      expect(r.code).toBe(1);
      const db = connect(file);
      try {
        const applied = await db.kysely.selectFrom("kysely_migration" as never).select("name" as never).execute();
        expect(applied).toHaveLength(Object.keys(migrations).length);
      } finally {
        await db.close();
      }
      // The token never reaches the output.
      expect(r.stderr + r.stdout).not.toContain(token.DISCORD_TOKEN);
    }, 60_000);
  });
});
