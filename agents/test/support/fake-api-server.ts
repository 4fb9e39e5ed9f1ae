/**
 * A STAND-IN FOR A KUBERNETES API SERVER, which cannot run on this machine (no Kubernetes, no
 * containers). It speaks the parts of the real API the agent uses, with the real wire shapes:
 * discovery (/api, /apis, /api/v1, /apis/{group}/{version} with subresources), GET of one object,
 * LIST with limit/continue/resourceVersion/remainingItemCount (items in etcd key order, typed
 * lists without apiVersion/kind on items), and metav1.Status bodies for 401, 403, 404 and 410.
 * Tests can forbid a resource (403), remove a CRD after discovery (404), and expire continue
 * tokens (410) while objects change underneath, as etcd compaction does.
 */
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export interface FakeResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Custom resources carry apiVersion/kind on list items; built-in typed lists do not. */
  custom?: boolean;
  verbs?: string[];
  items: Array<Record<string, unknown>>;
}

export interface FakeCluster {
  gitVersion: string;
  resources: FakeResource[];
}

export interface FakeApiServerOptions {
  token: string;
  /** "group/resource" ("" group for core, e.g. "/pods") answered with 403 on list and get. */
  forbidden?: string[];
  /** "group/resource" in discovery but answering 404 (CRD deleted after discovery). */
  goneAfterDiscovery?: string[];
  /** "group/resource" whose first N continue tokens expire (410); a new object is inserted each time. */
  expireContinue?: Record<string, number>;
  /** Delay each response, for timing tests. */
  delayMs?: number;
}

export interface FakeApiServer {
  url: string;
  /** Every request path with query, in order (tests assert what the agent asked for). */
  requests: string[];
  writeKubeconfig(dir?: string, token?: string): string;
  close(): Promise<void>;
}

const EXPIRED_MESSAGE =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

const SERVICE_ACCOUNT = "system:serviceaccount:ramparts:ramparts-agent";

