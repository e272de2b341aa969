import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { KbSearchService } from "../../../src/engine/knowledge/kb-search.service.js";
import { searchTerms } from "../../../src/engine/knowledge/kb-search-terms.js";
import { dialects, openTestDb, type TestDb } from "../../helpers/db.js";
import { COMMUNITY, CORPUS, idOf, QUERIES, writeCorpus } from "./kb-search-corpus.js";

describe.each(dialects)("knowledge search repository (%s)", (dialect) => {
  let t: TestDb;
  let kb: KbSearchService;
  afterEach(() => t?.cleanup());

  async function start() {
    t = await openTestDb(dialect);
    kb = new KbSearchService(t.db.kysely, () => 0);
    await writeCorpus(t.db.kysely);
  }
  const ids = async (query: string, community = COMMUNITY) => (await kb.search(community, query)).hits.map((h) => idOf(h.questionKey, community));

  it("GIVEN the fixed corpus THEN each query returns its question first", async () => {
    await start();
    const wrong: string[] = [];
    for (const q of QUERIES) {
      if (q.sqliteOnly && dialect !== "sqlite") continue;
      const found = await ids(q.query);
      if (found[0] !== q.first) wrong.push(`${q.query} → ${found.join(", ") || "nothing"} (expected ${q.first})`);
    }
    expect(wrong).toEqual([]);
  });

  it("GIVEN any query THEN at most five results come back, best first, with their links", async () => {
    await start();
    const { hits } = await kb.search(COMMUNITY, "error module file not found function");
    expect(hits.length).toBeLessThanOrEqual(5);
    expect(hits.length).toBeGreaterThan(0);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(hits[0]!.questionLink).toMatch(/^https:\/\/discord\.com\/channels\//);
  });

  it("GIVEN accents typed or not THEN both spellings find the question", async () => {
    await start();
    expect((await ids("Requête lente"))[0]).toBe("fr-requete");
    expect((await ids("requete lente"))[0]).toBe("fr-requete");
    expect((await ids("worter ubermaßig"))[0]).toBe("de-umlaut");
    expect((await ids("Übermäßig"))[0]).toBe("de-umlaut");
  });

  it("GIVEN camelCase and snake_case parts THEN the parts find the identifier", async () => {
    await start();
    expect((await ids("MODULE_NOT_FOUND"))[0]).toBe("node-esm");
    expect((await ids("vector"))[0]).toBe("cpp-vector-iter");
    expect((await ids("at_utc"))[0]).toBe("sql-snake");
  });

  it("GIVEN another community's solved questions THEN they are never returned", async () => {
    await start();
    await writeCorpus(t.db.kysely, "c-other", CORPUS.slice(0, 3));
    expect(await ids("useEffect", "c-other")).toEqual(["react-effect-twice"]);
    expect(await ids("CrashLoopBackOff", "c-other")).toEqual([]);
    expect(await ids("useEffect")).toEqual(["react-effect-twice"]);
  });

  it("GIVEN kb_entries rows deleted or changed THEN the index follows them", async () => {
    await start();
    await t.db.kysely.deleteFrom("kb_entries").where("question_key", "=", `discord:msg:${COMMUNITY}-node-esm`).execute();
    await t.db.kysely.deleteFrom("kb_entries").where("question_key", "=", `discord:msg:${COMMUNITY}-ja-mojibake`).execute();
    expect(await ids("ERR_MODULE_NOT_FOUND")).not.toContain("node-esm");
    expect(await ids("文字化け")).not.toContain("ja-mojibake");
    await t.db.kysely.updateTable("kb_entries").set({ title: "Pod never becomes ready", question_text: "Readiness probe fails forever." }).where("question_key", "=", `discord:msg:${COMMUNITY}-k8s-crashloop`).execute();
    expect((await ids("readiness probe"))[0]).toBe("k8s-crashloop");
    expect(await ids("CrashLoopBackOff")).toEqual([]);
    // Re-solving (the row written again) brings it back, once.
    await writeCorpus(t.db.kysely, COMMUNITY, CORPUS.filter((e) => e.id === "node-esm" || e.id === "ja-mojibake"));
    expect((await ids("ERR_MODULE_NOT_FOUND")).filter((id) => id === "node-esm")).toHaveLength(1);
    expect((await ids("文字化け"))[0]).toBe("ja-mojibake");
    if (dialect === "sqlite") {
      // The external-content index is consistent with its table.
      await sql`insert into kb_fts(kb_fts, rank) values ('integrity-check', 1)`.execute(t.db.kysely);
      await sql`insert into kb_fts_cjk(kb_fts_cjk, rank) values ('integrity-check', 1)`.execute(t.db.kysely);
    }
  });

  it.each([
    ['"unbalanced quote'],
    ["use*"],
    ["*"],
    ["NEAR(a b)"],
    ["a NEAR b"],
    ["-docker"],
    ["title:docker"],
    ["docker AND OR NOT"],
    ["^start"],
    ["'); drop table kb_entries; --"],
    ["(((("],
    ["!!! ??? ..."],
    ["::"],
    [""],
    ["\u0000\u202e"],
    ["ｕｓｅＥｆｆｅｃｔ"],
  ])("GIVEN the query %j THEN it never throws", async (query) => {
    await start();
    const { hits } = await kb.search(COMMUNITY, query);
    expect(Array.isArray(hits)).toBe(true);
    if (searchTerms(query).length === 0) expect(hits).toEqual([]);
  });

  it("GIVEN a query of only punctuation THEN nothing is returned", async () => {
    await start();
    for (const q of ["?", "::", "-- **", "\"\"", "()"]) expect(await ids(q)).toEqual([]);
    expect((await ids("-docker"))[0]).toBe("docker-dns");
    expect((await ids('"CrashLoopBackOff'))[0]).toBe("k8s-crashloop");
  });
});
