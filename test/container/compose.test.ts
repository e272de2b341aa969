import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { projectRoot } from "../../src/db/project-root.js";
import { parseYaml, type Yaml } from "./parse.js";

/**
 * docker-compose.yml read as data (no YAML library is installed: test/container/parse.ts reads the
 * subset it is written in): the bot and Postgres, both with healthchecks, the bot starting only
 * once Postgres is healthy, named volumes, settings from .env, and a DATABASE_URL the bot accepts
 * that names the Postgres service. `docker compose config` checks it too where the docker CLI has
 * the compose plugin (it has not on the test machines: that test is skipped there).
 */
const root = projectRoot()!;
type Map = { [key: string]: Yaml };
const compose = parseYaml(fs.readFileSync(path.join(root, "docker-compose.yml"), "utf8")) as Map;
const services = compose.services as Map;
const bot = services.bot as Map;
const postgres = services.postgres as Map;

const hasCompose = (() => {
  try {
    return spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0;
  } catch {
    return false;
  }
})();

describe("docker-compose.yml", () => {
  it("GIVEN its services THEN there are the bot, built from this folder, and Postgres", () => {
    expect(Object.keys(services).sort()).toEqual(["bot", "postgres"]);
    expect(bot.build).toBe(".");
    expect(String(postgres.image)).toMatch(/^postgres:\d+/);
  });

  it("GIVEN both services THEN each has a healthcheck: pg_isready for Postgres, the image's node check for the bot", () => {
    expect((postgres.healthcheck as Map).test).toEqual(["CMD-SHELL", "pg_isready -U guildkeeper -d guildkeeper"]);
    expect((bot.healthcheck as Map).test).toEqual(["CMD", "node", "/app/docker/healthcheck.mjs"]);
  });

  it("GIVEN the bot THEN it starts once Postgres is healthy, with settings from .env and tini as PID 1", () => {
    expect(bot.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    expect(bot.env_file).toBe(".env");
    expect(bot.init).toBe(true);
  });

  it("GIVEN the volumes THEN each service's data is on a named volume declared at the top", () => {
    const named = Object.keys(compose.volumes as Map);
    const used = [...(postgres.volumes as string[]), ...(bot.volumes as string[])].map((v) => v.split(":"));
    expect(used).toEqual([
      ["postgres-data", "/var/lib/postgresql/data"],
      ["bot-data", "/app/data"],
    ]);
    for (const [volume] of used) expect(named).toContain(volume);
  });

  it("GIVEN the bot's DATABASE_URL with a password filled in THEN the bot's config accepts it, and it names the postgres service", () => {
    const url = String((bot.environment as Map).DATABASE_URL).replace(/\$\{POSTGRES_PASSWORD:\?[^}]*\}/, "s3cret");
    expect(url).toBe("postgres://guildkeeper:s3cret@postgres:5432/guildkeeper");
    const config = loadConfig({ DATABASE_URL: url, DISCORD_TOKEN: "t" });
    expect(config.databaseUrl).toBe(url);
    expect(config.secrets).toContain("s3cret");
    expect(String((postgres.environment as Map).POSTGRES_PASSWORD)).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(fs.readFileSync(path.join(root, ".env.example"), "utf8")).toMatch(/^POSTGRES_PASSWORD=$/m);
  });

  it.runIf(hasCompose)("GIVEN docker compose THEN `docker compose config` accepts the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gk-compose-"));
    try {
      fs.copyFileSync(path.join(root, "docker-compose.yml"), path.join(dir, "docker-compose.yml"));
      fs.writeFileSync(path.join(dir, ".env"), "POSTGRES_PASSWORD=s3cret\nDISCORD_TOKEN=t\n");
      execFileSync("docker", ["compose", "config", "--quiet"], { cwd: dir, stdio: "pipe" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
