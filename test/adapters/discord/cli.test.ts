/**
 * `npm run discord:invite` and `npm run discord:register`: invite needs only a valid application id;
 * register tells each problem Discord found as one line naming the command, exits non-zero, and
 * never prints the token.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { inviteCommand, registerCommand } from "../../../src/adapters/discord/cli-commands.js";
import { CliError, type Env } from "../../../src/adapters/discord/cli-setup.js";
import { FakeDiscord } from "../../fakes/discord/fake-discord.js";
import { APP, GUILD, WORLD } from "./harness.js";

const TOKEN = "MTMwMDAwMDAwMDAwMDAwOTk5OQ.canary.cl1-t0k3n-n0t-pr1nted";

let fake: FakeDiscord;
let out: string[];
let err: string[];
const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };

beforeEach(async () => {
  fake = await FakeDiscord.start(WORLD);
  out = [];
  err = [];
});

afterEach(async () => {
  await fake.close();
});

async function refusal(run: Promise<number>): Promise<string> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return (error as CliError).message;
}

describe("discord:invite", () => {
  it("GIVEN only DISCORD_APP_ID THEN it prints the invite URL, without asking for a token", async () => {
    expect(await inviteCommand({ DISCORD_APP_ID: APP }, io)).toBe(0);

    expect(out.join("\n")).toContain(`https://discord.com/oauth2/authorize?client_id=${APP}&`);
    expect(fake.requests).toEqual([]);
  });

  it.each([
    ["letters", "abc"],
    ["too few digits", "1234567890"],
    ["too many digits", "123456789012345678901"],
  ])("GIVEN DISCORD_APP_ID with %s THEN it says what an application id is and what was given", async (_, appId) => {
    const message = await refusal(inviteCommand({ DISCORD_APP_ID: appId }, io));

    expect(message).toBe(`DISCORD_APP_ID must be the Application ID (Developer Portal → your application → General Information): a number of 17–20 digits (it is \`${appId}\`).`);
  });

  it("GIVEN neither DISCORD_APP_ID nor DISCORD_TOKEN THEN it says to set DISCORD_APP_ID", async () => {
    expect(await refusal(inviteCommand({}, io))).toMatch(/^Set DISCORD_APP_ID to the Application ID/);
  });

  it("GIVEN only DISCORD_TOKEN THEN the application id is looked up with it", async () => {
    expect(await inviteCommand({ DISCORD_TOKEN: FakeDiscord.TOKEN, DISCORD_API_URL: fake.restUrl }, io)).toBe(0);

    expect(out.join("\n")).toContain(`client_id=${APP}`);
  });
});

describe("discord:register", () => {
  const env = (): Env => ({ DISCORD_TOKEN: TOKEN, DISCORD_APP_ID: APP, DISCORD_GUILD_ID: GUILD, DISCORD_API_URL: fake.restUrl });
  const printed = () => [...out, ...err].join("\n");

  it("GIVEN a good setup THEN the commands are registered in the server and it says which", async () => {
    expect(await registerCommand(env(), io, commands, messageActions)).toBe(0);

    expect(out).toEqual([expect.stringMatching(new RegExp(`^registered ${commands.length + messageActions.length} commands in server ${GUILD}: `))]);
  });

  it("GIVEN Discord refuses the commands THEN each problem is one line naming the command and option, the exit code is 1, and no JSON or token is printed", async () => {
    const thanks = commands.findIndex((c) => c.name === "thanks");
    fake.scriptResponse(
      { method: "PUT", path: `/applications/${APP}/guilds/${GUILD}/commands` },
      {
        status: 400,
        body: {
          code: 50035,
          message: "Invalid Form Body",
          errors: {
            [thanks]: {
              options: { 1: { description: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 100 or fewer in length." }] } } },
              name: { _errors: [{ code: "APPLICATION_COMMAND_INVALID_NAME", message: "Command name is invalid" }] },
            },
            [commands.length]: { name: { _errors: [{ code: "BASE_TYPE_REQUIRED", message: "This field is required" }] } },
          },
        },
      },
    );

    expect(await registerCommand(env(), io, commands, messageActions)).toBe(1);

    expect(err).toEqual([
      "registration failed (3 problems):",
      '  /thanks, option "reason" description: Must be 100 or fewer in length. (BASE_TYPE_MAX_LENGTH)',
      "  /thanks, name: Command name is invalid (APPLICATION_COMMAND_INVALID_NAME)",
      '  "Thank the author", name: This field is required (BASE_TYPE_REQUIRED)',
    ]);
    expect(printed()).not.toMatch(/[{}]/);
    expect(printed()).not.toContain(TOKEN);
  });

  it("GIVEN a token Discord refuses THEN one line says so, the exit code is 1, and the token is not printed", async () => {
    await fake.close();
    fake = await FakeDiscord.start({ ...WORLD, token: "the-only-token-the-fake-accepts" });

    expect(await registerCommand(env(), io, commands, messageActions)).toBe(1);

    expect(err).toEqual(["registration failed:", "  Discord refused DISCORD_TOKEN (401 Unauthorized): reset the token under Bot in the Developer Portal and put it in DISCORD_TOKEN."]);
    expect(printed()).not.toContain(TOKEN);
  });

  it("GIVEN the bot is not in DISCORD_GUILD_ID's server THEN the line says to check the server and invite the bot", async () => {
    fake.scriptResponse({ method: "PUT", path: `/applications/${APP}/guilds/${GUILD}/commands` }, { status: 403, body: { code: 50001, message: "Missing Access" } });

    expect(await registerCommand(env(), io, commands, messageActions)).toBe(1);

    expect(err[1]).toBe("  Discord answered 403 (Missing Access, 50001): is the bot in that server, and is DISCORD_GUILD_ID right? Invite it with npm run discord:invite.");
  });

  it("GIVEN no DISCORD_TOKEN THEN it says how to get one", async () => {
    expect(await refusal(registerCommand({ DISCORD_APP_ID: APP }, io, commands, messageActions))).toMatch(/^DISCORD_TOKEN is not set\./);
  });

  it("GIVEN a DISCORD_GUILD_ID that is not an id THEN it says so before calling Discord", async () => {
    expect(await refusal(registerCommand({ ...env(), DISCORD_GUILD_ID: "my-server" }, io, commands, messageActions))).toMatch(/^DISCORD_GUILD_ID must be a server id/);
    expect(fake.requests).toEqual([]);
  });
});

describe("the npm scripts' entry files", () => {
  const root = path.resolve(import.meta.dirname, "../../..");
  const run = (script: string, env: Env) =>
    promisify(execFile)(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "src/adapters/discord", script)], {
      // A directory without a .env, and an environment with only what is given.
      cwd: mkdtempSync(path.join(tmpdir(), "gk-cli-")),
      env: { PATH: process.env.PATH, ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it("GIVEN DISCORD_APP_ID=abc WHEN discord:invite runs THEN it exits 2 with one line on standard error", async () => {
    const result = await run("invite.cli.ts", { DISCORD_APP_ID: "abc" });

    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^DISCORD_APP_ID must be the Application ID/)]);
    expect(result.stdout).toBe("");
  }, 30_000);
});
