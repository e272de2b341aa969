/**
 * Proves FakeDiscord against the REAL discord.js Client: every test logs a Client in over 127.0.0.1, drives it
 * with gateway dispatches and checks both what the client saw and what it sent back over REST.
 */
import { once } from "node:events";
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  Options,
  Partials,
  TextInputBuilder,
  TextInputStyle,
  type ClientOptions,
  type Interaction,
  type Message,
  type TextChannel,
} from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectClientEvents, nextClientEvent } from "./client-events.js";
import { FakeDiscord, opt, type FakeDiscordOptions } from "./fake-discord.js";

const GUILD = "1100000000000000001";
const GENERAL = "1100000000000000010";
const SHOWCASE = "1100000000000000011";
const HELP_THREAD = "1100000000000000012";
const MEMBER_ROLE = "1100000000000000100";
const VIP_ROLE = "1100000000000000101";
const ALICE = "1100000000000001000";
const BOB = "1100000000000001001";
const APP = "1100000000000009999";

const WORLD: FakeDiscordOptions = {
  botUserId: APP,
  botUsername: "guildkeeper",
  applicationId: APP,
  guilds: [
    {
      id: GUILD,
      name: "Dev Community",
      ownerId: ALICE,
      channels: [
        { id: GENERAL, name: "general" },
        { id: SHOWCASE, name: "showcase" },
        { id: HELP_THREAD, name: "help me", kind: "public_thread", parentId: GENERAL, ownerId: BOB },
      ],
      roles: [
        { id: MEMBER_ROLE, name: "member" },
        { id: VIP_ROLE, name: "vip" },
      ],
      members: [
        { userId: ALICE, username: "alice", roles: [MEMBER_ROLE] },
        { userId: BOB, username: "bob", roles: [MEMBER_ROLE] },
      ],
    },
  ],
};

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.MessageContent,
];

let fake: FakeDiscord;
let client: Client | undefined;

beforeEach(async () => {
  fake = await FakeDiscord.start(WORLD);
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake.close();
});

/** Logs a real Client in to the fake and resolves once it is ready (all guilds received). */
async function connect(options: Partial<ClientOptions> = {}): Promise<Client> {
  const c = new Client({
    intents: INTENTS,
    partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel],
    ...fake.clientOptions(),
    ...options,
  });
  client = c;
  const ready = once(c, Events.ClientReady);
  await c.login(FakeDiscord.TOKEN);
  await ready;
  return c;
}

/** Dispatches an interaction and resolves with what the client's handler received. */
async function deliverInteraction(c: Client, payload: Parameters<FakeDiscord["dispatch"]>[1]): Promise<Interaction> {
  const heard = nextClientEvent(c, Events.InteractionCreate);
  fake.dispatch("INTERACTION_CREATE", payload);
  const [interaction] = await heard;
  return interaction;
}

function userSays(content: string, channelId = GENERAL, authorId = ALICE): ReturnType<FakeDiscord["build"]["messageCreate"]> {
  const message = fake.build.messageCreate({ channelId, authorId, content });
  fake.dispatch("MESSAGE_CREATE", message);
  return message;
}

