import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./safe-callback-url";

describe("safeCallbackUrl", () => {
  const app = "https://ramparts.example.com";
  it("keeps paths inside the app", () => {
    expect(safeCallbackUrl("/o/acme?x=1", app)).toBe("/o/acme?x=1");
    expect(safeCallbackUrl("https://ramparts.example.com/o/acme", app)).toBe("/o/acme");
  });
  it("refuses other sites, protocol-relative and backslash tricks", () => {
    for (const bad of ["https://evil.example/o", "//evil.example", "/\\evil.example", "javascript:alert(1)", "o/acme", ""]) {
      expect(safeCallbackUrl(bad, app)).toBe("/app");
    }
  });
});
