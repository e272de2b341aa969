import type { z } from "zod";

/**
 * Where in a JSON file a problem is, for people: `players[3].xp (line 41, column 12)`. JSON.parse
 * keeps no positions, so on an error the text is walked again down the issue's path — only then,
 * so a good file costs nothing extra.
 */

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** `players[3].xp`, `users["123"].xp`, or `(the whole file)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(the whole file)";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_$][\w$]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/**
 * Where a text sits when it is one line of a larger file (a row of our export, read a line at a
 * time): its paths are under `path`, and its line is the file's line `line`.
 */
export interface Within {
  path: readonly PropertyKey[];
  line: number;
}

/** ` (line 41, column 12)` for an offset in `text`, counted in the file `text` is part of. */
function position(text: string, offset: number, within: Within | undefined): string {
  const { line, column } = lineColumnAt(text, offset);
  return ` (line ${line + (within ? within.line - 1 : 0)}, column ${column})`;
}

/** Parses a JSON file (or, `within` one, a line of it); a syntax error names its line and column. */
export function parseJson(text: string, within?: Within): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 names the position for some errors only ("Unexpected token ']', "…" is not valid JSON"
    // names none): find it ourselves.
    const offset = firstSyntaxError(text);
    const where = offset === undefined ? "" : position(text, offset, within);
    const reason = /^(Unexpected [^,]+|Expected [^"]+?|Bad [^"]+?|Unterminated [^"]+?)(?: in JSON| after|,|$)/.exec(message)?.[1];
    return { ok: false, error: `not valid JSON${where}${reason ? `: ${reason.trim()}` : ""}` };
  }
}

/**
 * The offset of the first character that makes `text` invalid JSON (the end of the text when it
 * stops short), or undefined if it is valid. Only run on a file JSON.parse refused.
 */
export function firstSyntaxError(text: string): number | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const space = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const fail = (at = i): never => {
    throw at;
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 1);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ":") fail();
        i++;
        value(depth + 1);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value(0);
    space();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === "number" ? at : undefined;
  }
}

/** `players[3].xp (line 41, column 12): expected a number`, for the first issue, and how many more there are. */
export function describeIssues(text: string, issues: readonly z.core.$ZodIssue[], within?: Within): string {
  const first = issues[0];
  if (!first) return "not what was expected";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return `${describeAt(text, first.path, within)}: ${first.message}${more}`;
}

/** A path with the line and column it starts at, when the text can be walked there (`within` a file: its line at least). */
export function describeAt(text: string, path: readonly PropertyKey[], within?: Within): string {
  const offset = locateJsonPath(text, path);
  const full = formatPath(within ? [...within.path, ...path] : path);
  if (offset === undefined) return within ? `${full} (line ${within.line})` : full;
  return `${full}${position(text, offset, within)}`;
}

/**
 * The offset where the value at `path` starts (or, for a key that is missing, where its object
 * starts), or undefined when the text does not lead there. The text is valid JSON already.
 */
export function locateJsonPath(text: string, path: readonly PropertyKey[]): number | undefined {
  const walker = new Walker(text);
  walker.space();
  for (const part of path) {
    const at = walker.pos;
    const char = text[walker.pos];
    if (char === "{" && typeof part === "string") {
      if (!walker.enterKey(part)) return at;
    } else if (char === "[" && typeof part === "number") {
      if (!walker.enterIndex(part)) return at;
    } else return at;
  }
  return walker.pos;
}

class Walker {
  pos = 0;
  constructor(private readonly text: string) {}

  space(): void {
    while (this.pos < this.text.length && " \t\r\n\ufeff".includes(this.text[this.pos]!)) this.pos++;
  }

  /** At `{`: moves to the value of `key`; false if the object has no such key. */
  enterKey(key: string): boolean {
    this.pos++;
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') return false;
      const start = this.pos;
      this.skipString();
      const name = JSON.parse(this.text.slice(start, this.pos)) as string;
      this.space();
      this.pos++; // the colon
      this.space();
      if (name === key) return true;
      this.skipValue();
      this.space();
      if (this.text[this.pos] !== ",") return false;
      this.pos++;
    }
  }

  /** At `[`: moves to element `index`; false if the array is shorter. */
  enterIndex(index: number): boolean {
    this.pos++;
    this.space();
    if (this.text[this.pos] === "]") return false;
    for (let i = 0; ; i++) {
      this.space();
      if (i === index) return true;
      this.skipValue();
      this.space();
      if (this.text[this.pos] !== ",") return false;
      this.pos++;
    }
  }

  private skipValue(): void {
    const char = this.text[this.pos];
    if (char === '"') return this.skipString();
    if (char === "{" || char === "[") {
      // Strings may hold brackets: count depth outside them only.
      let depth = 0;
      do {
        const c = this.text[this.pos];
        if (c === '"') {
          this.skipString();
          continue;
        }
        if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") depth--;
        this.pos++;
      } while (depth > 0 && this.pos < this.text.length);
      return;
    }
    while (this.pos < this.text.length && !",}] \t\r\n".includes(this.text[this.pos]!)) this.pos++;
  }

  private skipString(): void {
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === "\\") this.pos += 2;
      else if (c === '"') {
        this.pos++;
        return;
      } else this.pos++;
    }
  }
}
