import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideFlag } from "../../../src/engine/moderation/flag-decision.js";
import { bannedWords } from "../../../src/engine/moderation/quality/banned-words.js";
import { linksIn } from "../../../src/engine/moderation/quality/links.js";
import { type ScoreInput, scoreMessage } from "../../../src/engine/moderation/quality/score.js";
import { shapeOf } from "../../../src/engine/moderation/quality/text-shape.js";
import { BASE, WEIGHTS } from "../../../src/engine/moderation/quality/weights.js";
import { reportWeight } from "../../../src/engine/moderation/report-weight.js";
import { add, EMPTY_STATS, MIN_SIGMA, remove, sigma, zScore } from "../../../src/engine/moderation/welford.js";
import { defaultSettings } from "../../../src/engine/communities/settings.js";

const none = bannedWords([]);
const score = (text: string, extra: Partial<ScoreInput> = {}) => scoreMessage({ text, mentions: 0, repeats: 0, otherChannels: 0, banned: none, ...extra });
const features = (text: string, extra: Partial<ScoreInput> = {}) => score(text, extra).features;

describe("quality features", () => {
  it.each([
    ["ok", "veryShort"],
    ["How do I get vite to resolve the path aliases from my tsconfig? I added them but imports still fail.", "substantial"],
    ["I've been reading through the kysely docs and the transaction section says a callback receives a transaction object; every query inside it must use that object or it runs outside. That's what bit me.", "long"],
    ["%%%% $$$ ### @@@ ;;;; ~~~", "fewLetters"],
    ["WHY DOES NOTHING IN THIS FRAMEWORK EVER WORK", "shouting"],
    ["https://example.com/x", "linkOnly"],
    ["bump", "filler"],
    ["+1", "filler"],
    ["any update?", "filler"],
    ["same problem here", "filler"],
    ["thanks!", "thanksOnly"],
    ["asdfghjkl", "mash"],
    ["jkdfhgkjdfhg sdfkjhsdf", "mash"],
    ["aaaaaaaaaaaaaaa", "mash"],
    ["lolololololololol", "mash"],
    ["Claim your free nitro today, limited supply", "scamWords"],
    ["join my server, we do giveaways every week", "promoWords"],
    ["```ts\nconst x: number = 1;\n```", "codeBlock"],
    ["Try `npm ci` instead of install", "inlineCode"],
    ["The answer is in https://docs.python.org/3/library/asyncio-task.html", "docLink"],
    ["join here discord.gg/abcdef", "invite"],
  ])("GIVEN %j THEN %s fires", (text, feature) => {
    expect(features(text)).toContain(feature);
  });

  it("GIVEN mentions THEN three to five is manyMentions, six or more a mention storm", () => {
    expect(features("hey all look at this", { mentions: 3 })).toContain("manyMentions");
    expect(score("hey all look at this", { mentions: 6 }).hard).toEqual(["mention-storm"]);
    expect(score("@everyone check https://example.com").hard).toEqual(["mention-storm"]);
  });

  it("GIVEN the same text before THEN repeated, then repeatedOften; in three channels (two with a link) duplicate spam", () => {
    expect(features("is anyone around to help me with docker?", { repeats: 1 })).toContain("repeated");
    expect(features("is anyone around to help me with docker?", { repeats: 3 })).toContain("repeatedOften");
    expect(score("is anyone around to help me with docker?", { repeats: 1, otherChannels: 1 }).hard).toEqual([]);
    expect(score("is anyone around to help me with docker?", { repeats: 2, otherChannels: 2 }).hard).toEqual(["duplicate-spam"]);
    expect(score("my course: https://example.com/course", { repeats: 1, otherChannels: 1 }).hard).toEqual(["duplicate-spam"]);
  });

  it("GIVEN invites and scam links THEN the hard rules fire; an invite explained at length does not", () => {
    expect(score("discord.gg/abcdef").hard).toEqual(["invite-spam"]);
    expect(score("join my server for free stuff https://discord.gg/abcdef").hard).toEqual(["invite-spam"]);
    expect(score("free nitro for everyone https://example.com/claim").hard).toEqual(["scam-link"]);
    expect(score("get your gift at https://dlscord-gift.com/abc").hard).toEqual(["scam-link"]);
    expect(score("The Rust community server is at https://discord.gg/rust-lang and the #beginners channel there answers questions like this one quickly.").hard).toEqual([]);
    expect(score("check the guide at https://discord.com/developers/docs/interactions/receiving-and-responding").hard).toEqual([]);
  });

  it("GIVEN a community's banned words THEN l33t and spaced spellings are caught, and the phrase is named", () => {
    const banned = bannedWords(["spamcoin", "free nitro"]);
    expect(score("buy sp4mc0in now", { banned }).hard).toEqual(["banned-word"]);
    expect(score("buy sp4mc0in now", { banned }).bannedWord).toBe("spamcoin");
    expect(score("FR33 N1TRO", { banned }).hard[0]).toBe("banned-word");
    expect(score("a normal message about coins", { banned }).hard).toEqual([]);
  });

  it("GIVEN good messages in other languages and scripts THEN nothing marks them down", () => {
    for (const text of [
      "Hallo zusammen, weiß jemand, wie man Vite dazu bringt, die Pfad-Aliase aus der tsconfig zu lesen?",
      "Bonjour, j'ai un problème avec mon build : webpack ne trouve plus les fichiers .ts",
      "¿Alguien sabe por qué mi contenedor de Docker se reinicia cada cinco minutos?",
      "Cześć, czy ktoś wie, dlaczego przestrzeń nazw nie działa w tym projekcie?",
      "Ahoj, potřebuji poradit se čtvrtou verzí knihovny, hlásí chybu při sestavení.",
      "Привет! Подскажите, как настроить webpack, чтобы он понимал алиасы из tsconfig?",
      "大家好，请问怎么让 vite 读取 tsconfig 里的路径别名？",
      "みなさん、Rust のライフタイムについて質問があります。",
      "안녕하세요, 도커 컨테이너가 계속 재시작되는데 이유를 아시는 분 계신가요?",
      "مرحبا، هل يعرف أحد كيف أحل مشكلة الترميز في بايثون؟",
      "Olá pessoal, alguém sabe configurar o eslint com typescript?",
      "谢谢",
      "danke!",
    ]) {
      const negative = score(text).features.filter((f) => WEIGHTS[f] < 0 && f !== "veryShort" && f !== "thanksOnly");
      expect({ text, negative }).toEqual({ text, negative: [] });
    }
  });

  it("GIVEN code and documentation THEN they raise the score above the same words without", () => {
    expect(score("use this:\n```js\nconst a = await fetch(url)\n```").q).toBeGreaterThan(score("use this").q);
    expect(score("see https://developer.mozilla.org/en-US/docs/Web/API/fetch").q).toBeGreaterThan(score("see https://example.com/x").q);
  });

  it("GIVEN any text THEN q is within 0–1 and the sum of BASE and the fired weights (clamped)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const s = score(text);
        const sum = Math.min(1, Math.max(0, BASE + s.features.reduce((t, f) => t + WEIGHTS[f], 0)));
        expect(s.q).toBeGreaterThanOrEqual(0);
        expect(s.q).toBeLessThanOrEqual(1);
        expect(s.q).toBeCloseTo(sum, 2);
      }),
      { numRuns: 300 },
    );
  });

  it("GIVEN text shapes THEN letters, capitals and entropy are counted per character, CJK counting three", () => {
    expect(shapeOf("AbC d")).toMatchObject({ letters: 4, upper: 2, cased: 4, visible: 4 });
    expect(shapeOf("谢谢").letters).toBe(6);
    expect(shapeOf("aaaa").entropy).toBe(0);
    expect(shapeOf("🎉🎉").visible).toBe(0);
  });

  it("GIVEN links THEN linkify-it finds schemes and bare domains, and e-mail addresses are not links", () => {
    expect(linksIn("see docs.rs/tokio and github.com/a/b").count).toBe(2);
    expect(linksIn("mail me at a@b.com").count).toBe(0);
    expect(linksIn("config.ts and resolve.extensions").count).toBe(0);
  });
});

