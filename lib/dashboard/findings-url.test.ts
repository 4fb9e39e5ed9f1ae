import { describe, expect, it } from "vitest";
import { findingsQueryString, hasFilters, readFindingsUrlState, withFilter } from "./findings-url";

describe("findings URL state", () => {
  it("reads the filters and the page from a query, case-insensitively for enums", () => {
    const state = readFindingsUrlState(new URLSearchParams("layer=2&severity=high&status=fail&namespace=shop&check=privileged-container&q=web&new=1&cursor=abc&page=3"));
    expect(state).toEqual({ layer: 2, severity: "HIGH", status: "FAIL", namespace: "shop", check: "privileged-container", q: "web", new: true, cursor: "abc", page: 3 });
  });

  it("drops what makes no sense instead of failing the page", () => {
    const state = readFindingsUrlState({ layer: "9", severity: "urgent", status: ["EXCEPTED", "FAIL"], page: "7", q: "  ", namespace: "x".repeat(300) });
    expect(state).toEqual({ status: "EXCEPTED", page: 1 });
  });

  it("round-trips through the query string", () => {
    const state = readFindingsUrlState(new URLSearchParams("severity=CRITICAL&namespace=-&cursor=MDo1&page=2"));
    expect(readFindingsUrlState(new URLSearchParams(findingsQueryString(state)))).toEqual(state);
    expect(findingsQueryString({ page: 1 })).toBe("");
  });

  it("changing a filter goes back to the first page; an empty value removes it", () => {
    const state = readFindingsUrlState(new URLSearchParams("severity=HIGH&layer=1&cursor=MDo1&page=2"));
    const next = withFilter(state, "layer", "3");
    expect(next).toEqual({ severity: "HIGH", layer: 3, page: 1 });
    expect(withFilter(next, "severity", "")).toEqual({ layer: 3, page: 1 });
    expect(withFilter(next, "new", true)).toEqual({ severity: "HIGH", layer: 3, new: true, page: 1 });
    expect(hasFilters({ page: 1 })).toBe(false);
    expect(hasFilters(next)).toBe(true);
  });
});
