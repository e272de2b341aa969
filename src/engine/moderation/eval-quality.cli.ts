/**
 * `npm run eval:quality [-- --file other.jsonl] [-- --warmup N] [-- --mistakes]`: scores a labelled
 * JSONL file (default: data/quality-sample.jsonl) with the default community settings and prints
 * precision, recall and false-positive rate, overall and for non-English and code-carrying good
 * messages.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { defaultSettings } from "../communities/settings.js";
import { projectRoot } from "../../db/project-root.js";
import { evaluate, type Figures, parseSample } from "./quality-eval.js";

const { values } = parseArgs({ options: { file: { type: "string" }, warmup: { type: "string" }, mistakes: { type: "boolean" } } });
const file = values.file ?? path.join(projectRoot() ?? process.cwd(), "data", "quality-sample.jsonl");
const rules = defaultSettings().moderation;
if (values.warmup !== undefined) {
  const n = Number(values.warmup);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`eval:quality: --warmup takes a whole number ≥ 0, got "${values.warmup}"`);
    process.exit(2);
  }
  rules.warmup = n;
}

let sample;
try {
  sample = parseSample(fs.readFileSync(file, "utf8"));
} catch (error) {
  console.error(`eval:quality: ${file}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

const result = evaluate(sample, rules);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const line = (name: string, f: Figures, onlyGood = false) =>
  onlyGood
    ? `${name.padEnd(28)} ${String(f.good).padStart(4)} good   false-positive rate ${pct(f.falsePositiveRate)} (${f.falsePositives} flagged)`
    : `${name.padEnd(28)} ${String(f.messages).padStart(4)} msgs   precision ${pct(f.precision)}   recall ${pct(f.recall)}   false-positive rate ${pct(f.falsePositiveRate)}`;

console.log(`${path.relative(process.cwd(), file) || file}: ${result.overall.messages} messages (${result.overall.good} good, ${result.overall.low} low), warm-up ${rules.warmup}, z < ${rules.zThreshold}, fixed q < ${rules.fixedThreshold}`);
console.log(line("overall", result.overall));
console.log(line("non-English good messages", result.nonEnglishGood, true));
console.log(line("good messages with code", result.codeGood, true));
console.log(`targets: false-positive rate < 3 %, recall > 80 %`);
if (values.mistakes) {
  for (const m of result.mistakes) console.log(`  ${m.label === "good" ? "false positive" : "missed       "} q ${m.q.toFixed(2)} z ${m.z?.toFixed(2) ?? "—"} [${m.features.join(",")}] ${JSON.stringify(m.text.slice(0, 90))}`);
}