describe("login", () => {
  it("GIVEN a fake with one guild WHEN a real client logs in THEN it is ready well under 2 s with the guild, channels, roles and members cached", async () => {
    const started = Date.now();
    const c = await connect();

    expect(Date.now() - started).toBeLessThan(2_000);
    const guild = c.guilds.cache.get(GUILD);
    expect(guild?.name).toBe("Dev Community");
    expect(guild?.channels.cache.get(GENERAL)?.name).toBe("general");
    expect(guild?.roles.cache.get(VIP_ROLE)?.name).toBe("vip");
    expect(guild?.members.cache.get(ALICE)?.roles.cache.has(MEMBER_ROLE)).toBe(true);
    expect(guild?.members.me?.id).toBe(APP);
    expect(c.user?.id).toBe(APP);
  });

  it("GIVEN a client logging in THEN the fake recorded the authorised gateway lookup, the IDENTIFY with its intents and the websocket query", async () => {
    const c = await connect();

    const lookup = fake.requestsTo("GET", "/gateway/bot")[0];
    expect(lookup?.authorized).toBe(true);
    expect(lookup?.headers.authorization).toBe(`Bot ${FakeDiscord.TOKEN}`);
    expect(fake.identifies[0]?.intents).toBe(c.options.intents.bitfield);
    expect(fake.gatewayConnections[0]).toMatchObject({ path: "/gateway", query: { v: "10", encoding: "json" } });
    expect(fake.dispatches.map((d) => d.t)).toEqual(["READY", "GUILD_CREATE"]);
  });

  it("GIVEN a fake that accepts one token WHEN a client logs in with another THEN login fails as with a revoked token", async () => {
    fake = await restartFake({ ...WORLD, token: "the-real-token" });
    const c = new Client({ intents: INTENTS, ...fake.clientOptions() });
    client = c;

    await expect(c.login("a-leaked-old-token")).rejects.toMatchObject({ code: "TokenInvalid" });
    expect(fake.requestsTo("GET", "/gateway/bot")[0]?.status).toBe(401);
  });
});

