/**
 * Slash commands, buttons, modals and the message menu, end to end: the fake sends INTERACTION_CREATE, the real
 * client and adapter run the engine's command, and the interaction callback the fake recorded is the answer.
 */
import type { APIEmbed } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { messageActions } from "../../../commands/index.js";
import { opt } from "../../fakes/discord/fake-discord.js";
import { ALICE, BOB, GENERAL, GUILD, type Harness, MOD, MOD_ROLE, OWNER, startHarness, THREAD } from "./harness.js";

interface CallbackBody {
  type: number;
  data?: { content?: string; embeds?: APIEmbed[]; components?: { components: { custom_id: string; disabled?: boolean; style: number }[] }[]; flags?: number; custom_id?: string; title?: string };
}

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

async function run(name: string, userId: string, options: Parameters<typeof opt.subcommand>[1] = [], channelId = GENERAL): Promise<CallbackBody> {
  const payload = h.fake.build.chatInputInteraction({ name, userId, channelId, options });
  h.fake.dispatch("INTERACTION_CREATE", payload);
  return (await h.callback(payload)).body as CallbackBody;
}

describe("slash commands", () => {
  it("GIVEN a member with points WHEN they run /points THEN an ephemeral embed shows points, level and rank as fields", async () => {
    await h.say(ALICE, "first post");

    const answer = await run("points", ALICE);

    expect(answer.type).toBe(4);
    expect(answer.data?.flags).toBe(64);
    const embed = answer.data?.embeds?.[0];
    expect(embed?.title).toBe("Alice — level 0");
    expect(embed?.description).toContain(`<@${ALICE}> has 5 points`);
    expect(embed?.fields).toEqual(
      expect.arrayContaining([
        { name: "Points", value: "5", inline: true },
        { name: "Level", value: "0", inline: true },
        { name: "Rank", value: "#1", inline: true },
      ]),
    );
  });

  it("GIVEN two members with points WHEN someone runs /leaderboard period:all THEN a public ranked embed lists them with period buttons", async () => {
    await h.say(ALICE, "a post");
    await h.say(BOB, "a reply", { channelId: THREAD });

    const answer = await run("leaderboard", BOB, [opt.string("period", "all")]);

    expect(answer.type).toBe(4);
    expect(answer.data?.flags ?? 0).toBe(0);
    const embed = answer.data?.embeds?.[0];
    expect(embed?.title).toMatch(/^Leaderboard — /);
    expect(embed?.description?.split("\n")).toEqual([`🥇 <@${ALICE}> — **5** points · level 0`, `🥈 <@${BOB}> — **2** points · level 0`]);
    const buttons = answer.data?.components?.[0]?.components ?? [];
    expect(buttons.map((b) => b.custom_id)).toEqual(["leaderboard:show:week:10", "leaderboard:show:month:10", "leaderboard:show:all:10"]);
    expect(buttons.find((b) => b.custom_id === "leaderboard:show:all:10")?.disabled).toBe(true);
  });

  it("GIVEN /thanks member:bob THEN the thanks is announced publicly and bob earns 10 points", async () => {
    const answer = await run("thanks", ALICE, [opt.user("member", BOB), opt.string("reason", "great review")]);

    expect(answer.type).toBe(4);
    expect(answer.data?.flags ?? 0).toBe(0);
    expect(answer.data?.embeds?.[0]?.description).toBe(`<@${ALICE}> thanked <@${BOB}>: “great review” (+10 points)`);
    expect(await h.points(BOB)).toBe(10);
  });

  it("GIVEN an option value Discord's client would never send (a reason over 200 characters) THEN an ephemeral error names it and nothing is written", async () => {
    const answer = await run("thanks", ALICE, [opt.user("member", BOB), opt.string("reason", "x".repeat(201))]);

    expect(answer.type).toBe(4);
    expect(answer.data?.flags).toBe(64);
    expect(answer.data?.embeds?.[0]?.description).toContain("`reason`");
    expect(await h.ledgerRows()).toBe(0);
  });

  it("GIVEN a member without Manage Server WHEN they run the admin command /config show THEN they are refused ephemerally", async () => {
    const answer = await run("config", MOD, [opt.subcommand("show")]);

    expect(answer.data?.flags).toBe(64);
    expect(answer.data?.embeds?.[0]?.description).toBe("Only admins can use /config show.");
  });

  it("GIVEN the server owner (Discord reports every permission) WHEN they run /config show THEN the settings are shown", async () => {
    const answer = await run("config", OWNER, [opt.subcommand("show")]);

    expect(answer.data?.flags).toBe(64);
    expect(answer.data?.embeds?.[0]?.title).toBe(`Settings of discord ${GUILD}`);
  });

  it("GIVEN a role configured as admins WHEN a member with that role runs /config show THEN the role ids the interaction reported let them in", async () => {
    await h.updateSettings((s) => {
      s.roles.admins = [`discord:${GUILD}:&${MOD_ROLE}`];
    });

    const answer = await run("config", MOD, [opt.subcommand("show")]);

    expect(answer.data?.embeds?.[0]?.title).toMatch(/^Settings of /);
  });
});

