/**
 * Just enough parsing to test the container files without Docker (no engine runs on the test
 * machines, and the docker CLI there has no compose plugin) and without a YAML library (none is
 * installed): Dockerfile instructions, .dockerignore patterns, and the YAML that
 * docker-compose.yml is written in — block mappings and sequences, flow sequences of scalars,
 * quoted and plain scalars, comments. Anything else (anchors, multi-line strings, flow mappings)
 * throws, so the compose file cannot silently outgrow the parser.
 */

/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
  /** Which stage it belongs to (the FROM … AS name), "" before any. */
  stage: string;
}

export function dockerfileInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = "";
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (pending === "" && (line.trim() === "" || line.trimStart().startsWith("#"))) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = "";
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(whole) ?? [];
    const k = keyword.toUpperCase();
    if (k === "FROM") stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? "";
    out.push({ keyword: k, args: args.replace(/\s+/g, " ").trim(), stage });
  }
  return out;
}

/** The exec form's strings (`["node", "x.mjs"]`), or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  return JSON.parse(args) as string[];
}

/** `.dockerignore`: whether `file` (relative, with forward slashes) is sent to the build. */
export function dockerIgnored(patterns: string, file: string): boolean {
  let ignored = false;
  for (const raw of patterns.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    const pattern = (negate ? line.slice(1) : line).replace(/^\/+/, "").replace(/\/+$/, "");
    const regex = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}(/.*)?$`);
    if (regex.test(file)) ignored = !negate;
  }
  return ignored;
}

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  n: number;
}

/** Parses the YAML subset described above. */
export function parseYaml(text: string): Yaml {
  const lines: Line[] = [];
  text.split("\n").forEach((raw, i) => {
    const text = stripComment(raw).trimEnd();
    if (text.trim() === "") return;
    if (/\t/.test(raw.slice(0, raw.length - raw.trimStart().length))) throw new Error(`line ${i + 1}: tab indentation`);
    lines.push({ indent: raw.length - raw.trimStart().length, text: text.trim(), n: i + 1 });
  });
  let at = 0;
  const block = (indent: number): Yaml => {
    const first = lines[at];
    if (!first || first.indent < indent) return null;
    if (first.text.startsWith("- ") || first.text === "-") {
      const list: Yaml[] = [];
      while (lines[at] && lines[at]!.indent === first.indent && (lines[at]!.text.startsWith("- ") || lines[at]!.text === "-")) {
        const item = lines[at]!;
        const rest = item.text.slice(1).trim();
        at++;
        if (rest === "") list.push(block(first.indent + 1));
        else if (/^[^"'[][^:]*:(\s|$)/.test(rest)) throw new Error(`line ${item.n}: a mapping inside a list item is not supported here`);
        else list.push(scalar(rest, item.n));
      }
      return list;
    }
    const map: { [key: string]: Yaml } = {};
    while (lines[at] && lines[at]!.indent === first.indent) {
      const line = lines[at]!;
      const m = /^("[^"]*"|'[^']*'|[^:]+?):(?:\s+(.*))?$/.exec(line.text);
      if (!m) throw new Error(`line ${line.n}: expected "key: value", got ${line.text}`);
      const key = unquote(m[1]!);
      if (key in map) throw new Error(`line ${line.n}: ${key} twice`);
      at++;
      const value = m[2];
      map[key] = value === undefined || value === "" ? block(first.indent + 1) : scalar(value, line.n);
    }
    if (lines[at] && lines[at]!.indent > first.indent) throw new Error(`line ${lines[at]!.n}: unexpected indentation`);
    return map;
  };
  const doc = block(0);
  if (at < lines.length) throw new Error(`line ${lines[at]!.n}: not parsed`);
  return doc;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

function unquote(s: string): string {
  if (s.startsWith('"') && s.endsWith('"')) return JSON.parse(s) as string;
  if (s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  return s;
}

function scalar(s: string, n: number): Yaml {
  if (/^[&*!|>{]/.test(s)) throw new Error(`line ${n}: ${s[0]} is not supported here`);
  if (s.startsWith("[")) {
    if (!s.endsWith("]")) throw new Error(`line ${n}: a flow sequence must end on its line`);
    const inner = s.slice(1, -1).trim();
    if (inner === "") return [];
    const items: string[] = [];
    let current = "";
    let quote: string | undefined;
    for (const c of inner) {
      if (quote) {
        current += c;
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") {
        current += c;
        quote = c;
      } else if (c === ",") {
        items.push(current.trim());
        current = "";
      } else current += c;
    }
    items.push(current.trim());
    return items.map((item) => scalar(item, n));
  }
  if (s.startsWith('"') || s.startsWith("'")) return unquote(s);
  if (s === "true" || s === "false") return s === "true";
  if (s === "null" || s === "~") return null;
  if (/^-?\d+$/.test(s)) return Number(s);
  return s;
}
