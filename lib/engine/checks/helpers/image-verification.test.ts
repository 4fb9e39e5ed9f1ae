import { describe, expect, it } from "vitest";
import { kyvernoWildcard, sigstoreGlob } from "@/lib/engine/checks/helpers/image-verification";

describe("kyvernoWildcard", () => {
  it("lets * cross path segments and tags, as Kyverno's wildcard does", () => {
    expect(kyvernoWildcard("registry.example.com/*", "registry.example.com/shop/web:1.0")).toBe(true);
    expect(kyvernoWildcard("ghcr.io/acme/web:?.0", "ghcr.io/acme/web:1.0")).toBe(true);
    expect(kyvernoWildcard("registry.example.com/*", "registry.example.com.evil.io/x")).toBe(false);
    expect(kyvernoWildcard("*", "anything/at:all")).toBe(true);
  });
  it("treats regex characters literally", () => {
    expect(kyvernoWildcard("a.b/c", "aXb/c")).toBe(false);
    expect(kyvernoWildcard("a+b", "a+b")).toBe(true);
  });
});

describe("sigstoreGlob", () => {
  it("keeps * within one path segment and lets ** cross them", () => {
    expect(sigstoreGlob("ghcr.io/acme/*", "ghcr.io/acme/web")).toBe(true);
    expect(sigstoreGlob("ghcr.io/acme/*", "ghcr.io/acme/team/web")).toBe(false);
    expect(sigstoreGlob("ghcr.io/acme/**", "ghcr.io/acme/team/web")).toBe(true);
    expect(sigstoreGlob("**", "index.docker.io/library/nginx")).toBe(true);
  });
});
