import { describe, expect, it } from "vitest";
import { parseReviewSubject } from "../../../src/engine/reviews/review-subject.js";

/** What `/review request`'s `link` accepts: https URLs (labelled by host), else a short snippet; other schemes are refused. */
describe("the review subject", () => {
  it.each([
    ["https://github.com/acme/widgets/pull/42", "GitHub pull request"],
    ["https://gitlab.com/acme/api/-/merge_requests/7", "GitLab merge request"],
    ["https://gitlab.example.org/team/app/-/merge_requests/3", "GitLab merge request"],
    ["https://bitbucket.org/acme/app/pull-requests/3", "Bitbucket pull request"],
    ["https://codeberg.org/acme/app/pulls/9", "Link"],
    ["<https://github.com/acme/widgets/pull/42|github.com/acme/widgets/pull/42>", "GitHub pull request"],
  ])("GIVEN %s THEN it is a URL labelled %s", (given, label) => {
    expect(parseReviewSubject(given)).toMatchObject({ ok: true, kind: "url", label });
  });

  it.each([["std::vector<int> v;"], ["useEffect(() => {}, [])"], ["a: b"], ["SELECT 1;"]])("GIVEN code such as %s THEN it is a snippet", (given) => {
    expect(parseReviewSubject(given)).toEqual({ ok: true, kind: "snippet", value: given, label: "Snippet" });
  });

  it.each([
    ["http://github.com/a/b/pull/1", "http"],
    ["javascript:alert(1)", "javascript"],
    ["JavaScript:alert(1)", "javascript"],
    ["data:text/html,hi", "data"],
    ["ftp://example.com/x.diff", "ftp"],
    ["<http://example.com>", "http"],
  ])("GIVEN %s THEN the %s scheme is refused", (given, scheme) => {
    expect(parseReviewSubject(given)).toEqual({ ok: false, problem: "scheme", scheme });
  });

  it("GIVEN a broken https URL or an over-long snippet THEN each is refused for what it is", () => {
    expect(parseReviewSubject("https://")).toEqual({ ok: false, problem: "bad-url" });
    expect(parseReviewSubject("https://exa mple.com")).toEqual({ ok: false, problem: "bad-url" });
    expect(parseReviewSubject("é".repeat(500))).toMatchObject({ ok: true, kind: "snippet" });
    expect(parseReviewSubject("é".repeat(501))).toEqual({ ok: false, problem: "too-long", max: 500 });
  });
});
