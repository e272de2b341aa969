import { describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.js";
import { main } from "../../../src/adapters/slack/manifest.cli.js";
import { buildManifest } from "../../../src/adapters/slack/manifest.js";

describe("slack:manifest: creating the Slack app is one paste", () => {
  const manifest = buildManifest(commands);

  it("GIVEN the declarations in commands/ THEN every command is a slash command with its description and usage hint", () => {
    const slash = manifest.features?.slash_commands ?? [];
    expect(slash.map((c) => c.command)).toEqual(commands.map((c) => `/${c.name}`));
    for (const c of commands) expect(slash.find((s) => s.command === `/${c.name}`)?.description).toBe(c.description);
    const hints = Object.fromEntries(slash.map((s) => [s.command, s.usage_hint]));
    expect(hints).toMatchObject({
      "/points": "[member]",
      "/leaderboard": "[week|month|all] [limit]",
      "/thanks": "<member> [reason]",
      "/config": "show | set <key> [value] | link | join <code>",
    });
    // Mentions must arrive as <@U…> markup for the text parser to read them.
    expect(slash.every((s) => s.should_escape === true)).toBe(true);
  });

  it("GIVEN the adapter's needs THEN the manifest asks for exactly these bot scopes and events", () => {
    expect([...(manifest.oauth_config?.scopes?.bot ?? [])].sort()).toEqual(
      ["app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "reactions:read", "usergroups:read", "users:read"].sort(),
    );
    expect([...(manifest.settings?.event_subscriptions?.bot_events ?? [])].sort()).toEqual(["app_mention", "message.channels", "message.groups", "reaction_added", "reaction_removed"]);
  });

  it("GIVEN no request URL THEN interactivity is on and events come over Socket Mode", () => {
    expect(manifest.settings).toMatchObject({ interactivity: { is_enabled: true }, socket_mode_enabled: true });
    expect(JSON.stringify(manifest)).not.toContain("request_url");
  });

  it("GIVEN a public request URL THEN events, interactivity and every command are delivered there over HTTP", () => {
    const url = "https://bot.example.org/slack/events";
    const http = buildManifest(commands, { requestUrl: url });

    expect(http.settings).toMatchObject({ socket_mode_enabled: false, interactivity: { is_enabled: true, request_url: url }, event_subscriptions: { request_url: url } });
    expect(http.features?.slash_commands?.every((c) => c.url === url)).toBe(true);
  });

  it("GIVEN `slack:manifest --print` THEN the manifest is printed as JSON; without it, the file is written; a bad argument exits 2", () => {
    const out: string[] = [];
    const files = new Map<string, string>();
    const io = { stdout: (t: string) => void out.push(t), stderr: () => undefined, writeFile: (f: string, t: string) => void files.set(f, t) };

    expect(main(["--print"], io)).toBe(0);
    expect(JSON.parse(out.join(""))).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(main(["--name", "Rustaceans", "--out", "m.json"], io)).toBe(0);
    expect(JSON.parse(files.get("m.json")!).display_information.name).toBe("Rustaceans");
    expect(main(["--request-url", "http://insecure.example"], io)).toBe(2);
  });
});
