/**
 * A strict parser for Prometheus' text exposition format 0.0.4 (prometheus.io/docs/instrumenting/
 * exposition_formats), for tests: it throws on anything the format does not allow, so a test that
 * parses /metrics also proves the output is well-formed. prom-client has no parser, and the
 * well-kept one (`parse-prometheus-text-format`) is not installed; its output shape is kept here
 * (families of `{ name, help, type, metrics }`, histograms folded into `{ buckets, count, sum }`),
 * so a test can switch to it by changing its import.
 *
 * Checked: metric and label names; label values' escapes (\\ \" \n); values (Go ParseFloat's: floats, NaN, ±Inf);
 * optional integer timestamps; HELP and TYPE at most once per family and TYPE before its samples;
 * a family's lines together; no repeated label set; a histogram's buckets with `le`, cumulative,
 * ending at +Inf equal to its `_count`, with a `_sum`.
 */
export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export type Labels = Record<string, string>;

export interface SimpleMetric {
  value: string;
  labels?: Labels;
}

export interface HistogramMetric {
  buckets: Record<string, string>;
  count: string;
  sum: string;
  labels?: Labels;
}

export interface Family {
  name: string;
  help: string;
  type: MetricType;
  metrics: (SimpleMetric | HistogramMetric)[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** As Go's strconv.ParseFloat reads it (the format's definition): NaN and Inf in any case, "infinity" too. */
const VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|nan|[+-]?inf(?:inity)?)$/i;
const TIMESTAMP = /^-?\d+$/;
const TYPES = new Set<MetricType>(["counter", "gauge", "histogram", "summary", "untyped"]);

interface Sample {
  name: string;
  labels: Labels;
  value: string;
}

interface Building {
  name: string;
  help?: string;
  type?: MetricType;
  samples: Sample[];
  closed: boolean;
}