function status(code: number, reason: string, message: string, details?: Record<string, unknown>, continueToken?: string) {
  return { kind: "Status", apiVersion: "v1", metadata: continueToken ? { continue: continueToken } : {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

function keyOf(item: Record<string, unknown>): string {
  const meta = (item.metadata ?? {}) as { name?: string; namespace?: string };
  return meta.namespace ? `${meta.namespace}/${meta.name}` : (meta.name ?? "");
}

interface Stored {
  def: FakeResource;
  /** Sorted by key, as etcd returns them. Items hold apiVersion/kind; stripped for typed lists. */
  items: Array<Record<string, unknown>>;
  keys: string[];
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((keys[mid] as string) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export async function startFakeApiServer(cluster: FakeCluster, options: FakeApiServerOptions): Promise<FakeApiServer> {
  let resourceVersion = 1000;
  const store = new Map<string, Stored>();
  for (const def of cluster.resources) {
    const items = [...def.items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    store.set(`${def.group}/${def.resource}`, { def, items, keys: items.map(keyOf) });
  }
  const forbidden = new Set(options.forbidden ?? []);
  const gone = new Set(options.goneAfterDiscovery ?? []);
  const expireLeft = new Map(Object.entries(options.expireContinue ?? {}));
  const requests: string[] = [];

  const groups = new Map<string, string[]>(); // group -> versions (first = preferred)
  for (const def of cluster.resources) {
    const versions = groups.get(def.group) ?? [];
    if (!versions.includes(def.version)) versions.push(def.version);
    groups.set(def.group, versions);
  }

  function resourceList(group: string, version: string) {
    const resources = cluster.resources
      .filter((r) => r.group === group && r.version === version)
      .flatMap((r) => {
        const main = { name: r.resource, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], storageVersionHash: "abc=" };
        const sub = { name: `${r.resource}/status`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["get", "patch", "update"] };
        return [main, sub];
      });
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources };
  }

  function send(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    const write = () => {
      res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Audit-Id": "00000000-0000-0000-0000-000000000000" });
      res.end(text);
    };
    if (options.delayMs) setTimeout(write, options.delayMs);
    else write();
  }

  function forbiddenStatus(group: string, resource: string, verb: string, namespace?: string) {
    const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
    return status(403, "Forbidden", `${resource} is forbidden: User "${SERVICE_ACCOUNT}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`, { ...(group ? { group } : {}), kind: resource });
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(`${url.pathname}${url.search}`);
    if (req.method !== "GET") return send(res, 405, status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
    if (req.headers.authorization !== `Bearer ${options.token}`) return send(res, 401, status(401, "Unauthorized", "Unauthorized"));

    const p = url.pathname.replace(/\/+$/, "");
    if (p === "/version") {
      return send(res, 200, { major: "1", minor: cluster.gitVersion.split(".")[1] ?? "31", gitVersion: cluster.gitVersion, gitCommit: "0000000", gitTreeState: "clean", buildDate: "2026-01-01T00:00:00Z", goVersion: "go1.23.4", compiler: "gc", platform: "linux/amd64" });
    }
    if (p === "/api") return send(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "10.0.0.1:6443" }] });
    if (p === "/apis") {
      const list = [...groups.entries()].filter(([g]) => g !== "").map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      }));
      return send(res, 200, { kind: "APIGroupList", apiVersion: "v1", groups: list });
    }
    const parts = p.split("/").filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === "api" && parts.length >= 2) {
      group = "";
      version = parts[1] as string;
      rest = parts.slice(2);
    } else if (parts[0] === "apis" && parts.length >= 3) {
      group = parts[1] as string;
      version = parts[2] as string;
      rest = parts.slice(3);
    } else if (parts[0] === "apis" && parts.length === 2) {
      const versions = groups.get(parts[1] as string);
      if (!versions) return send(res, 404, status(404, "NotFound", "the server could not find the requested resource", {}));
      return send(res, 200, { kind: "APIGroup", apiVersion: "v1", name: parts[1], versions: versions.map((v) => ({ groupVersion: `${parts[1]}/${v}`, version: v })), preferredVersion: { groupVersion: `${parts[1]}/${versions[0]}`, version: versions[0] } });
    } else {
      return send(res, 404, status(404, "NotFound", "the server could not find the requested resource", {}));
    }
    if (!(groups.get(group) ?? []).includes(version)) return send(res, 404, status(404, "NotFound", "the server could not find the requested resource", {}));
    if (rest.length === 0) return send(res, 200, resourceList(group, version));

    // /namespaces/{ns}/{resource}[/{name}] or /{resource}[/{name}]
    let namespace: string | undefined;
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [resource, name] = rest;
    const stored = store.get(`${group}/${resource}`);
    if (!stored || stored.def.version !== version || rest.length > 2) return send(res, 404, status(404, "NotFound", "the server could not find the requested resource", {}));
    if (forbidden.has(`${group}/${resource}`)) return send(res, 403, forbiddenStatus(group, resource as string, name ? "get" : "list", namespace));
    if (gone.has(`${group}/${resource}`)) return send(res, 404, status(404, "NotFound", "the server could not find the requested resource", {}));

    const strip = (item: Record<string, unknown>, forList: boolean) => {
      if (!forList || stored.def.custom) return item;
      const { apiVersion: _a, kind: _k, ...rest2 } = item;
      return rest2;
    };

    if (name) {
      const key = namespace ? `${namespace}/${name}` : name;
      const index = lowerBound(stored.keys, key) - 1;
      if (index < 0 || stored.keys[index] !== key) return send(res, 404, status(404, "NotFound", `${resource} "${name}" not found`, { name, ...(group ? { group } : {}), kind: resource }));
      return send(res, 200, stored.items[index]);
    }

    // LIST. A namespaced list only returns that namespace (the agent lists cluster-wide).
    const limit = Number(url.searchParams.get("limit") ?? "0");
    const continueParam = url.searchParams.get("continue");
    let start = 0;
    let listRv = String(resourceVersion);
    if (continueParam) {
      let token: { rv?: string; start?: string };
      try {
        token = JSON.parse(Buffer.from(continueParam, "base64").toString("utf8")) as { rv?: string; start?: string };
      } catch {
        return send(res, 400, status(400, "BadRequest", "continue key is not valid: illegal base64 data", {}));
      }
      const left = expireLeft.get(`${group}/${resource}`) ?? 0;
      if (left > 0) {
        expireLeft.set(`${group}/${resource}`, left - 1);
        // Something changed and etcd compacted: a new object appears at the front of the list.
        resourceVersion += 10;
        const template = stored.items[0];
        if (template) {
          const meta = template.metadata as Record<string, unknown>;
          const added = { ...template, metadata: { ...meta, name: `aaa-added-${resourceVersion}`, uid: `added-${resourceVersion}` } };
          stored.items.unshift(added);
          stored.keys.unshift(keyOf(added));
          const order = stored.items.map((item, i) => ({ item, key: stored.keys[i] as string })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
          stored.items = order.map((o) => o.item);
          stored.keys = order.map((o) => o.key);
        }
        return send(res, 410, status(410, "Expired", EXPIRED_MESSAGE, undefined, Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: resourceVersion, start: token.start })).toString("base64")));
      }
      listRv = token.rv !== undefined ? String(token.rv) : listRv;
      start = lowerBound(stored.keys, token.start ?? "");
    }
    let end = stored.items.length;
    let indexes: number[] = [];
    for (let i = start; i < end; i++) {
      if (namespace && !(stored.keys[i] as string).startsWith(`${namespace}/`)) continue;
      indexes.push(i);
      if (limit > 0 && indexes.length >= limit) break;
    }
    const last = indexes[indexes.length - 1];
    const more = limit > 0 && last !== undefined && last + 1 < end && indexes.length >= limit;
    const metadata: Record<string, unknown> = { resourceVersion: listRv };
    if (more) {
      metadata.continue = Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: Number(listRv), start: stored.keys[last as number] })).toString("base64");
      metadata.remainingItemCount = end - (last as number) - 1;
    }
    const items = indexes.map((i) => strip(stored.items[i] as Record<string, unknown>, true));
    indexes = [];
    end = 0;
    return send(res, 200, { kind: `${stored.def.kind}List`, apiVersion: group ? `${group}/${version}` : version, metadata, items });
  }

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      send(res, 500, status(500, "InternalError", `fake API server error: ${String(error)}`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    writeKubeconfig(dir = os.tmpdir(), token = options.token) {
      const file = path.join(dir, `kubeconfig-${port}-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(
        file,
        [
          "apiVersion: v1",
          "kind: Config",
          "clusters:",
          "- name: fake",
          "  cluster:",
          `    server: ${url}`,
          "    insecure-skip-tls-verify: true",
          "users:",
          "- name: agent",
          "  user:",
          `    token: ${token}`,
          "contexts:",
          "- name: fake",
          "  context:",
          "    cluster: fake",
          "    user: agent",
          "- name: other",
          "  context:",
          "    cluster: fake",
          "    user: agent",
          "current-context: fake",
          "",
        ].join("\n"),
      );
      return file;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
