// Bundles the app (and the benchmark) into plain JavaScript under dist/, so `npm start` runs on
// Node alone: no TypeScript loader thread, which costs ~40 MB of memory and start-up time.
// node_modules stay external; source maps point errors back at the TypeScript. The maps leave the
// sources out: with --enable-source-maps Node keeps a loaded map in memory, and the TypeScript in
// it cost ~2 MiB of live heap; Node reads a source file from disk when it shows one.
import { build } from "esbuild";

const targets = process.argv.slice(2).length ? process.argv.slice(2) : ["main"];
const entries = { main: "src/main.ts", bench: "bench/run.ts", "discord-memory": "bench/discord-memory.ts" };

await build({
  entryPoints: Object.fromEntries(targets.map((t) => [t, entries[t]])),
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  // What main.ts imports dynamically (each platform's adapter and its SDK) goes into chunks of its
  // own, loaded only when that platform is configured.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  target: "node20",
  packages: "external",
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
});
