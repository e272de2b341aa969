import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/core/reply.js";
import { suggestionKey } from "../../../src/engine/knowledge/suggest.handler.js";
import { looksLikeQuestion } from "../../../src/engine/knowledge/suggest.js";
import { dialects } from "../../helpers/db.js";
import { testEngine, type TestEngine } from "../../helpers/engine.js";
import { command, GUILD, member, message } from "../../helpers/events.js";
import { configure, RecordingOutbox, settle } from "../talks/harness.js";
import { CORPUS, writeCorpus } from "./kb-search-corpus.js";

const ada = member("ada");
const bob = member("bob");

describe.each(dialects)("/ask and \"this may help\" through the engine (%s)", (dialect) => {
  let t: TestEngine;
  let outbox: RecordingOutbox;
  let community: string;
  afterEach(() => t?.close());

  async function start(settings: Record<string, string> = {}) {
    t = await testEngine({ dialect });
    outbox = new RecordingOutbox();
    t.engine.registerOutbox(outbox);
    await configure(t, settings);
    community = (await t.engine.communities.resolve({ platform: "discord", workspaceId: GUILD })).id;
    await writeCorpus(t.db.kysely, community);
  }
  const ask = (query: string, extra: Record<string, unknown> = {}) => t.engine.command(command({ name: "ask", by: ada, options: { query, ...extra } }));

  it("GIVEN solved questions THEN /ask shows the best five with snippets and links, only to the asker", async () => {
    await start();
    const reply = await ask("useEffect runs twice");
    expect(reply.ephemeral).toBe(true);
    const text = plainText(reply.text);
    expect(text.split("\n")[0]).toBe("The best match for “useEffect runs twice”:");
    expect(text).toContain("1. useEffect runs twice on mount");
    expect(text).toContain("StrictMode");
    expect(text).toContain("question: https://discord.com/channels/1/2/1000 · answer: https://discord.com/channels/1/2/2000");
    expect(reply.fields?.length).toBe(1);
    const many = await ask("error module file");
    expect(many.fields!.length).toBeGreaterThan(1);
    expect(many.fields!.length).toBeLessThanOrEqual(5);
  });

  it("GIVEN any query THEN the answer is private (searching is trying things out)", async () => {
    await start();
    expect((await ask("CrashLoopBackOff")).ephemeral).toBe(true);
  });

  it("GIVEN a member's text with markup in a solved question THEN /ask shows it literally, never as a mention", async () => {
    await start();
    await t.db.kysely.updateTable("kb_entries").set({ title: "@everyone <@123> **bold** ⟦m:discord:g1:x|x⟧ regex greedy" }).where("question_key", "like", "%regex-greedy").execute();
    const reply = await ask("greedy");
    expect(reply.text).not.toMatch(/⟦m:/);
    expect(plainText(reply.text)).toContain("@everyone <@123> **bold** ⟦m:discord:g1:x|x⟧ regex greedy");
  });

  it("GIVEN no match or only punctuation THEN /ask says so clearly, privately", async () => {
    await start();
    const none = await ask("quantum entanglement");
    expect(none).toMatchObject({ ephemeral: true, tone: "info" });
    expect(plainText(none.text)).toBe("“quantum entanglement” matches no solved question here yet. Try other words or a shorter query — or ask in a help channel: once an answer is marked as the solution, /ask finds it.");
    expect(plainText((await ask("?!* --")).text)).toContain("has nothing to search for");
  });

  const question = (id: string, text: string, o: { channel?: string; thread?: string; by?: typeof ada } = {}) =>
    message({ id, by: o.by ?? bob, at: t.clock.now(), text, channel: o.channel ?? "700", ...(o.thread ? { thread: o.thread } : {}) });

  it("GIVEN a help channel with suggestions on THEN a matching new question gets one quiet reply, once", async () => {
    await start({ "knowledge.helpChannels": "<#700>", "knowledge.suggest": "on" });
    const q = question("900", "Why does my useEffect run twice when the component mounts?");
    await t.engine.ingest(q);
    await t.engine.ingest(q); // re-delivered
    await settle(t);
    const posts = outbox.of("post").filter((p) => p.text.includes("This may help"));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.to).toBe("700");
    expect(posts[0]!.text).toContain("“useEffect runs twice on mount”");
    expect(posts[0]!.text).toContain("accepted answer: https://discord.com/channels/1/2/2000");
    const rows = await t.db.kysely.selectFrom("outbox").select("dedupe_key").where("dedupe_key", "=", suggestionKey(community, q.messageKey)).execute();
    expect(rows).toHaveLength(1);
  });

  it("GIVEN a weak match, a non-question, a thread reply or another channel THEN nothing is suggested", async () => {
    await start({ "knowledge.helpChannels": "<#700>", "knowledge.suggest": "on" });
    await t.engine.ingest(question("901", "Why is my useEffect so slow on Android phones today?")); // one term of many
    await t.engine.ingest(question("902", "useEffect runs twice on mount, fixed it with StrictMode off")); // no question
    await t.engine.ingest(question("903", "Why does my useEffect run twice when the component mounts?", { thread: "800" }));
    await t.engine.ingest(question("904", "Why does my useEffect run twice when the component mounts?", { channel: "general" }));
    await settle(t);
    expect(outbox.sent.filter((p) => p.text.includes("This may help"))).toEqual([]);
  });

  it("GIVEN suggestions off (the default) THEN a help channel's question gets nothing", async () => {
    await start({ "knowledge.helpChannels": "<#700>" });
    await t.engine.ingest(question("905", "Why does my useEffect run twice when the component mounts?"));
    await settle(t);
    expect(outbox.sent.filter((p) => p.text.includes("This may help"))).toEqual([]);
  });

  it("GIVEN non-English questions THEN they are suggested too", async () => {
    await start({ "knowledge.helpChannels": "<#700>", "knowledge.suggest": "on" });
    await t.engine.ingest(question("906", "Warum werden Umlaute in der Datenbank falsch gespeichert?"));
    await t.engine.ingest(question("907", "Почему кириллица превращается в кракозябры?"));
    await settle(t);
    const posts = outbox.sent.filter((p) => p.text.includes("This may help")).map((p) => p.text);
    expect(posts).toHaveLength(2);
    expect(posts[0]).toContain(CORPUS.find((e) => e.id === "de-umlaut")!.title);
    expect(posts[1]).toContain(CORPUS.find((e) => e.id === "ru-encoding")!.title);
  });
});

describe("looksLikeQuestion", () => {
  it.each([
    ["Why does my build fail?", true],
    ["how to center a div in css", true],
    ["Wie speichere ich Umlaute richtig", true],
    ["Comment exporter un CSV en UTF-8", true],
    ["Как найти утечку памяти", true],
    ["CSVファイルを開くと文字化けするのはなぜですか", true],
    ["why?", false],
    ["thanks, that fixed it!", false],
    ["deployed the new version", false],
  ])("%j → %s", (text, expected) => {
    expect(looksLikeQuestion(text)).toBe(expected);
  });
});