describe("buttons", () => {
  it("GIVEN the leaderboard's 'All time' button WHEN a member presses it THEN the engine answers and the message is replaced (callback type 7)", async () => {
    await h.say(ALICE, "a post");
    const payload = h.fake.build.buttonInteraction({ customId: "leaderboard:show:all:10", userId: BOB, channelId: GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", payload);

    const answer = (await h.callback(payload)).body as CallbackBody;

    expect(answer.type).toBe(7);
    expect(answer.data?.embeds?.[0]?.description).toBe(`🥇 <@${ALICE}> — **5** points · level 0`);
    expect(answer.data?.content).toBe("");
    expect(h.fake.world.messages.get(payload.message.id)?.embeds[0]?.title).toMatch(/^Leaderboard — /);
  });

  it("GIVEN a button whose command is gone WHEN pressed THEN only the presser gets an ephemeral note and the message stays", async () => {
    const payload = h.fake.build.buttonInteraction({ customId: "retired:thing", userId: BOB, channelId: GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", payload);

    const answer = (await h.callback(payload)).body as CallbackBody;

    expect(answer.type).toBe(4);
    expect(answer.data?.flags).toBe(64);
  });
});

describe("modals", () => {
  it("GIVEN /config set key:points.post without a value THEN a modal opens (type 9) and submitting it saves the setting", async () => {
    const opened = await run("config", OWNER, [opt.subcommand("set", [opt.string("key", "points.post")])]);

    expect(opened.type).toBe(9);
    expect(opened.data?.custom_id).toBe("config:set:points.post");
    expect(opened.data?.title).toBe("Set points.post");

    const submit = h.fake.build.modalSubmitInteraction({ customId: "config:set:points.post", fields: { value: "7" }, userId: OWNER, channelId: GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", submit);
    const saved = (await h.callback(submit)).body as CallbackBody;

    expect(saved.type).toBe(4);
    expect(saved.data?.flags).toBe(64);
    expect(saved.data?.embeds?.[0]?.description).toMatch(/^Set `points.post` to 7/);
    expect((await h.community()).settings.points.post).toBe(7);
  });
});

describe("message menu", () => {
  const thankAuthor = messageActions.find((a) => a.id === "thank-author")!;

  async function useMenu(name: string, targetMessageId: string, userId: string): Promise<CallbackBody> {
    const payload = h.fake.build.messageContextMenuInteraction({ name, targetMessageId, userId, channelId: GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", payload);
    return (await h.callback(payload)).body as CallbackBody;
  }

  it("GIVEN 'Thank the author' (the declaration's name) on alice's message WHEN bob uses it THEN alice is thanked in public", async () => {
    const id = await h.say(ALICE, "Here's how to fix the build");

    const answer = await useMenu(thankAuthor.name, id, BOB);

    expect(answer.type).toBe(4);
    expect(answer.data?.flags ?? 0).toBe(0);
    expect(answer.data?.embeds?.[0]?.description).toBe(`<@${BOB}> thanked <@${ALICE}> (+10 points)`);
    expect(await h.points(ALICE)).toBe(15);
  });

  it("GIVEN bob already thanked alice for a message WHEN he uses it on that message again THEN a private 'already counted' and she earns once", async () => {
    const id = await h.say(ALICE, "Here's how to fix the build");
    await useMenu(thankAuthor.name, id, BOB);

    const again = await useMenu(thankAuthor.name, id, BOB);

    expect(again.data?.flags).toBe(64);
    expect(again.data?.content).toBe("That thanks was already counted.");
    expect(await h.points(ALICE)).toBe(15);
    expect(await h.ledgerRows()).toBe(2);
  });

  it("GIVEN alice's own message WHEN she uses 'Thank the author' on it THEN a private refusal and nothing written", async () => {
    const id = await h.say(ALICE, "I fixed it myself");
    const before = await h.ledgerRows();

    const answer = await useMenu(thankAuthor.name, id, ALICE);

    expect(answer.data?.flags).toBe(64);
    expect(JSON.stringify(answer.data)).toContain("You can't thank yourself");
    expect(await h.ledgerRows()).toBe(before);
  });

  it("GIVEN a webhook's message WHEN someone uses 'Thank the author' on it THEN a private answer that bots don't collect points", async () => {
    const message = h.fake.build.messageCreate({ channelId: GENERAL, authorId: "1300000000000007777", content: "Build passed", webhookId: "1300000000000007777" });
    h.fake.dispatch("MESSAGE_CREATE", message);

    const answer = await useMenu(thankAuthor.name, message.id, BOB);

    expect(answer.data?.flags).toBe(64);
    expect(JSON.stringify(answer.data)).toContain("Bots don't collect points");
    expect(await h.ledgerRows()).toBe(0);
  });

  it("GIVEN a menu entry from an older version of the bot WHEN it is used THEN a private 'no longer does anything'", async () => {
    const id = await h.say(ALICE, "hello");

    const answer = await useMenu("Bookmark this", id, BOB);

    expect(answer).toMatchObject({ type: 4, data: { content: "That no longer does anything.", flags: 64 } });
  });
});

describe("the 3-second window", () => {
  /** Holds the database: a write that waits on a gate keeps the write queue's transaction (and connection) busy. */
  function holdTheDatabase(): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    void h.te.engine.writes.submit(() => gate);
    return release;
  }

  it("GIVEN the engine takes longer than the defer threshold WHEN /thanks runs THEN the interaction is deferred (type 5) and the answer edited in", async () => {
    await h.community();
    const release = holdTheDatabase();
    const payload = h.fake.build.chatInputInteraction({ name: "thanks", userId: ALICE, channelId: GENERAL, options: [opt.user("member", BOB)] });
    h.fake.dispatch("INTERACTION_CREATE", payload);

    const deferred = await h.callback(payload);
    expect(deferred.body).toMatchObject({ type: 5 });
    release();

    const edit = await h.fake.waitForRequest((r) => r.method === "PATCH" && r.path.endsWith(`/${payload.token}/messages/@original`), 3_000);
    expect((edit.body as CallbackBody["data"])?.embeds?.[0]?.description).toBe(`<@${ALICE}> thanked <@${BOB}> (+10 points)`);
  });

  it("GIVEN a slow engine and a personal answer WHEN /points runs THEN the public placeholder is deleted and the answer follows up ephemerally", async () => {
    await h.community();
    const release = holdTheDatabase();
    const payload = h.fake.build.chatInputInteraction({ name: "points", userId: ALICE, channelId: GENERAL });
    h.fake.dispatch("INTERACTION_CREATE", payload);

    expect((await h.callback(payload)).body).toMatchObject({ type: 5 });
    release();

    const followUp = await h.fake.waitForRequest((r) => r.method === "POST" && r.path === `/webhooks/${payload.application_id}/${payload.token}`, 3_000);
    expect(followUp.body).toMatchObject({ flags: 64 });
    expect(h.fake.requestsTo("DELETE", `/webhooks/${payload.application_id}/${payload.token}/messages/@original`)).toHaveLength(1);
  });
});
