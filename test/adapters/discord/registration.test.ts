/**
 * Slash-command registration derived from commands/, checked on the PUT body the fake Discord recorded, and the
 * invite URL derived from the one permission list.
 */
import { ApplicationCommandOptionType as T, PermissionFlagsBits, PermissionsBitField, REST } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands, messageActions } from "../../../commands/index.js";
import { commandJson, commandsJson, messageActionJson, registerCommands, TIME_EXAMPLE } from "../../../src/adapters/discord/command-registration.js";
import { BOT_PERMISSIONS, inviteUrl } from "../../../src/adapters/discord/bot-permissions.js";
import { type Access, commandKit } from "../../../src/core/command.js";
import { option } from "../../../src/core/options.js";
import type { Precondition } from "../../../src/core/precondition.js";
import { ROLE_CHECKS } from "../../../src/engine/preconditions/roles.js";
import { FakeDiscord } from "../../fakes/discord/fake-discord.js";
import { APP, GUILD, WORLD } from "./harness.js";

interface RegisteredOption {
  type: number;
  name: string;
  required?: boolean;
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  choices?: { name: string; value: string }[];
  options?: RegisteredOption[];
  description: string;
}
interface RegisteredCommand {
  name: string;
  type: number;
  description?: string;
  options?: RegisteredOption[];
  default_member_permissions?: string | null;
  contexts?: number[];
}

let fake: FakeDiscord;
let rest: REST;

beforeEach(async () => {
  fake = await FakeDiscord.start(WORLD);
  rest = new REST({ api: fake.restUrl, retries: 0 }).setToken(FakeDiscord.TOKEN);
});

afterEach(async () => {
  await fake.close();
});

function byName(body: unknown): Map<string, RegisteredCommand> {
  return new Map((body as RegisteredCommand[]).map((c) => [c.name, c]));
}