export function parsePrometheusText(text: string): Family[] {
  if (text.length > 0 && !text.endsWith("\n")) throw new Error("the exposition must end with a line feed");
  const families = new Map<string, Building>();
  let current: Building | undefined;
  const open = (name: string, line: number): Building => {
    let family = families.get(name);
    if (family?.closed) throw new Error(`line ${line}: lines of ${name} are not together`);
    if (!family) {
      family = { name, samples: [], closed: false };
      families.set(name, family);
    }
    if (current && current !== family) current.closed = true;
    current = family;
    return family;
  };

  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    if (raw.startsWith("#")) {
      const match = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw);
      if (!match) return; // a comment
      const [, keyword, name, rest = ""] = match as unknown as [string, "HELP" | "TYPE", string, string | undefined];
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name ${JSON.stringify(name)}`);
      const family = open(name, line);
      if (keyword === "HELP") {
        if (family.help !== undefined) throw new Error(`line ${line}: second HELP for ${name}`);
        family.help = unescapeHelp(rest, line);
      } else {
        if (family.type !== undefined) throw new Error(`line ${line}: second TYPE for ${name}`);
        if (family.samples.length > 0) throw new Error(`line ${line}: TYPE for ${name} after its samples`);
        if (!TYPES.has(rest.trim() as MetricType)) throw new Error(`line ${line}: unknown type ${JSON.stringify(rest)}`);
        family.type = rest.trim() as MetricType;
      }
      return;
    }
    const sample = parseSample(raw, line);
    const family = open(familyOf(sample.name, families, current), line);
    family.samples.push(sample);
  });

  return [...families.values()].map((f) => finish(f));
}

/** A sample belongs to the family named by a TYPE whose suffixed names it matches (histogram `_bucket`…), else its own. */
function familyOf(name: string, families: Map<string, Building>, current: Building | undefined): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const family = families.get(base);
    if (family && (family.type === "histogram" || (family.type === "summary" && suffix !== "_bucket"))) return base;
  }
  if (current && current.type === "summary" && name === current.name) return current.name;
  return name;
}

function parseSample(raw: string, line: number): Sample {
  const nameMatch = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(raw);
  if (!nameMatch) throw new Error(`line ${line}: a sample must start with a metric name: ${JSON.stringify(raw)}`);
  const name = nameMatch[1]!;
  let pos = name.length;
  const labels: Labels = {};
  if (raw[pos] === "{") {
    pos += 1;
    for (;;) {
      if (raw[pos] === "}") {
        pos += 1;
        break;
      }
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(raw.slice(pos));
      if (!labelMatch) throw new Error(`line ${line}: bad label at column ${pos + 1}: ${JSON.stringify(raw)}`);
      const label = labelMatch[1]!;
      if (!LABEL_NAME.test(label) || label.startsWith("__")) throw new Error(`line ${line}: reserved or bad label name ${label}`);
      if (label in labels) throw new Error(`line ${line}: label ${label} twice`);
      pos += labelMatch[0].length;
      let value = "";
      for (;;) {
        const c = raw[pos];
        if (c === undefined) throw new Error(`line ${line}: unterminated label value`);
        pos += 1;
        if (c === '"') break;
        if (c === "\\") {
          const e = raw[pos];
          pos += 1;
          if (e === "\\") value += "\\";
          else if (e === '"') value += '"';
          else if (e === "n") value += "\n";
          else throw new Error(`line ${line}: bad escape \\${e ?? ""} in a label value`);
        } else value += c;
      }
      labels[label] = value;
      if (raw[pos] === ",") pos += 1;
      else if (raw[pos] !== "}") throw new Error(`line ${line}: expected , or } after a label at column ${pos + 1}`);
    }
  }
  const rest = raw.slice(pos);
  if (!/^[ \t]/.test(rest)) throw new Error(`line ${line}: expected a space before the value: ${JSON.stringify(raw)}`);
  const parts = rest.trim().split(/[ \t]+/);
  if (parts.length > 2) throw new Error(`line ${line}: too many fields: ${JSON.stringify(raw)}`);
  const [value, timestamp] = parts as [string, string | undefined];
  if (!VALUE.test(value)) throw new Error(`line ${line}: bad value ${JSON.stringify(value)}`);
  if (timestamp !== undefined && !TIMESTAMP.test(timestamp)) throw new Error(`line ${line}: bad timestamp ${JSON.stringify(timestamp)}`);
  return { name, labels, value };
}

function unescapeHelp(text: string, line: number): string {
  return text.replace(/\\(.?)/g, (_m, e: string) => {
    if (e === "\\") return "\\";
    if (e === "n") return "\n";
    throw new Error(`line ${line}: bad escape \\${e} in HELP`);
  });
}

const key = (labels: Labels) =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([k]) => k !== "le" && k !== "quantile")
      .sort(([a], [b]) => a.localeCompare(b)),
  );

const withLabels = (labels: Labels) => (Object.keys(labels).length > 0 ? { labels } : {});

function finish(f: Building): Family {
  const type = f.type ?? "untyped";
  const help = f.help ?? "";
  if (type !== "histogram" && type !== "summary") {
    const seen = new Set<string>();
    for (const s of f.samples) {
      if (s.name !== f.name) throw new Error(`${s.name} is not of family ${f.name}`);
      const k = key(s.labels);
      if (seen.has(k)) throw new Error(`${f.name}: label set ${k} twice`);
      seen.add(k);
    }
    return { name: f.name, help, type, metrics: f.samples.map((s) => ({ value: s.value, ...withLabels(s.labels) })) };
  }
  if (type === "summary") {
    // Not produced by this project; kept as plain samples.
    return { name: f.name, help, type, metrics: f.samples.map((s) => ({ value: s.value, ...withLabels(s.labels) })) };
  }
  const series = new Map<string, { labels: Labels; buckets: [string, string][]; count?: string; sum?: string }>();
  for (const s of f.samples) {
    const { le, ...labels } = s.labels;
    const k = key(labels);
    const one = series.get(k) ?? { labels, buckets: [] };
    series.set(k, one);
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
      if (!VALUE.test(le)) throw new Error(`${f.name}: bad le ${JSON.stringify(le)}`);
      if (one.buckets.some(([b]) => b === le)) throw new Error(`${f.name}: bucket le=${le} twice for ${k}`);
      one.buckets.push([le, s.value]);
    } else if (s.name === `${f.name}_count`) {
      if (one.count !== undefined) throw new Error(`${f.name}: _count twice for ${k}`);
      one.count = s.value;
    } else if (s.name === `${f.name}_sum`) {
      if (one.sum !== undefined) throw new Error(`${f.name}: _sum twice for ${k}`);
      one.sum = s.value;
    } else throw new Error(`${s.name} is not of histogram ${f.name}`);
  }
  const metrics: HistogramMetric[] = [];
  for (const [k, one] of series) {
    if (one.count === undefined || one.sum === undefined) throw new Error(`${f.name}: ${k} lacks _count or _sum`);
    const sorted = [...one.buckets].sort(([a], [b]) => Number(a) - Number(b));
    if (sorted.at(-1)?.[0] !== "+Inf") throw new Error(`${f.name}: ${k} has no +Inf bucket`);
    for (let i = 1; i < sorted.length; i++) {
      if (Number(sorted[i]![1]) < Number(sorted[i - 1]![1])) throw new Error(`${f.name}: buckets of ${k} are not cumulative`);
    }
    if (Number(sorted.at(-1)![1]) !== Number(one.count)) throw new Error(`${f.name}: +Inf bucket of ${k} is not its _count`);
    metrics.push({ buckets: Object.fromEntries(sorted), count: one.count, sum: one.sum, ...withLabels(one.labels) });
  }
  return { name: f.name, help, type, metrics };
}

/** The value of `family`'s series with exactly these labels (undefined if there is none). */
export function valueOf(families: readonly Family[], family: string, labels: Labels = {}): number | undefined {
  const f = families.find((x) => x.name === family);
  const wanted = key(labels);
  const metric = f?.metrics.find((m) => key(m.labels ?? {}) === wanted);
  if (!metric) return undefined;
  return Number("value" in metric ? metric.value : metric.count);
}
