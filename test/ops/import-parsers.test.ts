import { describe, expect, it } from "vitest";
import { readCsv } from "../../src/ops/import/csv.js";
import { parseCsvXp } from "../../src/ops/import/csv-xp.js";
import { firstSyntaxError, lineColumnAt, locateJsonPath, parseJson } from "../../src/ops/import/json-location.js";
import { parsePolaris } from "../../src/ops/import/polaris.js";

/** The readers under the import: where a problem is, in JSON and CSV (no database). */
describe("import readers", () => {
  it("GIVEN CSV with quotes, a quoted line break, CRLF and a BOM THEN fields are read and each record keeps its first line", () => {
    const csv = readCsv('\ufeffmember,xp,name\r\n1,2,"Doe, ""J"""\r\n\r\n3,4,"two\nlines"\n5,6,  "x"  \n');
    expect(csv).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ["member", "xp", "name"] },
        { line: 2, fields: ["1", "2", 'Doe, "J"'] },
        { line: 4, fields: ["3", "4", "two\nlines"] },
        { line: 6, fields: ["5", "6", "x"] },
      ],
    });
  });

  it.each([
    ['a,b\n1,"2\n', 'line 2: a quoted field is never closed (a " is missing)'],
    ['a,b\n1,x"y\n', "line 2: a \" inside an unquoted field"],
    ['a,b\n1,"2"z\n', 'line 2: text after a closing "'],
  ])("GIVEN broken CSV %j THEN the error names its line", (text, error) => {
    expect(readCsv(text)).toEqual({ ok: false, error: expect.stringContaining(error) });
  });

  it("GIVEN a headerless CSV, one with columns in another order, and one with a wrong row THEN rows map by position or by name, and the wrong one is named", () => {
    const plain = parseCsvXp("u1,10\nu2,20,Bob\n");
    expect(plain.ok && plain.value.records.map((r) => [r.member, r.xp, r.name])).toEqual([["u1", 10, undefined], ["u2", 20, "Bob"]]);
    const named = parseCsvXp("display_name,points,user_id\nAda,7,u1\n");
    expect(named.ok && named.value.records.map((r) => [r.member, r.xp, r.name, r.where()])).toEqual([["u1", 7, "Ada", "line 2"]]);
    expect(parseCsvXp("member,xp\nu1,1,2,3\n")).toEqual({ ok: false, error: "line 2: expected the header's 2 columns (4 fields found)" });
    expect(parseCsvXp("member,xp\nu\u202e1,1\n")).toEqual({ ok: false, error: expect.stringContaining("line 2: member: a member id has no spaces, quotes or control characters") });
    expect(parseCsvXp("who,score\nu1,1\n")).toEqual({ ok: false, error: expect.stringContaining("line 1: a header needs a member column") });
  });

  it("GIVEN JSON and a path THEN the value's line and column are found, past strings holding brackets and escaped quotes", () => {
    const text = '{\n  "skip": ["]", "\\"}", {"a": [1, 2]}],\n  "players": [\n    {"id": "1"},\n    { "id": "2", "xp": "no" }\n  ]\n}';
    expect(lineColumnAt(text, locateJsonPath(text, ["players", 1, "xp"])!)).toEqual({ line: 5, column: 24 });
    expect(lineColumnAt(text, locateJsonPath(text, ["players", 0])!)).toEqual({ line: 4, column: 5 });
    // A key that is not there: where its object starts.
    expect(lineColumnAt(text, locateJsonPath(text, ["players", 0, "xp"])!)).toEqual({ line: 4, column: 5 });
  });

  it.each([
    ['{"a": 1,}', 8],
    ['{"a": [1 2]}', 9],
    ['{"a": "b\\q"}', 9],
    ['{"a": tru}', 6],
    ['{"a": 1', 7],
    ['{"a": 1} x', 9],
  ])("GIVEN invalid JSON %j THEN the first bad character is found", (text, offset) => {
    expect(firstSyntaxError(text)).toBe(offset);
    expect(parseJson(text)).toMatchObject({ ok: false, error: expect.stringMatching(/^not valid JSON \(line 1, column \d+\)/) });
  });

  it("GIVEN Polaris' { xp: … } spelling and a bad user id THEN it is read, and the id is named", () => {
    const alias = parsePolaris('{ "xp": { "800000000000000011": { "xp": 30 } } }');
    expect(alias.ok && alias.value.records.map((r) => [r.member, r.xp])).toEqual([["800000000000000011", 30]]);
    expect(parsePolaris('{ "users": { "not-an-id": { "xp": 30 } } }')).toEqual({ ok: false, error: expect.stringContaining('users["not-an-id"]') });
  });
});