describe("registration", () => {
  it("GIVEN DISCORD_GUILD_ID WHEN commands are registered THEN one guild PUT carries every command with typed options, bounds and choices", async () => {
    const result = await registerCommands(rest, { appId: APP, guildId: GUILD, commands, messageActions });

    expect(result).toEqual({ scope: "guild", names: [...commands.map((c) => c.name), "Thank the author", "Report to moderators", "Tip the author", "Mark as solution"] });
    const puts = fake.requestsTo("PUT", `/applications/${APP}/guilds/${GUILD}/commands`);
    expect(puts).toHaveLength(1);
    const sent = byName(puts[0]!.body);

    expect(sent.get("points")?.options).toEqual([{ type: T.User, name: "member", description: "Whose points (default: yours)" }]);
    expect(sent.get("leaderboard")?.options).toEqual([
      {
        type: T.String,
        name: "period",
        description: "Which board (default: week)",
        choices: [
          { name: "week", value: "week" },
          { name: "month", value: "month" },
          { name: "all", value: "all" },
        ],
      },
      { type: T.Integer, name: "limit", description: "How many members to show (1–25, default 10)", min_value: 1, max_value: 25 },
    ]);
    expect(sent.get("thanks")?.options).toEqual([
      { type: T.User, name: "member", description: "Who to thank", required: true },
      { type: T.String, name: "reason", description: "What for (shown with the thanks)", min_length: 1, max_length: 200 },
    ]);
    expect(sent.get("thanks")?.default_member_permissions).toBeNull();
    expect(sent.get("thanks")?.contexts).toEqual([0]);
  });

  it("GIVEN a command with verbs (/config) THEN each verb is a subcommand and the admin command needs Manage Server by default", async () => {
    await registerCommands(rest, { appId: APP, guildId: GUILD, commands });
    const config = byName(fake.requestsTo("PUT", `/applications/${APP}/guilds/${GUILD}/commands`)[0]!.body).get("config");

    expect(config?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(config?.options?.map((o) => [o.type, o.name])).toEqual([
      [T.Subcommand, "show"],
      [T.Subcommand, "set"],
      [T.Subcommand, "link"],
      [T.Subcommand, "join"],
    ]);
    const set = config?.options?.[1];
    expect(set?.options?.[0]).toMatchObject({ type: T.String, name: "key", required: true });
    // More setting keys than Discord's 25 choices: typed as text, the engine accepts only real keys.
    expect(set?.options?.[0]?.choices).toBeUndefined();
    expect(set?.options?.[0]?.description).toContain("type its name");
    expect(set?.options?.[1]).toMatchObject({ type: T.String, name: "value", max_length: 500 });
  });

  it("GIVEN the declared message actions THEN each is a message menu entry named and permitted as its declaration says", async () => {
    await registerCommands(rest, { appId: APP, guildId: GUILD, commands, messageActions });
    const sent = byName(fake.requestsTo("PUT", `/applications/${APP}/guilds/${GUILD}/commands`)[0]!.body);
    const thankAuthor = messageActions.find((a) => a.id === "thank-author")!;

    // Derived, not written by hand: the declaration's name, and "member" access shows it to everyone.
    expect(sent.get(thankAuthor.name)).toEqual({ type: 3, name: "Thank the author", default_member_permissions: null, contexts: [0] });
    expect([...sent.values()].filter((c) => c.type === 3).map((c) => c.name)).toEqual(messageActions.map((a) => a.name));
  });

  it("GIVEN no message actions THEN no message menu is registered, whatever the commands", () => {
    expect(commandsJson(commands, []).filter((c) => c.type === 3)).toEqual([]);
  });

  it("GIVEN two message actions with one name THEN registration refuses before calling Discord (one menu entry cannot run both)", () => {
    const { messageAction } = commandKit<unknown>();
    const a = messageAction({ id: "a", name: "Same", description: "First", access: "member", run: () => ({ text: "" }) });
    const b = messageAction({ id: "b", name: "Same", description: "Second", access: "member", run: () => ({ text: "" }) });

    expect(() => commandsJson([], [a, b])).toThrow('two message actions are named "Same"');
  });

  it("GIVEN no guild WHEN commands are registered THEN they go to the global route with the same body", async () => {
    const result = await registerCommands(rest, { appId: APP, commands });

    expect(result.scope).toBe("global");
    const global = fake.requestsTo("PUT", `/applications/${APP}/commands`);
    expect(global).toHaveLength(1);
    expect(byName(global[0]!.body).get("leaderboard")?.options?.[1]).toMatchObject({ min_value: 1, max_value: 25 });
    expect(fake.requestsTo("PUT", new RegExp(`/applications/${APP}/guilds/`))).toHaveLength(0);
  });

  it("GIVEN every option kind and access level THEN each maps to its Discord type and default permission", () => {
    const { command, group, subcommand } = commandKit<unknown>();
    const talk = group({
      name: "talk",
      description: "Talks",
      access: "organizer",
      subcommands: {
        schedule: subcommand({
          description: "Schedule a talk",
          options: {
            at: option.time({ description: "When it starts", required: true }),
            room: option.channel({ description: "Where" }),
            recorded: option.boolean({ description: "Recorded?" }),
          },
          run: () => ({ text: "" }),
        }),
      },
    });
    const warn = command({ name: "warn", description: "Warn a member", access: "moderator", options: {}, run: () => ({ text: "" }) });

    const json = commandJson(talk) as RegisteredCommand;
    const options = json.options?.[0]?.options ?? [];
    expect(json.default_member_permissions).toBe(PermissionFlagsBits.ManageEvents.toString());
    expect(options.map((o) => o.type)).toEqual([T.String, T.Channel, T.Boolean]);
    expect(options[0]?.description).toBe(`When it starts (like ${TIME_EXAMPLE}, community time)`);
    expect(TIME_EXAMPLE).toBe("2026-12-01 18:30");
    expect((commandJson(warn) as RegisteredCommand).default_member_permissions).toBe(PermissionFlagsBits.ManageMessages.toString());
  });
});

describe("default permissions come from the named preconditions", () => {
  const { command, messageAction } = commandKit<unknown>();

  it("GIVEN each access level THEN commands and message menus are hidden behind that level's Discord permission from ROLE_CHECKS", () => {
    const levels: Access[] = ["member", "moderator", "organizer", "admin"];
    for (const access of levels) {
      const expected = ROLE_CHECKS[access].discordPermission;
      const bits = expected ? PermissionFlagsBits[expected].toString() : null;
      const slash = command({ name: `x-${access}`, description: "x", access, options: {}, run: () => ({ text: "" }) });
      const menu = messageAction({ id: `m-${access}`, name: `Menu ${access}`, description: "x", access, run: () => ({ text: "" }) });

      expect((commandJson(slash) as RegisteredCommand).default_member_permissions).toBe(bits);
      expect((messageActionJson(menu) as RegisteredCommand).default_member_permissions).toBe(bits);
    }
  });

  it("GIVEN a message action for organizers THEN its menu entry needs Manage Events", () => {
    const schedule = messageAction({ id: "schedule-talk", name: "Schedule as a talk", description: "Turn this message into a talk", access: "organizer", run: () => ({ text: "" }) });

    expect(messageActionJson(schedule)).toEqual({ type: 3, name: "Schedule as a talk", default_member_permissions: PermissionFlagsBits.ManageEvents.toString(), contexts: [0] });
  });

  it("GIVEN a command that also requires a check naming a Discord permission THEN members see it only with both permissions", () => {
    const canTimeOut: Precondition<unknown> = { name: "can-time-out", discordPermission: "ModerateMembers", check: () => undefined };
    const noPermission: Precondition<unknown> = { name: "mod-queue-configured", check: () => undefined };
    const mute = command({ name: "mute", description: "Mute a member", access: "moderator", requires: [canTimeOut, noPermission], options: {}, run: () => ({ text: "" }) });

    expect((commandJson(mute) as RegisteredCommand).default_member_permissions).toBe((PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ModerateMembers).toString());
  });
});

describe("invite", () => {
  it("GIVEN the permission list THEN the invite URL asks for the bot and applications.commands scopes and exactly those permissions", () => {
    const url = new URL(inviteUrl(APP));

    expect(url.origin + url.pathname).toBe("https://discord.com/oauth2/authorize");
    expect(url.searchParams.get("client_id")).toBe(APP);
    expect(url.searchParams.get("scope")).toBe("bot applications.commands");
    const granted = new PermissionsBitField(BigInt(url.searchParams.get("permissions")!));
    expect(granted.toArray().sort()).toEqual(BOT_PERMISSIONS.map((p) => p.name).sort());
    expect(granted.has(PermissionFlagsBits.Administrator)).toBe(false);
  });
});
