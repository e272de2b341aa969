import { describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { main } from "../../../src/adapters/slack/manifest.cli.js";
import { buildManifest } from "../../../src/adapters/slack/manifest.js";
import { commandKit } from "../../../src/core/command.js";

describe("slack:manifest: creating the Slack app is one paste", () => {
  const manifest = buildManifest(commands, messageActions);

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

  it("GIVEN the declared message actions THEN each is a message shortcut whose callback_id is the declaration's id", () => {
    expect(manifest.features?.shortcuts).toEqual(messageActions.map((a) => ({ name: a.name, type: "message", callback_id: a.id, description: a.description })));
    expect(manifest.features?.shortcuts).toContainEqual({ name: "Thank the author", type: "message", callback_id: "thank-author", description: "Thank whoever wrote this message; they earn points" });
    // A message shortcut is an interaction: it is delivered only with interactivity on.
    expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
    expect(buildManifest(commands, []).features?.shortcuts).toBeUndefined();
  });

  it("GIVEN more message actions than Slack's 10 shortcuts THEN the manifest is refused with the count, not pasted and refused by Slack", () => {
    const { messageAction } = commandKit<unknown>();
    const many = Array.from({ length: 11 }, (_, i) => messageAction({ id: `a${i}`, name: `Action ${i}`, description: "x", access: "member", run: () => ({ text: "" }) }));

    expect(() => buildManifest(commands, many)).toThrow("11 message actions are declared; a Slack app can have 10 shortcuts");
  });

  it("GIVEN the adapter's needs THEN the manifest asks for exactly these bot scopes and events", () => {
    // im:write: the engine's outbox can direct-message a member (conversations.open).
    // files:write: pictures (leaderboard, rank card) are uploaded with files.getUploadURLExternal.
    expect([...(manifest.oauth_config?.scopes?.bot ?? [])].sort()).toEqual(
      ["app_mentions:read", "channels:history", "chat:write", "commands", "files:write", "groups:history", "im:write", "reactions:read", "usergroups:read", "users:read"].sort(),
    );
    expect([...(manifest.settings?.event_subscriptions?.bot_events ?? [])].sort()).toEqual(["app_mention", "message.channels", "message.groups", "reaction_added", "reaction_removed"]);
  });

  it("GIVEN no request URL THEN interactivity is on and events come over Socket Mode", () => {
    expect(manifest.settings).toMatchObject({ interactivity: { is_enabled: true }, socket_mode_enabled: true });
    expect(JSON.stringify(manifest)).not.toContain("request_url");
  });

  it("GIVEN a public request URL THEN events, interactivity and every command are delivered there over HTTP", () => {
    const url = "https://bot.example.org/slack/events";
    const http = buildManifest(commands, messageActions, { requestUrl: url });

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
