import { spawn, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A throwaway checkout: a package.json, node_modules linked to the real install, and the app
 * bundled into dist/ exactly as `npm start` bundles it (scripts/build.mjs's options). Start-up
 * tests spawn the real process from here, so a default DATABASE_URL lands in this checkout's
 * data/ (never the developer's), and no test races another over the shared dist/main.mjs.
 */
export interface Checkout {
  root: string;
  /** Absolute path of a bundled entry: "main", "migrate", or a fixture's name. */
  entry(name: string): string;
  /** A fresh folder for databases, removed with the checkout. */
  tmp(): string;
  cleanup(): void;
}

export async function makeCheckout(fixtures: Record<string, string> = {}): Promise<Checkout> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "guildkeeper-checkout-"));
  // Readable by everyone, so a test can run the bundle as an unprivileged user.
  fs.chmodSync(root, 0o755);
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "guildkeeper", private: true, type: "module" }));
  fs.symlinkSync(fs.realpathSync(path.join(REPO, "node_modules")), path.join(root, "node_modules"));
  const entryPoints: Record<string, string> = {
    main: path.join(REPO, "src/main.ts"),
    migrate: path.join(REPO, "src/db/migrate.cli.ts"),
    ...Object.fromEntries(Object.entries(fixtures).map(([name, file]) => [name, path.join(REPO, file)])),
  };
  await build({
    entryPoints,
    outdir: path.join(root, "dist"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  let n = 0;
  return {
    root,
    entry: (name) => path.join(root, "dist", `${name}.mjs`),
    tmp() {
      const dir = path.join(root, "tmp", String(n++));
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a start with no platform tokens and no .env surprises. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DISCORD_TOKEN: "", SLACK_BOT_TOKEN: "", LOG_LEVEL: "", CONSOLE_CLOCK_START: "", DATABASE_URL: "" };
  for (const [k, v] of Object.entries(extra)) env[k] = v;
  return env;
}

/** Runs a process to its end with `input` on standard input. */
export function run(command: string, args: string[], options: SpawnOptions & { input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c) => (stdout += String(c)));
    child.stderr?.on("data", (c) => (stderr += String(c)));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin?.end(options.input ?? "");
  });
}
