/**
 * A small RFC 4180 reader that keeps line numbers: fields separated by commas, optionally quoted
 * (`"a, b"`, `"say ""hi"""`), a quoted field may span lines; CRLF or LF; a leading BOM is dropped;
 * blank lines are skipped. Each record carries the line it starts on, which is what an error names.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; error: string };

export function readCsv(input: string): CsvResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    let wasQuoted = false;
    for (;;) {
      if (i >= text.length) {
        if (quoted) return { ok: false, error: `line ${start}: a quoted field is never closed (a " is missing)` };
        fields.push(field);
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
          continue;
        }
        if (c === "\n") line++;
        field += c;
        i++;
        continue;
      }
      if (c === '"') {
        if (field.trim() !== "" || wasQuoted) return { ok: false, error: `line ${line}: a " inside an unquoted field (quote the whole field, and double the " inside it)` };
        quoted = true;
        wasQuoted = true;
        field = "";
        i++;
        continue;
      }
      if (c === ",") {
        fields.push(field);
        field = "";
        wasQuoted = false;
        i++;
        continue;
      }
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (c === "\n" || c === "\r") {
        fields.push(field);
        i++;
        line++;
        break;
      }
      if (wasQuoted) {
        if (c !== " " && c !== "\t") return { ok: false, error: `line ${line}: text after a closing " (put it inside the quotes)` };
      } else field += c;
      i++;
    }
    if (!(fields.length === 1 && fields[0]!.trim() === "")) records.push({ line: start, fields });
  }
  return { ok: true, records };
}
