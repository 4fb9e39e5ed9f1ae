/**
 * Container image references, parsed the way the container runtime reads them
 * (the distribution reference grammar): `[registry/]path[:tag][@algorithm:hex]`.
 * The first path component is a registry only when it looks like a host (has a
 * dot or a port, or is `localhost`); otherwise the image lives on Docker Hub, and
 * a single-component name is an official image under `library/`.
 */

export const DOCKER_HUB = "docker.io";
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);

export interface ImageReference {
  /** The reference as written in the pod spec. */
  raw: string;
  /** Registry host (and port other than 443), lowercased; "docker.io" for Docker Hub and its aliases. */
  registry: string;
  /** Repository path inside the registry: "library/nginx", "shop/web". */
  repository: string;
  /** `registry/repository`: "docker.io/library/nginx". */
  name: string;
  tag: string | undefined;
  /** "sha256:..." when pinned. */
  digest: string | undefined;
}

const DIGEST = /@([a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,})$/;

// Many checks parse the same few hundred images for thousands of containers: remember the
// answers (frozen, shared), in a map that is cleared when it grows past its bound.
const MEMO_LIMIT = 20_000;
const memo = new Map<string, ImageReference | null>();

/** Parses an image reference. Returns undefined for an empty or unparseable value. The result is frozen (shared). */
export function parseImageReference(raw: string): ImageReference | undefined {
  const known = memo.get(raw);
  if (known !== undefined) return known ?? undefined;
  const parsed = parseUncached(raw);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(raw, parsed ? Object.freeze(parsed) : null);
  return parsed;
}

function parseUncached(raw: string): ImageReference | undefined {
  let rest = raw.trim();
  if (rest === "" || /\s/.test(rest)) return undefined;
  let digest: string | undefined;
  const d = DIGEST.exec(rest);
  if (d) {
    digest = d[1]!.toLowerCase();
    rest = rest.slice(0, d.index);
  } else if (rest.includes("@")) {
    return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === "") return undefined;
  }
  if (rest === "") return undefined;
  const parts = rest.split("/");
  let registry = DOCKER_HUB;
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    // :443 is the default HTTPS port: "host:443" and "host" are one registry.
    registry = first.toLowerCase().replace(/:443$/, "");
    parts.shift();
  }
  if (DOCKER_HUB_ALIASES.has(registry)) {
    registry = DOCKER_HUB;
    if (parts.length === 1) parts.unshift("library");
  }
  const repository = parts.join("/");
  if (repository === "" || parts.some((p) => p === "")) return undefined;
  return { raw, registry, repository, name: `${registry}/${repository}`, tag, digest };
}

/** Normalizes a registry host or `host/path` prefix written by a user ("index.docker.io/library" -> "docker.io/library"). */
export function normalizeRegistryPrefix(prefix: string): string {
  let p = prefix.trim().toLowerCase().replace(/^[a-z]+:\/\//, "").replace(/\/+$/, "");
  const slash = p.indexOf("/");
  const host = (slash === -1 ? p : p.slice(0, slash)).replace(/:443$/, "");
  const path = slash === -1 ? "" : p.slice(slash);
  p = (DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host) + path;
  return p;
}

/**
 * True when the image comes from `prefix`: a registry host ("registry.example.com"),
 * a host and path prefix ("docker.io/library", "ghcr.io/acme"), or a host wildcard
 * ("*.dkr.ecr.eu-west-1.amazonaws.com"). Matches at path boundaries only:
 * "ghcr.io/acme" does not allow "ghcr.io/acme-evil/x".
 */
export function imageFromPrefix(image: ImageReference, prefix: string): boolean {
  const p = normalizeRegistryPrefix(prefix);
  if (p === "") return false;
  const name = image.name.toLowerCase();
  if (p.startsWith("*.")) {
    // "*.dkr.ecr.eu-west-1.amazonaws.com": any subdomain of the host (one or more labels), then the optional path.
    const slash = p.indexOf("/");
    const hostSuffix = (slash === -1 ? p : p.slice(0, slash)).slice(1);
    const path = slash === -1 ? "" : p.slice(slash);
    const registry = image.registry.toLowerCase();
    if (!registry.endsWith(hostSuffix) || registry.length === hostSuffix.length) return false;
    const rest = name.slice(registry.length);
    return path === "" || rest === path || rest.startsWith(`${path}/`);
  }
  return name === p || name.startsWith(`${p}/`);
}

/** The ways an image may be written, for matching user-written globs: as written, normalized, with and without tag. */
export function imageMatchCandidates(image: ImageReference): string[] {
  const suffix = `${image.tag !== undefined ? `:${image.tag}` : ""}${image.digest !== undefined ? `@${image.digest}` : ""}`;
  const names = [image.name];
  if (image.registry === DOCKER_HUB) {
    names.push(`index.docker.io/${image.repository}`);
    names.push(image.repository);
    if (image.repository.startsWith("library/")) names.push(image.repository.slice("library/".length), `docker.io/${image.repository.slice("library/".length)}`);
  }
  const out = new Set<string>([image.raw]);
  for (const n of names) {
    out.add(n + suffix);
    out.add(n);
    if (image.tag === undefined && image.digest === undefined) out.add(`${n}:latest`);
    if (image.tag !== undefined) out.add(`${n}:${image.tag}`);
  }
  return [...out];
}

/** Compares two digests ("sha256:abc..."), case-insensitively. */
export function sameDigest(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/**
 * The repository digest inside a runtime imageID ("docker-pullable://nginx@sha256:...",
 * "docker.io/library/nginx@sha256:..."). A bare "sha256:..." is the image config id on
 * some runtimes, not the manifest digest scanners report: it is ignored.
 */
export function digestOfImageId(imageId: string): string | undefined {
  const m = /@(sha256|sha512):([a-fA-F0-9]{32,})$/.exec(imageId);
  return m ? `${m[1]}:${m[2]!.toLowerCase()}` : undefined;
}
