import { describe, expect, it } from "vitest";
import { digestOfImageId, imageFromPrefix, imageMatchCandidates, parseImageReference } from "@/lib/engine/checks/helpers/image-reference";

const D = "sha256:" + "ab".repeat(32);

describe("parseImageReference", () => {
  it.each([
    ["nginx", "docker.io", "library/nginx", undefined, undefined],
    ["nginx:1.27", "docker.io", "library/nginx", "1.27", undefined],
    ["someone/app:2", "docker.io", "someone/app", "2", undefined],
    ["index.docker.io/nginx", "docker.io", "library/nginx", undefined, undefined],
    ["registry-1.docker.io/library/redis:7", "docker.io", "library/redis", "7", undefined],
    ["localhost/app", "localhost", "app", undefined, undefined],
    ["localhost:5000/app", "localhost:5000", "app", undefined, undefined],
    ["registry.example.com:8443/shop/web", "registry.example.com:8443", "shop/web", undefined, undefined],
    ["Registry.Example.com:443/shop/web:1.0", "registry.example.com", "shop/web", "1.0", undefined],
    [`ghcr.io/acme/web:1.2@${D}`, "ghcr.io", "acme/web", "1.2", D],
    [`ghcr.io/acme/web@${D}`, "ghcr.io", "acme/web", undefined, D],
  ])("%s", (raw, registry, repository, tag, digest) => {
    const ref = parseImageReference(raw)!;
    expect(ref).toBeDefined();
    expect([ref.registry, ref.repository, ref.tag, ref.digest]).toEqual([registry, repository, tag, digest]);
    expect(ref.name).toBe(`${registry}/${repository}`);
  });

  it.each(["", "  ", "nginx:", "a b", "nginx@sha256:short", "registry.example.com/", "//x"])("rejects %j", (raw) => {
    expect(parseImageReference(raw)).toBeUndefined();
  });
});

describe("imageFromPrefix", () => {
  const img = (raw: string) => parseImageReference(raw)!;
  it("matches hosts and paths at boundaries only", () => {
    expect(imageFromPrefix(img("registry.example.com/shop/web:1"), "registry.example.com")).toBe(true);
    expect(imageFromPrefix(img("registry.example.com/shop/web:1"), "https://registry.example.com/")).toBe(true);
    expect(imageFromPrefix(img("registry.example.com.evil.io/shop/web:1"), "registry.example.com")).toBe(false);
    expect(imageFromPrefix(img("ghcr.io/acme-evil/web"), "ghcr.io/acme")).toBe(false);
    expect(imageFromPrefix(img("ghcr.io/acme/team/web"), "ghcr.io/acme")).toBe(true);
  });
  it("knows Docker Hub's names", () => {
    expect(imageFromPrefix(img("nginx"), "docker.io/library")).toBe(true);
    expect(imageFromPrefix(img("nginx"), "index.docker.io")).toBe(true);
    expect(imageFromPrefix(img("someone/nginx"), "docker.io/library")).toBe(false);
  });
  it("treats a leading *. as any subdomain", () => {
    const ecr = "*.dkr.ecr.eu-west-1.amazonaws.com";
    expect(imageFromPrefix(img("1234.dkr.ecr.eu-west-1.amazonaws.com/app:1"), ecr)).toBe(true);
    expect(imageFromPrefix(img("dkr.ecr.eu-west-1.amazonaws.com/app:1"), ecr)).toBe(false);
    expect(imageFromPrefix(img("1234.dkr.ecr.eu-west-1.amazonaws.com.evil.io/app:1"), ecr)).toBe(false);
    expect(imageFromPrefix(img("1234.dkr.ecr.eu-west-1.amazonaws.com/team/app:1"), `${ecr}/team`)).toBe(true);
    expect(imageFromPrefix(img("1234.dkr.ecr.eu-west-1.amazonaws.com/other/app:1"), `${ecr}/team`)).toBe(false);
  });
});

describe("imageMatchCandidates", () => {
  it("offers the written, normalized and Docker Hub forms", () => {
    const c = imageMatchCandidates(parseImageReference("nginx:1.27")!);
    expect(c).toEqual(expect.arrayContaining(["nginx:1.27", "docker.io/library/nginx:1.27", "index.docker.io/library/nginx:1.27", "docker.io/nginx:1.27"]));
  });
});

describe("digestOfImageId", () => {
  it("reads repository digests, not bare image ids", () => {
    expect(digestOfImageId(`docker-pullable://nginx@${D}`)).toBe(D);
    expect(digestOfImageId(`docker.io/library/nginx@${D.toUpperCase().replace("SHA256", "sha256")}`)).toBe(D);
    expect(digestOfImageId(D)).toBeUndefined();
  });
});
