import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test file gets its own SQLite file or Postgres schema, so files can run in parallel.
    pool: "forks",
    // vitest's default is one worker fewer than the cores: one on CI's two. Most files wait on
    // child processes, fsyncs or Postgres rather than compute, so two workers keep both cores busy.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
