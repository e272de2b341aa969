import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/db/project-root.js";
import { dockerfileInstructions, dockerIgnored, execForm, type Instruction } from "./parse.js";

/**
 * The Dockerfile, checked without a Docker engine (none runs on the test machines, and hadolint is
 * not installed): both stages on node:20-bookworm-slim; the build stage installs with `npm ci`,
 * bundles with `node scripts/build.mjs main` and prunes dev dependencies; every file COPY takes
 * from the build context exists and is not excluded by .dockerignore; what the runtime stage takes
 * from the build stage is what that stage made; the CMD runs the file the build writes; the
 * runtime runs as a user other than root, with the data folder the app defaults to as a VOLUME and
 * a HEALTHCHECK on HTTP_PORT made with node. Whether the image builds and runs is not tested here.
 */
const root = projectRoot()!;
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const instructions = dockerfileInstructions(read("Dockerfile"));
const ignore = read(".dockerignore");
const of = (stage: string, keyword: string): Instruction[] => instructions.filter((i) => i.stage === stage && i.keyword === keyword);
const last = (stage: string, keyword: string): Instruction => of(stage, keyword).at(-1)!;

/** COPY's sources and destination, without its flags. */
function copyParts(i: Instruction): { from?: string; sources: string[]; dest: string } {
  const words = i.args.split(" ");
  const flags = words.filter((w) => w.startsWith("--"));
  const rest = words.filter((w) => !w.startsWith("--"));
  const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
  return { ...(from ? { from } : {}), sources: rest.slice(0, -1), dest: rest.at(-1)! };
}

describe("Dockerfile", () => {
  it("GIVEN its stages THEN both are node:20-bookworm-slim: build, then runtime", () => {
    expect(instructions.filter((i) => i.keyword === "FROM").map((i) => i.args)).toEqual(["node:20-bookworm-slim AS build", "node:20-bookworm-slim AS runtime"]);
  });

  it("GIVEN the build stage THEN it installs with npm ci, bundles main and prunes the dev dependencies, in that order", () => {
    const runs = of("build", "RUN").map((i) => i.args).join(" && ");
    const at = (s: string) => runs.indexOf(s);
    expect(at("npm ci")).toBeGreaterThanOrEqual(0);
    expect(at("node scripts/build.mjs main")).toBeGreaterThan(at("npm ci"));
    expect(at("npm prune --omit=dev")).toBeGreaterThan(at("node scripts/build.mjs main"));
  });

  it("GIVEN every COPY from the build context THEN each source exists and .dockerignore lets it through", () => {
    const copies = instructions.filter((i) => i.keyword === "COPY").map(copyParts).filter((c) => !c.from);
    expect(copies.length).toBeGreaterThan(4);
    for (const c of copies) {
      for (const source of c.sources) {
        expect(fs.existsSync(path.join(root, source)), `${source} exists`).toBe(true);
        expect(dockerIgnored(ignore, source), `${source} is not in .dockerignore`).toBe(false);
      }
    }
    // What the build needs to bundle main: the entry, its commands, the bundler script.
    for (const needed of ["src/main.ts", "commands/index.ts", "scripts/build.mjs", "package-lock.json", "assets/fonts/DejaVuSans.ttf"]) expect(dockerIgnored(ignore, needed), needed).toBe(false);
  });

  it("GIVEN .dockerignore THEN secrets, data, dependencies and history stay out of the build context", () => {
    for (const kept of [".env", ".env.production", "node_modules/kysely/package.json", ".git/HEAD", "data/guildkeeper.db", "data/guildkeeper.db-wal", "data/guildkeeper.db-lock", "dist/main.mjs"]) {
      expect(dockerIgnored(ignore, kept), kept).toBe(true);
    }
    expect(dockerIgnored(ignore, ".env.example")).toBe(false);
  });

  it("GIVEN the runtime stage THEN it takes from the build stage only what that stage made: node_modules (npm ci) and dist (the bundle)", () => {
    const fromBuild = of("runtime", "COPY").map(copyParts).filter((c) => c.from);
    expect(fromBuild.map((c) => [c.from, c.sources])).toEqual([
      ["build", ["/app/node_modules"]],
      ["build", ["/app/dist"]],
    ]);
    expect(last("build", "WORKDIR").args).toBe("/app");
  });

  it("GIVEN the CMD THEN it runs dist/main.mjs, which is what `node scripts/build.mjs main` writes", () => {
    const cmd = execForm(last("runtime", "CMD").args)!;
    expect(cmd[0]).toBe("node");
    const script = cmd.find((a) => a.endsWith(".mjs"));
    expect(script).toBe("dist/main.mjs");
    // scripts/build.mjs: entries.main is src/main.ts, written to outdir dist with the .mjs extension.
    const build = read("scripts/build.mjs");
    expect(build).toMatch(/main:\s*"src\/main\.ts"/);
    expect(build).toMatch(/outdir:\s*"dist"/);
    expect(build).toMatch(/"\.js":\s*"\.mjs"/);
    // The flags are those `npm start` runs the bundle with.
    const start = (JSON.parse(read("package.json")) as { scripts: { start: string } }).scripts.start;
    expect(start).toContain(cmd.slice(1).join(" "));
  });

  it("GIVEN the runtime stage THEN it runs as node (not root), keeps /app/data as a volume — the app's default data folder — and its entrypoint is the copied, executable script", () => {
    expect(last("runtime", "USER").args).toBe("node");
    const runtime = instructions.filter((i) => i.stage === "runtime");
    expect(runtime.findIndex((i) => i.keyword === "USER")).toBeGreaterThan(runtime.map((i) => i.keyword).lastIndexOf("RUN"));
    const workdir = last("runtime", "WORKDIR").args;
    expect(execForm(last("runtime", "VOLUME").args)).toEqual([path.posix.join(workdir, "data")]);
    // The default database lives in data/ under the folder holding package.json, which is copied to the WORKDIR.
    expect(of("runtime", "COPY").map(copyParts).some((c) => c.sources.includes("package.json") && (c.dest === "./" || c.dest === workdir))).toBe(true);

    const entrypoint = execForm(last("runtime", "ENTRYPOINT").args)!;
    expect(entrypoint).toEqual(["/app/docker/entrypoint.sh"]);
    const copied = of("runtime", "COPY").map(copyParts).find((c) => c.sources.includes("docker/entrypoint.sh"))!;
    expect(path.posix.join(workdir, copied.dest, "entrypoint.sh")).toBe(entrypoint[0]);
    expect(fs.statSync(path.join(root, "docker/entrypoint.sh")).mode & 0o111).not.toBe(0);
    // Committed executable too: a checkout (CI's, the build context) must keep the bit.
    const staged = execFileSync("git", ["ls-files", "-s", "docker/entrypoint.sh"], { cwd: root, encoding: "utf8" });
    if (staged) expect(staged.split(" ")[0]).toBe("100755");
  });

  it("GIVEN the HEALTHCHECK THEN it asks /healthz on HTTP_PORT with node, and the image sets HTTP_PORT=8080", () => {
    expect(of("runtime", "ENV").map((e) => e.args).join(" ")).toMatch(/\bHTTP_PORT=8080\b/);
    const check = last("runtime", "HEALTHCHECK").args;
    expect(check).toMatch(/CMD \["node", "\/app\/docker\/healthcheck\.mjs"\]$/);
    expect(read("docker/healthcheck.mjs")).toContain("http://127.0.0.1:${port}/healthz");
    expect(of("runtime", "EXPOSE").map((e) => e.args)).toEqual(["8080"]);
  });
});
