import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test file gets its own SQLite file or Postgres schema, so files can run in parallel.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
