import { defineContainerCheck, fail, notApplicable, pass, unknown } from "@/lib/engine/checks/define";
import { parseImageReference, type ImageReference } from "@/lib/engine/checks/helpers/image-reference";
import { TRIVY_GROUP, vulnerabilityIndex } from "@/lib/engine/checks/helpers/vulnerability-reports";

/** References that name a minimal image: distroless, Chainguard/Wolfi, Ubuntu chiseled, UBI micro. */
const MINIMAL_REFERENCE = /distroless|(^|\/)chainguard\/|wolfi|chisell?ed|(^|[/-])ubi\d*-micro([:/@-]|$)|(^|\/)ubi-micro([:/@]|$)|(^|\/)static-debian\d+/;
/** Operating systems Trivy reports for minimal bases. */
const MINIMAL_OS_FAMILIES = new Set(["alpine", "wolfi", "chainguard"]);
/** Docker Hub official images that are a whole distribution. */
const FULL_OS_IMAGES = new Set(["ubuntu", "debian", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux", "archlinux", "photon", "opensuse"]);
/** Docker Hub official images that ship a compiler or build toolchain. */
const SDK_IMAGES = new Set(["golang", "rust", "gcc", "maven", "gradle", "buildpack-deps", "openjdk", "swift", "haskell", "elixir"]);
/** Language runtimes whose default variant is built on the full buildpack-deps image (slim and alpine variants are not). */
const FULL_DEFAULT_RUNTIMES = new Set(["node", "python", "ruby", "perl", "php", "erlang"]);

/** The official image name when the reference is a Docker Hub official image (or a mirror of one: ".../library/<name>"). */
function officialName(image: ImageReference): string | undefined {
  const m = /(?:^|\/)library\/([^/]+)$/.exec(image.repository);
  return m?.[1];
}

type Evidence = { verdict: "minimal"; why: string } | { verdict: "full"; why: string } | undefined;

function fromReference(image: ImageReference): Evidence {
  const text = `${image.name}:${image.tag ?? ""}`.toLowerCase();
  const official = officialName(image);
  const tag = (image.tag ?? "").toLowerCase();
  if (official && SDK_IMAGES.has(official)) return { verdict: "full", why: `${official} is a build toolchain image (compiler and package manager in production)` };
  if (MINIMAL_REFERENCE.test(text)) return { verdict: "minimal", why: "minimal image reference" };
  if (official && FULL_OS_IMAGES.has(official) && !/minimal|micro/.test(tag)) return { verdict: "full", why: `${official} is a full distribution image (shell, package manager, coreutils)` };
  if (official && FULL_DEFAULT_RUNTIMES.has(official) && !/slim|alpine|distroless|minimal/.test(tag)) {
    return { verdict: "full", why: `the default ${official} variant is built on the full buildpack-deps image (use a -slim, -alpine or distroless variant)` };
  }
  if (/(^|[-_.])alpine\d*([-_.]|$)/.test(tag) || officialName(image) === "alpine") return { verdict: "minimal", why: "Alpine image" };
  return undefined;
}

export const minimalBaseImage = defineContainerCheck({
  id: "minimal-base-image",
  title: "Images are built on a minimal base",
  layer: 1,
  severity: "low",
  scope: "container",
  why: "Every package in an image is attack surface and CVE noise: a full distribution brings a shell, a package manager and hundreds of libraries the application never uses, and an attacker who gets code execution uses them to explore, download tools and persist. Minimal bases (distroless, Chainguard/Wolfi, scratch, Alpine) remove most of that. Ramparts only judges when the evidence allows: the image reference, or the OS Trivy found in the image.",
  references: { nsa: ["Pod security: building secure container images"] },
  needs: [
    { group: "", resource: "pods" },
    { group: TRIVY_GROUP, resource: "vulnerabilityreports", optional: true },
  ],
  evaluateContainer(c, ctx) {
    // Debug containers are meant to carry tools.
    if (c.type === "ephemeralContainer" || (c.image ?? "").trim() === "") return notApplicable();
    const image = parseImageReference(c.image!);
    if (!image) return notApplicable();
    const byReference = fromReference(image);
    if (byReference?.verdict === "full") return fail(c.at("image"), `image ${c.image}: ${byReference.why}`);
    if (byReference?.verdict === "minimal") return pass();
    const report = ctx.canSee(TRIVY_GROUP, "vulnerabilityreports") ? vulnerabilityIndex(ctx).forContainer(c).report : undefined;
    if (report) {
      const family = report.os?.family?.toLowerCase();
      if (family === undefined || family === "") return pass(); // no OS packages found: scratch or a static binary
      if (MINIMAL_OS_FAMILIES.has(family)) return pass();
      // Distroless images report their source distribution (debian): the OS alone does not tell.
      return unknown(`image ${c.image} is based on ${family}${report.os?.name ? ` ${report.os.name}` : ""} (VulnerabilityReport ${report.ref}); Ramparts cannot tell a distroless build from a full one`, c.at("image"));
    }
    return unknown(`no evidence about the base of image ${c.image}: its reference names no known base and no VulnerabilityReport describes its OS`, c.at("image"));
  },
  guide: `
Build application images on a minimal base: \`gcr.io/distroless/*\` or \`cgr.dev/chainguard/*\` for interpreted languages and JVMs, \`scratch\` or \`distroless/static\` for static binaries (Go, Rust), Alpine when a shell is really needed. Compile in a separate build stage so that compilers and package managers never reach the runtime image.

## Fix

~~~dockerfile
# build stage: full toolchain
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

# runtime stage: no shell, no package manager, non-root
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
~~~

For Node.js or Python use \`gcr.io/distroless/nodejs22-debian12\` or \`cgr.dev/chainguard/python\` (or at least the \`-slim\` variants) instead of the default \`node\` and \`python\` images, which carry the full buildpack-deps toolchain.

Ramparts recognizes minimal bases from the image reference or from the OS that Trivy Operator found in the image; for your own images built on distroless, the report shows the source distribution (debian), so this check stays unknown rather than guessing.

## Prevent

Restrict base images in CI (a Dockerfile linter rule such as hadolint's trusted registries, or a Conftest policy on \`FROM\` lines), and block the known full images at admission. Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-full-os-images
spec:
  background: true
  rules:
    - name: no-full-os-images
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Run application images built on a minimal base, not a full distribution image."
        pattern:
          spec:
            =(initContainers):
              - image: "!ubuntu:* & !debian:* & !centos:* & !fedora:* & !golang:* & !maven:* & !*/library/ubuntu:* & !*/library/debian:*"
            containers:
              - image: "!ubuntu:* & !debian:* & !centos:* & !fedora:* & !golang:* & !maven:* & !*/library/ubuntu:* & !*/library/debian:*"
~~~
`,
});