describe("messages", () => {
  it("GIVEN a ready client WHEN a member posts THEN messageCreate fires and message.reply is recorded with a message_reference", async () => {
    const c = await connect();
    const heard = nextClientEvent(c, Events.MessageCreate, (m) => !m.author.bot);
    const sent = userSays("!points");

    const [message] = await heard;
    expect(message.content).toBe("!points");
    expect(message.author.username).toBe("alice");
    expect(message.member?.roles.cache.has(MEMBER_ROLE)).toBe(true);

    const reply = await message.reply("x");
    const request = await fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${GENERAL}/messages`);
    expect(request.body).toMatchObject({ content: "x", message_reference: { message_id: sent.id } });
    expect(request.authorized).toBe(true);
    // The answer is a full message object, so discord.js built a real Message from it.
    expect(reply.id).not.toBe(sent.id);
    expect(reply.author.id).toBe(APP);
    expect(reply.reference?.messageId).toBe(sent.id);
  });

  it("GIVEN the bot sends a message THEN Discord's echo of it arrives as a messageCreate authored by the bot", async () => {
    const c = await connect();
    const echoed = nextClientEvent(c, Events.MessageCreate, (m) => m.author.id === APP);

    const channel = c.channels.cache.get(GENERAL) as TextChannel;
    const sent = await channel.send("hello from the bot");

    const [echo] = await echoed;
    expect(echo.id).toBe(sent.id);
    expect(echo.author.bot).toBe(true);
  });

  it("GIVEN a file attachment WHEN the bot sends it THEN the multipart payload_json and the file are recorded and the answer lists the attachment", async () => {
    const c = await connect();
    const channel = c.channels.cache.get(GENERAL) as TextChannel;

    const sent = await channel.send({ content: "weekly report", files: [{ attachment: Buffer.from("alice,100\n"), name: "points.csv" }] });

    const request = await fake.waitForRequest((r) => r.method === "POST" && r.path === `/channels/${GENERAL}/messages`);
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data/);
    expect(request.body).toMatchObject({ content: "weekly report", attachments: [{ id: "0" }] });
    expect(request.files).toEqual([expect.objectContaining({ field: "files[0]", filename: "points.csv", text: "alice,100\n" })]);
    expect(sent.attachments.first()?.name).toBe("points.csv");
  });

  it("GIVEN an empty message WHEN the bot tries to send it THEN the fake answers 50006 like Discord", async () => {
    const c = await connect();
    const channel = c.channels.cache.get(GENERAL) as TextChannel;

    await expect(channel.send({ content: "" })).rejects.toMatchObject({ code: 50006, status: 400 });
  });

  it("GIVEN a message the client never cached WHEN a reaction is added THEN messageReactionAdd fires with partials and the message can be fetched", async () => {
    const c = await connect({ makeCache: Options.cacheWithLimits({ MessageManager: 0 }) });
    const original = userSays("my project", SHOWCASE, BOB);
    const added = nextClientEvent(c, Events.MessageReactionAdd);

    fake.dispatch("MESSAGE_REACTION_ADD", fake.build.reactionAdd({ userId: ALICE, messageId: original.id, channelId: SHOWCASE, emoji: { name: "⭐" } }));

    const [reaction, user] = await added;
    expect(reaction.message.partial).toBe(true);
    expect(reaction.message.id).toBe(original.id);
    expect(reaction.emoji.name).toBe("⭐");
    expect(user.id).toBe(ALICE);

    const fetched = await reaction.message.fetch();
    expect(fetched.content).toBe("my project");
    expect(fetched.author.id).toBe(BOB);
    expect(fake.requestsTo("GET", `/channels/${SHOWCASE}/messages/${original.id}`)).toHaveLength(1);
  });

  it("GIVEN an uncached message WHEN the reaction is removed THEN messageReactionRemove fires", async () => {
    const c = await connect();
    const removed = nextClientEvent(c, Events.MessageReactionRemove);

    fake.dispatch("MESSAGE_REACTION_REMOVE", fake.build.reactionRemove({ userId: ALICE, messageId: "1100000000000005000", channelId: GENERAL, emoji: { name: "kudos", id: "1100000000000007000" } }));

    const [reaction, user] = await removed;
    expect(reaction.emoji.id).toBe("1100000000000007000");
    expect(user.id).toBe(ALICE);
  });

  it("GIVEN an uncached message WHEN it is deleted THEN messageDelete fires with a partial message", async () => {
    const c = await connect();
    const deleted = nextClientEvent(c, Events.MessageDelete);

    fake.dispatch("MESSAGE_DELETE", fake.build.messageDelete({ id: "1100000000000005001", channelId: GENERAL }));

    const [message] = await deleted;
    expect(message.partial).toBe(true);
    expect(message.id).toBe("1100000000000005001");
    expect(message.guildId).toBe(GUILD);
  });

  it("GIVEN a cached message WHEN it is edited THEN messageUpdate carries the old and new content", async () => {
    const c = await connect();
    const heard = nextClientEvent(c, Events.MessageCreate, (m) => !m.author.bot);
    const sent = userSays("frist");
    await heard;
    const updated = nextClientEvent(c, Events.MessageUpdate);

    fake.dispatch("MESSAGE_UPDATE", fake.build.messageUpdate({ id: sent.id, channelId: GENERAL, content: "first" }));

    const [before, after] = await updated;
    expect(before.content).toBe("frist");
    expect(after.content).toBe("first");
    expect(after.editedTimestamp).not.toBeNull();
  });
});

describe("threads", () => {
  it("GIVEN a thread listed in GUILD_CREATE WHEN someone posts in it THEN the message's channel is a thread with its parent", async () => {
    const c = await connect();
    const heard = nextClientEvent(c, Events.MessageCreate, (m) => !m.author.bot);

    userSays("stuck on setup", HELP_THREAD, BOB);

    const [message] = await heard;
    expect(message.channel.isThread()).toBe(true);
    expect(message.channelId).toBe(HELP_THREAD);
    expect(message.channel.isThread() && message.channel.parentId).toBe(GENERAL);
  });

  it("GIVEN a THREAD_CREATE dispatch WHEN a message follows in the new thread THEN threadCreate fires and the message resolves to it", async () => {
    const c = await connect();
    const created = nextClientEvent(c, Events.ThreadCreate);
    const thread = fake.build.threadCreate({ parentId: SHOWCASE, name: "demo day", ownerId: ALICE });
    fake.dispatch("THREAD_CREATE", thread);

    const [channel, newlyCreated] = await created;
    expect(newlyCreated).toBe(true);
    expect(channel.parentId).toBe(SHOWCASE);

    const heard = nextClientEvent(c, Events.MessageCreate, (m) => !m.author.bot);
    userSays("first!", thread.id);
    const [message] = await heard;
    expect(message.channel.isThread()).toBe(true);
    expect(message.channel.id).toBe(thread.id);
  });
});

describe("interactions", () => {
  it("GIVEN a slash command with a subcommand and a user option WHEN it arrives THEN the handler reads them and an ephemeral reply is callback type 4 with flags 64", async () => {
    const c = await connect();
    const heard = nextClientEvent(c, Events.InteractionCreate);
    const payload = fake.build.chatInputInteraction({
      name: "points",
      options: [opt.subcommand("give", [opt.user("member", BOB), opt.integer("amount", 5)])],
      userId: ALICE,
      channelId: GENERAL,
    });
    fake.dispatch("INTERACTION_CREATE", payload);

    const [interaction] = await heard;
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");
    expect(interaction.commandName).toBe("points");
    expect(interaction.options.getSubcommand()).toBe("give");
    expect(interaction.options.getUser("member")?.username).toBe("bob");
    expect(interaction.options.getMember("member")).not.toBeNull();
    expect(interaction.options.getInteger("amount")).toBe(5);
    expect(interaction.channelId).toBe(GENERAL);
    expect(interaction.inGuild()).toBe(true);
    // Alice owns the guild, so Discord reports every permission for her.
    expect(interaction.memberPermissions?.has("Administrator")).toBe(true);

    await interaction.reply({ content: "gave 5 points", flags: MessageFlags.Ephemeral });

    const callback = await fake.waitForRequest((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    expect(callback.method).toBe("POST");
    expect(callback.authorized).toBe(false);
    expect(callback.query).toEqual({ with_response: "false" });
    expect(callback.status).toBe(204);
    expect(callback.body).toMatchObject({ type: 4, data: { content: "gave 5 points", flags: 64 } });
  });

  it("GIVEN the deprecated `ephemeral: true` option THEN discord.js still sends flags 64", async () => {
    const c = await connect();
    const payload = fake.build.chatInputInteraction({ name: "rank", userId: BOB, channelId: GENERAL });
    const interaction = await deliverInteraction(c, payload);
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");

    await interaction.reply({ content: "you are #2", ephemeral: true });

    const callback = await fake.waitForRequest((r) => r.path.startsWith(`/interactions/${payload.id}/`));
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64 } });
  });

  it("GIVEN withResponse WHEN the bot replies THEN the fake answers 200 with the callback response and discord.js exposes the message", async () => {
    const c = await connect();
    const payload = fake.build.chatInputInteraction({ name: "rank", userId: BOB, channelId: GENERAL });
    const interaction = await deliverInteraction(c, payload);
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");

    const response = await interaction.reply({ content: "you are #2", withResponse: true });

    expect(fake.requestsTo("POST", `/interactions/${payload.id}/${payload.token}/callback`)[0]).toMatchObject({ status: 200, query: { with_response: "true" } });
    expect(response.resource?.message?.content).toBe("you are #2");
    expect(response.interaction.responseMessageId).toBe(response.resource?.message?.id);
  });

  it("GIVEN a slash command WHEN the bot defers and then edits the reply THEN callback type 5 and a PATCH of @original are recorded", async () => {
    const c = await connect();
    const payload = fake.build.chatInputInteraction({ name: "leaderboard", userId: BOB, channelId: GENERAL });
    const interaction = await deliverInteraction(c, payload);
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");

    await interaction.deferReply();
    const edited = await interaction.editReply("1. alice 2. bob");
    const followUp = await interaction.followUp({ content: "updated hourly", flags: MessageFlags.Ephemeral });

    expect(fake.requestsTo("POST", `/interactions/${payload.id}/${payload.token}/callback`)[0]?.body).toMatchObject({ type: 5 });
    const patch = fake.requestsTo("PATCH", `/webhooks/${APP}/${payload.token}/messages/@original`)[0];
    expect(patch?.rawPath).toBe(`/webhooks/${APP}/${payload.token}/messages/%40original`);
    expect(patch?.authorized).toBe(false);
    expect(patch?.body).toMatchObject({ content: "1. alice 2. bob" });
    expect(edited.content).toBe("1. alice 2. bob");
    expect(edited.channelId).toBe(GENERAL);
    expect(fake.requestsTo("POST", `/webhooks/${APP}/${payload.token}`)[0]?.body).toMatchObject({ content: "updated hourly", flags: 64 });
    expect(followUp.id).not.toBe(edited.id);
  });

  it("GIVEN an interaction already answered WHEN the bot answers again THEN the fake rejects it with 40060 like Discord", async () => {
    const c = await connect();
    const payload = fake.build.chatInputInteraction({ name: "rank", userId: BOB, channelId: GENERAL });
    const interaction = await deliverInteraction(c, payload);
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");
    await interaction.reply("one");

    // Bypass discord.js' own `replied` guard: a second process (or a replayed event) would not have it.
    const again = c.rest.post(`/interactions/${payload.id}/${payload.token}/callback`, { body: { type: 4, data: { content: "two" } }, auth: false });

    await expect(again).rejects.toMatchObject({ code: 40060 });
  });

  it("GIVEN a button on a message the bot posted WHEN a member clicks it THEN interaction.update is callback type 7 and edits that message", async () => {
    const c = await connect();
    const channel = c.channels.cache.get(GENERAL) as TextChannel;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId("talk:claim").setLabel("Claim").setStyle(ButtonStyle.Primary));
    const posted = await channel.send({ content: "Talk slot open", components: [row] });
    const heard = nextClientEvent(c, Events.InteractionCreate);

    const payload = fake.build.buttonInteraction({ customId: "talk:claim", messageId: posted.id, userId: BOB, channelId: GENERAL });
    fake.dispatch("INTERACTION_CREATE", payload);

    const [interaction] = await heard;
    if (!interaction.isButton()) throw new Error("expected a button");
    expect(interaction.customId).toBe("talk:claim");
    expect(interaction.message.id).toBe(posted.id);
    expect(interaction.message.content).toBe("Talk slot open");

    await interaction.update({ content: "Claimed by bob", components: [] });

    const callback = await fake.waitForRequest((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    expect(callback.body).toMatchObject({ type: 7, data: { content: "Claimed by bob", components: [] } });
    expect(fake.world.messages.get(posted.id)?.content).toBe("Claimed by bob");
  });

  it("GIVEN a string select WHEN a member picks values THEN the handler reads them", async () => {
    const c = await connect();
    const heard = nextClientEvent(c, Events.InteractionCreate);

    fake.dispatch("INTERACTION_CREATE", fake.build.selectMenuInteraction({ customId: "topics", values: ["rust", "go"], userId: BOB, channelId: GENERAL }));

    const [interaction] = await heard;
    if (!interaction.isStringSelectMenu()) throw new Error("expected a string select");
    expect(interaction.values).toEqual(["rust", "go"]);
  });

  it("GIVEN a button WHEN the bot uses deferUpdate then editReply THEN callback type 6 is recorded and @original is the button's message", async () => {
    const c = await connect();
    const payload = fake.build.buttonInteraction({ customId: "vote:up", userId: ALICE, channelId: GENERAL });
    const interaction = await deliverInteraction(c, payload);
    if (!interaction.isButton()) throw new Error("expected a button");

    await interaction.deferUpdate();
    const edited = await interaction.editReply({ content: "1 vote" });

    expect(fake.requestsTo("POST", `/interactions/${payload.id}/${payload.token}/callback`)[0]?.body).toMatchObject({ type: 6 });
    expect(edited.id).toBe(payload.message.id);
  });

  it("GIVEN a slash command WHEN the bot shows a modal and the member submits it THEN type 9 is recorded and the fields reach the handler", async () => {
    const c = await connect();
    const heard = nextClientEvent(c, Events.InteractionCreate);
    const command = fake.build.chatInputInteraction({ name: "propose-talk", userId: ALICE, channelId: GENERAL });
    fake.dispatch("INTERACTION_CREATE", command);
    const [interaction] = await heard;
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");

    const modal = new ModalBuilder()
      .setCustomId("talk:proposal")
      .setTitle("Propose a talk")
      .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(new TextInputBuilder().setCustomId("title").setLabel("Title").setStyle(TextInputStyle.Short)));
    await interaction.showModal(modal);
    expect(fake.requestsTo("POST", `/interactions/${command.id}/${command.token}/callback`)[0]?.body).toMatchObject({ type: 9, data: { custom_id: "talk:proposal" } });

    const submitted = nextClientEvent(c, Events.InteractionCreate);
    fake.dispatch("INTERACTION_CREATE", fake.build.modalSubmitInteraction({ customId: "talk:proposal", fields: { title: "Fakes for fun" }, userId: ALICE, channelId: GENERAL }));
    const [submit] = await submitted;
    if (!submit.isModalSubmit()) throw new Error("expected a modal submit");
    expect(submit.customId).toBe("talk:proposal");
    expect(submit.fields.getTextInputValue("title")).toBe("Fakes for fun");
  });

  it("GIVEN a member's message WHEN someone uses a message context-menu command on it THEN discord.js exposes it as targetMessage", async () => {
    const c = await connect({ makeCache: Options.cacheWithLimits({ MessageManager: 0 }) });
    const message = userSays("a helpful answer", GENERAL, BOB);
    await nextClientEvent(c, Events.MessageCreate, (m) => m.id === message.id);
    const heard = nextClientEvent(c, Events.InteractionCreate);

    fake.dispatch("INTERACTION_CREATE", fake.build.messageContextMenuInteraction({ name: "Thank the author", targetMessageId: message.id, userId: ALICE, channelId: GENERAL }));

    const [interaction] = await heard;
    if (!interaction.isMessageContextMenuCommand()) throw new Error("expected a message context-menu command");
    expect(interaction.commandName).toBe("Thank the author");
    expect(interaction.targetMessage.id).toBe(message.id);
    expect(interaction.targetMessage.author.id).toBe(BOB);
    expect(interaction.user.id).toBe(ALICE);
  });

  it("GIVEN the bot registers guild commands WHEN a command then arrives THEN it carries the id the registration returned", async () => {
    const c = await connect();

    const registered = await c.application?.commands.set([{ name: "points", description: "Show points" }], GUILD);
    const id = registered?.first()?.id;
    expect(id).toMatch(/^\d+$/);
    expect(fake.requestsTo("PUT", `/applications/${APP}/guilds/${GUILD}/commands`)[0]?.body).toEqual([expect.objectContaining({ name: "points" })]);

    const heard = nextClientEvent(c, Events.InteractionCreate);
    fake.dispatch("INTERACTION_CREATE", fake.build.chatInputInteraction({ name: "points", userId: BOB, channelId: GENERAL }));
    const [interaction] = await heard;
    expect(interaction.isChatInputCommand() && interaction.commandId).toBe(id);
  });
});

describe("members and roles", () => {
  it("GIVEN a newcomer WHEN GUILD_MEMBER_ADD arrives and the bot kicks them THEN guildMemberAdd fires, the kick is recorded and the removal is echoed", async () => {
    const c = await connect();
    const CAROL = "1100000000000001002";
    const joined = nextClientEvent(c, Events.GuildMemberAdd);
    fake.dispatch("GUILD_MEMBER_ADD", fake.build.memberAdd({ guildId: GUILD, userId: CAROL, username: "carol" }));
    const [member] = await joined;
    expect(member.user.username).toBe("carol");

    const left = nextClientEvent(c, Events.GuildMemberRemove);
    await member.kick("spam");

    const kick = await fake.waitForRequest((r) => r.method === "DELETE" && r.path === `/guilds/${GUILD}/members/${CAROL}`);
    expect(kick.auditLogReason).toBe("spam");
    const [gone] = await left;
    expect(gone.id).toBe(CAROL);
  });

  it("GIVEN the default policy WHEN the bot grants a role THEN the PUT is recorded with its audit reason and the member has the role", async () => {
    const c = await connect();
    const member = await c.guilds.cache.get(GUILD)?.members.fetch(BOB);

    await member?.roles.add(VIP_ROLE, "reached 100 points");

    const put = await fake.waitForRequest((r) => r.method === "PUT" && r.path === `/guilds/${GUILD}/members/${BOB}/roles/${VIP_ROLE}`);
    expect(put.status).toBe(204);
    expect(put.auditLogReason).toBe("reached 100 points");
    expect(fake.world.guild(GUILD).members.get(BOB)?.roles).toContain(VIP_ROLE);
  });

  it("GIVEN the fake refuses role grants WHEN the bot grants a role THEN discord.js rejects with 50013 Missing Permissions", async () => {
    const c = await connect();
    fake.setRoleGrantPolicy("refuse");
    const member = c.guilds.cache.get(GUILD)?.members.cache.get(BOB);

    const error = await member?.roles.add(VIP_ROLE).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50013, status: 403 });
  });
});

describe("gateway resilience", () => {
  it("GIVEN a live session WHEN the connection drops and events happen meanwhile THEN the client RESUMEs with its session and seq and gets each missed event once", async () => {
    const c = await connect();
    const seen = collectClientEvents(c, Events.MessageCreate);
    const resumed = nextClientEvent(c, Events.ShardResume, () => true, 5_000);
    const seqBefore = fake.sequence;

    await fake.dropConnection();
    const missed = fake.build.messageCreate({ channelId: GENERAL, authorId: ALICE, content: "said while you were away" });
    const heard = nextClientEvent(c, Events.MessageCreate, (m) => m.id === missed.id, 5_000);
    fake.dispatch("MESSAGE_CREATE", missed);
    expect(fake.gatewayLive).toBe(false);
    await fake.waitForResume();
    const [, replayedCount] = await resumed;
    await heard;

    expect(fake.resumes[0]).toMatchObject({ session_id: fake.sessionId, seq: seqBefore });
    // The client reconnects to READY's resume_gateway_url, not the URL from GET /gateway/bot.
    expect(fake.gatewayConnections[1]?.path).toBe("/gateway/resume");
    expect(fake.gatewaySent.filter((f) => f.replay).map((f) => f.t)).toEqual(["MESSAGE_CREATE"]);
    // discord.js counts by sequence numbers, and RESUMED carries one too: 1 missed event + RESUMED.
    expect(replayedCount).toBe(2);
    expect(seen.filter(([m]) => m.id === missed.id)).toHaveLength(1);
    expect(fake.dispatches.find((d) => (d.d as { id?: string }).id === missed.id)?.sentCount).toBe(1);
  });

  it("GIVEN a bounded message cache WHEN a resume redelivers an already-handled MESSAGE_CREATE THEN the handler sees it twice", async () => {
    const c = await connect({ makeCache: Options.cacheWithLimits({ MessageManager: 0 }) });
    const seen = collectClientEvents(c, Events.MessageCreate);
    const first = nextClientEvent(c, Events.MessageCreate);
    const message = userSays("+1 for the talk");
    await first;

    await fake.dropConnection({ redeliver: 1 });
    const again = nextClientEvent(c, Events.MessageCreate, (m) => m.id === message.id, 5_000);
    await fake.waitForResume();
    await again;

    expect(seen.filter(([m]: [Message]) => m.id === message.id)).toHaveLength(2);
    expect(fake.gatewaySent.filter((f) => f.t === "MESSAGE_CREATE" && f.replay)).toHaveLength(1);
  });

  it("GIVEN the default message cache WHEN a resume redelivers an already-handled MESSAGE_CREATE THEN discord.js drops the duplicate itself", async () => {
    const c = await connect();
    const seen = collectClientEvents(c, Events.MessageCreate);
    const first = nextClientEvent(c, Events.MessageCreate);
    const message = userSays("+1 for the talk");
    await first;

    await fake.dropConnection({ redeliver: 1 });
    await fake.waitForResume();
    // A later event proves the client has processed everything before it.
    const marker = nextClientEvent(c, Events.MessageCreate, (m) => m.content === "marker");
    userSays("marker");
    await marker;

    expect(seen.filter(([m]) => m.id === message.id)).toHaveLength(1);
  });

  it("GIVEN a live session WHEN the fake sends op 7 RECONNECT THEN the client reconnects and resumes the same session", async () => {
    const c = await connect();
    const sessionBefore = fake.sessionId;

    fake.requestReconnect();
    await fake.waitForResume();

    expect(fake.resumes).toHaveLength(1);
    expect(fake.sessionId).toBe(sessionBefore);
    const heard = nextClientEvent(c, Events.MessageCreate, (m) => m.content === "still here");
    userSays("still here");
    await heard;
  });

  it("GIVEN a live session WHEN the fake sends a resumable INVALID_SESSION THEN the client answers with RESUME on the same socket", async () => {
    await connect();

    fake.invalidateSession(true);
    const resume = await fake.waitForGatewayFrame((f) => f.op === 6);

    expect(resume.connection).toBe(1);
    expect(resume.d).toMatchObject({ session_id: fake.sessionId });
  });

  it("GIVEN heartbeat ACKs are withheld WHEN the client's next heartbeat finds the last one unanswered THEN it reconnects and RESUMEs", async () => {
    fake = await restartFake({ ...WORLD, heartbeatIntervalMs: 100 });
    await connect();
    await fake.waitForGatewayFrame((f) => f.op === 1);
    expect(fake.gatewaySent.some((f) => f.op === 11)).toBe(true);

    fake.ackHeartbeats = false;
    const resume = await fake.waitForGatewayFrame((f) => f.op === 6, 5_000);

    expect(resume.d).toMatchObject({ session_id: fake.sessionId });
  });
});

describe("rate limits", () => {
  it("GIVEN a scripted 429 with retry-after WHEN the bot posts THEN @discordjs/rest waits it out and the message is sent once", async () => {
    const c = await connect();
    const channel = c.channels.cache.get(GENERAL) as TextChannel;
    fake.rateLimitNext({ method: "POST", path: `/channels/${GENERAL}/messages` }, { retryAfterSeconds: 0.3 });
    const limited = once(c.rest, "rateLimited");

    const started = Date.now();
    const sent = await channel.send("after the limit");
    const elapsed = Date.now() - started;

    const attempts = fake.requestsTo("POST", `/channels/${GENERAL}/messages`);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[1]?.body).toMatchObject({ content: "after the limit" });
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect([...fake.world.messages.values()].filter((m) => m.content === "after the limit")).toHaveLength(1);
    expect(sent.content).toBe("after the limit");
    const [info] = (await limited) as [{ retryAfter: number }];
    // retryAfter is in ms and includes the REST client's safety offset.
    expect(info.retryAfter).toBeGreaterThanOrEqual(300);
  });
});

describe("intents", () => {
  it("GIVEN a client without MessageContent WHEN a member posts THEN content arrives empty unless the bot is mentioned, as on Discord", async () => {
    const c = await connect({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    const plain = nextClientEvent(c, Events.MessageCreate, (m) => m.author.id === ALICE);
    userSays("secret sauce");
    const [message] = await plain;
    expect(message.content).toBe("");

    const mention = nextClientEvent(c, Events.MessageCreate, (m) => m.mentions.users.has(APP));
    fake.dispatch("MESSAGE_CREATE", fake.build.messageCreate({ channelId: GENERAL, authorId: ALICE, content: `<@${APP}> help`, mentions: [APP] }));
    const [mentioned] = await mention;
    expect(mentioned.content).toBe(`<@${APP}> help`);
  });

  it("GIVEN a client without GuildMessageReactions WHEN a test dispatches a reaction THEN the fake refuses, naming the missing intent", async () => {
    await connect({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });

    expect(() =>
      fake.dispatch("MESSAGE_REACTION_ADD", fake.build.reactionAdd({ userId: ALICE, messageId: "1100000000000005002", channelId: GENERAL, emoji: { name: "⭐" } })),
    ).toThrow(/GuildMessageReactions/);
  });
});

/** Swaps the beforeEach fake for one with other options (afterEach closes whichever is current). */
async function restartFake(options: FakeDiscordOptions): Promise<FakeDiscord> {
  await fake.close();
  return FakeDiscord.start(options);
}
