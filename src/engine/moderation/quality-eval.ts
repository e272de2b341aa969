import { detect } from "tinyld";
import { z } from "zod";
import type { Settings } from "../communities/settings.js";
import { decideFlag } from "./flag-decision.js";
import { bannedWords } from "./quality/banned-words.js";
import { scoreMessage } from "./quality/score.js";
import { add, EMPTY_STATS, type RunningStats } from "./welford.js";

/**
 * The quality score measured on a labelled sample (`npm run eval:quality`): each line's message is
 * scored and judged exactly as the engine would, in file order, against running statistics that
 * start empty — the warm-up's fixed threshold first, then the z rule — as in a new community.
 */
export const labelledLine = z.object({
  text: z.string(),
  label: z.enum(["good", "low"]),
  /** ISO 639-1; detected with tinyld when absent. */
  lang: z.string().min(2).max(8).optional(),
  kind: z.string().optional(),
});

export type LabelledMessage = z.infer<typeof labelledLine>;

/** Precision, recall and false-positive rate of one group. */
export interface Figures {
  messages: number;
  good: number;
  low: number;
  truePositives: number;
  falsePositives: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
}

export interface Evaluation {
  overall: Figures;
  /** Good messages not in English: the false-positive rate is what matters for them. */
  nonEnglishGood: Figures;
  /** Good messages carrying code (a block or inline). */
  codeGood: Figures;
  /** Every message flagged wrongly or missed, for reading. */
  mistakes: { text: string; label: "good" | "low"; q: number; z: number | undefined; features: string[] }[];
}

function figures(rows: { label: "good" | "low"; flagged: boolean }[]): Figures {
  const good = rows.filter((r) => r.label === "good").length;
  const low = rows.length - good;
  const truePositives = rows.filter((r) => r.label === "low" && r.flagged).length;
  const falsePositives = rows.filter((r) => r.label === "good" && r.flagged).length;
  const flagged = truePositives + falsePositives;
  return {
    messages: rows.length,
    good,
    low,
    truePositives,
    falsePositives,
    precision: flagged === 0 ? 1 : truePositives / flagged,
    recall: low === 0 ? 1 : truePositives / low,
    falsePositiveRate: good === 0 ? 0 : falsePositives / good,
  };
}

/** Parses JSONL; a bad line is an error naming the line and what is wrong. */
export function parseSample(text: string): LabelledMessage[] {
  const out: LabelledMessage[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1}: not JSON`);
    }
    const parsed = labelledLine.safeParse(json);
    if (!parsed.success) throw new Error(`line ${i + 1}: expected {"text": string, "label": "good" | "low"} (${parsed.error.issues[0]?.message ?? "invalid"})`);
    out.push(parsed.data);
  });
  return out;
}

export function evaluate(sample: readonly LabelledMessage[], rules: Settings["moderation"]): Evaluation {
  const banned = bannedWords(rules.bannedWords);
  let stats: RunningStats = EMPTY_STATS;
  let seen = 0;
  const judged = sample.map((m) => {
    const score = scoreMessage({ text: m.text, mentions: 0, repeats: 0, otherChannels: 0, banned });
    const decision = decideFlag(score, stats, seen, rules);
    seen++;
    if (decision.counts) stats = add(stats, score.q);
    const lang = m.lang ?? (detect(m.text) || "unknown");
    return { ...m, lang, flagged: decision.flagged, q: score.q, z: decision.z, features: score.features, hasCode: score.hasCode };
  });
  return {
    overall: figures(judged),
    nonEnglishGood: figures(judged.filter((m) => m.label === "good" && m.lang !== "en")),
    codeGood: figures(judged.filter((m) => m.label === "good" && m.hasCode)),
    mistakes: judged.filter((m) => m.flagged !== (m.label === "low")).map((m) => ({ text: m.text, label: m.label, q: m.q, z: m.z, features: m.features })),
  };
}
