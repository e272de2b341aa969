import { Client } from "discord.js";
import { describe, expect, it } from "vitest";
import { clientOptions, servesGuild } from "../../src/adapters/discord/client-options.js";
import { ConfigError, loadConfig } from "../../src/config.js";

/**
 * Discord sharding from the environment: DISCORD_SHARD_IDS (which shards this process runs) of
 * DISCORD_SHARD_COUNT (how many in all) become the Client's `shards` and `shardCount`; nonsense is
 * refused at start naming the variable; and splitting the shards between processes needs Postgres.
 */
const PG = "postgres://gk@db.example:5432/gk";
const base = { DISCORD_TOKEN: "x".repeat(20), DATABASE_URL: PG };
const configError = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("accepted");
};

describe("Discord shards from the environment", () => {
  it("GIVEN DISCORD_SHARD_IDS=0,1 and DISCORD_SHARD_COUNT=4 on Postgres THEN this process runs shards 0 and 1 of 4", () => {
    expect(loadConfig({ ...base, DISCORD_SHARD_IDS: " 0, 1 ", DISCORD_SHARD_COUNT: "4" }).discord?.shards).toEqual({ ids: [0, 1], count: 4 });
  });

  it("GIVEN only DISCORD_SHARD_COUNT THEN this process runs every shard, also on SQLite", () => {
    expect(loadConfig({ DISCORD_TOKEN: "t", DATABASE_URL: "/tmp/gk.db", DISCORD_SHARD_COUNT: "3" }).discord?.shards).toEqual({ ids: [0, 1, 2], count: 3 });
    expect(loadConfig({ DISCORD_TOKEN: "t", DATABASE_URL: "/tmp/gk.db", DISCORD_SHARD_IDS: "1,0,2", DISCORD_SHARD_COUNT: "3" }).discord?.shards).toEqual({ ids: [1, 0, 2], count: 3 });
  });

  it("GIVEN neither THEN there is no shard plan (discord.js's one shard)", () => {
    expect(loadConfig(base).discord?.shards).toBeUndefined();
    expect(clientOptions({})).not.toHaveProperty("shards");
  });

  it.each([
    [{ DISCORD_SHARD_IDS: "0,1" }, "DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT, the number of shards in all"],
    [{ DISCORD_SHARD_IDS: "0,4", DISCORD_SHARD_COUNT: "4" }, "DISCORD_SHARD_IDS: shard ids run from 0 to 3 with DISCORD_SHARD_COUNT=4: 4 is not one"],
    [{ DISCORD_SHARD_IDS: "0,0", DISCORD_SHARD_COUNT: "4" }, "DISCORD_SHARD_IDS: a shard id is named twice"],
    [{ DISCORD_SHARD_IDS: "zero", DISCORD_SHARD_COUNT: "4" }, "DISCORD_SHARD_IDS: shard ids separated by commas, e.g. 0,1"],
    [{ DISCORD_SHARD_IDS: "-1", DISCORD_SHARD_COUNT: "4" }, "DISCORD_SHARD_IDS: shard ids separated by commas, e.g. 0,1"],
    [{ DISCORD_SHARD_COUNT: "0" }, "DISCORD_SHARD_COUNT: at least 1"],
    [{ DISCORD_SHARD_COUNT: "two" }, "DISCORD_SHARD_COUNT: a whole number of shards, e.g. 4"],
  ])("GIVEN %j THEN the start is refused naming the variable", (env, line) => {
    expect(configError({ ...base, ...env })).toContain(`  ${line}`);
  });

  it("GIVEN some of the shards on a SQLite file THEN the start is refused: the other shards' process could not share it", () => {
    expect(configError({ DISCORD_TOKEN: "t", DATABASE_URL: "/tmp/gk.db", DISCORD_SHARD_IDS: "0", DISCORD_SHARD_COUNT: "2" })).toContain(
      "DISCORD_SHARD_IDS: names only some of the shards, so the others run in another process, and two processes cannot share a SQLite file",
    );
  });

  it("GIVEN a shard plan THEN the Client is built with those shards and that count", () => {
    const options = clientOptions({ shards: { ids: [0, 1], count: 4 } });
    expect(options).toMatchObject({ shards: [0, 1], shardCount: 4 });
    const client = new Client(options);
    try {
      expect(client.options.shards).toEqual([0, 1]);
      expect(client.options.shardCount).toBe(4);
    } finally {
      void client.destroy();
    }
  });

  it("GIVEN a server id THEN it is served by the process whose shards include (id >> 22) % count", () => {
    // 175928847299117063 >> 22 = 41944705796 → shard 0 of 4, shard 4 of 8 (Discord's documented example id).
    const guild = "175928847299117063";
    expect(servesGuild(guild, { ids: [0, 1], count: 4 })).toBe(true);
    expect(servesGuild(guild, { ids: [2, 3], count: 4 })).toBe(false);
    expect(servesGuild(guild, { ids: [4], count: 8 })).toBe(true);
    expect(servesGuild(guild, undefined)).toBe(true);
    expect(servesGuild("not-a-snowflake", { ids: [0], count: 2 })).toBe(false);
  });
});
