import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultDatabaseFile, parseDatabaseUrl } from "../../src/db/database-url.js";
import { projectRoot } from "../../src/db/project-root.js";
import { ConfigError, loadConfig } from "../../src/config.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

describe("DATABASE_URL", () => {
  it("GIVEN a path THEN it is a SQLite file, relative to the working directory", () => {
    expect(parseDatabaseUrl("data/gk.db", "/srv/bot")).toEqual({ dialect: "sqlite", file: "/srv/bot/data/gk.db" });
    expect(parseDatabaseUrl("/var/lib/gk.db", "/srv/bot")).toEqual({ dialect: "sqlite", file: "/var/lib/gk.db" });
    expect(parseDatabaseUrl("./odd:name.db", "/srv/bot")).toEqual({ dialect: "sqlite", file: "/srv/bot/odd:name.db" });
  });

  it("GIVEN a file: URL THEN it is the file it names (absolute, or relative as SQLite spells it)", () => {
    expect(parseDatabaseUrl("file:///var/lib/my%20gk.db", "/srv/bot")).toEqual({ dialect: "sqlite", file: "/var/lib/my gk.db" });
    expect(parseDatabaseUrl("file:/var/lib/gk.db", "/srv/bot")).toEqual({ dialect: "sqlite", file: "/var/lib/gk.db" });
    expect(parseDatabaseUrl("file:data/gk.db", "/srv/bot")).toEqual({ dialect: "sqlite", file: "/srv/bot/data/gk.db" });
    expect(parseDatabaseUrl("file:///x.db?mode=ro", "/")).toMatchObject({ error: expect.stringContaining("no ?options") });
    expect(parseDatabaseUrl("file://otherhost/x.db", "/")).toMatchObject({ error: expect.stringContaining("not a local file") });
  });

  it("GIVEN postgres:// or postgresql:// THEN it is Postgres", () => {
    expect(parseDatabaseUrl("postgres://u:p@h/db")).toEqual({ dialect: "postgres", url: "postgres://u:p@h/db" });
    expect(parseDatabaseUrl("postgresql://u@h:5433/db")).toEqual({ dialect: "postgres", url: "postgresql://u@h:5433/db" });
  });

  it("GIVEN any other scheme THEN it is refused, naming what is accepted and never the URL", () => {
    for (const url of ["mysql://root:hunter22@localhost/db", "sqlite:gk.db", "http://x/y", "redis://h"]) {
      const result = parseDatabaseUrl(url);
      expect(result, url).toMatchObject({ error: expect.stringContaining("postgres:// or postgresql://") });
      expect(JSON.stringify(result)).not.toContain("hunter22");
    }
    expect(() => loadConfig({ DATABASE_URL: "mysql://root:hunter22@localhost/db" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: "mysql://root:hunter22@localhost/db" })).toThrow(/DATABASE_URL: the scheme "mysql:" is not supported; expected a file path/);
  });

  it("GIVEN no DATABASE_URL THEN the file is data/guildkeeper.db in the checkout, whatever the working directory", () => {
    expect(projectRoot()).toBe(REPO);
    expect(defaultDatabaseFile()).toBe(path.join(REPO, "data", "guildkeeper.db"));
    expect(loadConfig({}).databaseUrl).toBe(path.join(REPO, "data", "guildkeeper.db"));
    expect(projectRoot("/")).toBeUndefined();
  });
});