describe("Welford statistics and the z-score", () => {
  it("GIVEN any scores THEN the running mean and variance equal the batch ones, and remove undoes add", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 50 }), (xs) => {
        const s = xs.reduce(add, EMPTY_STATS);
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
        expect(s.mean).toBeCloseTo(mean, 9);
        expect(s.m2 / (s.n - 1)).toBeCloseTo(variance, 9);
        const back = remove(add(s, 0.5), 0.5);
        expect(back.n).toBe(s.n);
        expect(back.mean).toBeCloseTo(s.mean, 9);
        expect(back.m2).toBeCloseTo(s.m2, 9);
      }),
    );
  });

  it("GIVEN identical scores THEN σ is floored, so z stays finite", () => {
    const s = [0.6, 0.6, 0.6].reduce(add, EMPTY_STATS);
    expect(sigma(s)).toBe(MIN_SIGMA);
    expect(zScore(s, 0.44)).toBeCloseTo(-0.16 / MIN_SIGMA, 9);
  });

  it("GIVEN the warm-up THEN the fixed threshold decides; after it z does; hard rules always; flagged scores are not counted", () => {
    const rules = { ...defaultSettings().moderation, warmup: 3 };
    const stats = [0.6, 0.65, 0.55].reduce(add, EMPTY_STATS);
    const s = (q: number, hard: string[] = []) => ({ q, features: [], hard, hasLink: false, hasCode: false }) as never;
    expect(decideFlag(s(0.29), stats, 2, rules)).toEqual({ flagged: true, z: undefined, reasons: ["low-quality"], counts: false });
    expect(decideFlag(s(0.45), stats, 2, rules)).toEqual({ flagged: false, z: undefined, reasons: [], counts: true });
    expect(decideFlag(s(0.4), stats, 3, rules)).toMatchObject({ flagged: true, reasons: ["low-quality"], z: -2.5 });
    expect(decideFlag(s(0.52), stats, 3, rules)).toMatchObject({ flagged: false, z: -1 });
    expect(decideFlag(s(0.9, ["scam-link"]), stats, 3, rules)).toMatchObject({ flagged: true, reasons: ["scam-link"], counts: false });
  });
});

describe("report weight", () => {
  it("GIVEN a new member THEN 1; standing and agreed reports raise it, rejected ones lower it", () => {
    expect(reportWeight(0, { agreed: 0, rejected: 0 })).toBe(1);
    expect(reportWeight(10, { agreed: 0, rejected: 0 })).toBe(2);
    expect(reportWeight(0, { agreed: 8, rejected: 0 })).toBeCloseTo(1.8, 2);
    expect(reportWeight(0, { agreed: 0, rejected: 8 })).toBeCloseTo(0.2, 2);
  });
});
