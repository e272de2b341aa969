import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { commands, messageActions } from "../../../commands/index.js";
import { buildManifest, type ManifestOptions } from "./manifest.js";

/**
 * `npm run slack:manifest` — writes `slack-app-manifest.json` for "Create New App → From a
 * manifest" (api.slack.com/apps).
 *
 *   npm run slack:manifest                                   Socket Mode (no public URL needed)
 *   npm run slack:manifest -- --request-url https://bot.example.org/slack/events   HTTP mode
 *   npm run slack:manifest -- --name "Rustaceans Bot" --print                      to stdout
 *   npm run slack:manifest -- --out path/to/manifest.json
 */
const USAGE = "usage: slack:manifest [--print] [--out <file>] [--name <app name>] [--request-url <https url>]";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  writeFile: (file: string, text: string) => void;
}

/** Runs the CLI; returns the exit code. */
export function main(argv: readonly string[], io: CliIo): number {
  const options: ManifestOptions = {};
  let out = "slack-app-manifest.json";
  let print = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new Error(`${arg} needs a value`);
      return next;
    };
    try {
      if (arg === "--print" || arg === "-") print = true;
      else if (arg === "--out") out = value();
      else if (arg === "--name") options.name = value();
      else if (arg === "--request-url") {
        const url = value();
        if (!/^https:\/\/\S+$/.test(url)) throw new Error("--request-url must be a public https URL (Slack refuses anything else)");
        options.requestUrl = url;
      } else if (arg === "--help" || arg === "-h") {
        io.stdout(`${USAGE}\n`);
        return 0;
      } else throw new Error(`unknown argument ${arg}`);
    } catch (error) {
      io.stderr(`${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
  }
  const json = `${JSON.stringify(buildManifest(commands, messageActions, options), null, 2)}\n`;
  if (print) io.stdout(json);
  else {
    io.writeFile(out, json);
    io.stderr(
      `Wrote ${out}. At https://api.slack.com/apps choose "Create New App" → "From a manifest", paste it, install the app,\n` +
        `then set SLACK_BOT_TOKEN (OAuth & Permissions) and ${options.requestUrl ? "SLACK_SIGNING_SECRET + SLACK_PORT (Basic Information)" : "SLACK_APP_TOKEN (Basic Information → App-Level Tokens, scope connections:write)"}.\n`,
    );
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    writeFile: (file, text) => fs.writeFileSync(file, text),
  });
}
