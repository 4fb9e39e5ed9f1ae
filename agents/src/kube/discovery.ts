/**
 * API discovery: which groups, versions and resources this cluster serves. The agent lists only
 * what discovery shows, so an absent CRD is recorded as "absent" instead of failing a request
 * (Kubescape's synchronizer restart-looped on exactly that).
 */
import type { KubeApi } from "./kube-client";
import { statusMessage } from "./kube-client";

export interface DiscoveredResource {
  group: string;
  version: string;
  /** Plural name, e.g. "networkpolicies". */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface GroupInfo {
  /** Served versions, preferred first. */
  versions: string[];
}

export interface ResourceLookup {
  status: "found" | "absent" | "error";
  resource?: DiscoveredResource;
  message?: string;
}

export class Discovery {
  private readonly resourceLists = new Map<string, Promise<DiscoveredResource[] | { error: string }>>();

  private constructor(
    private readonly api: KubeApi,
    private readonly groups: Map<string, GroupInfo>,
  ) {}

  static async load(api: KubeApi): Promise<Discovery> {
    const groups = new Map<string, GroupInfo>();
    const core = await api.get("/api");
    if (core.status !== 200) throw new DiscoveryError(`discovery of /api failed: ${statusMessage(core)}`, core.status);
    const coreVersions = (core.body as { versions?: unknown }).versions;
    groups.set("", { versions: Array.isArray(coreVersions) ? coreVersions.filter((v): v is string => typeof v === "string") : ["v1"] });

    const named = await api.get("/apis");
    if (named.status !== 200) throw new DiscoveryError(`discovery of /apis failed: ${statusMessage(named)}`, named.status);
    const list = named.body as { groups?: Array<{ name?: string; versions?: Array<{ version?: string }>; preferredVersion?: { version?: string } }> };
    for (const group of list.groups ?? []) {
      if (!group.name) continue;
      const versions = (group.versions ?? []).map((v) => v.version).filter((v): v is string => typeof v === "string");
      const preferred = group.preferredVersion?.version;
      const ordered = preferred && versions.includes(preferred) ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
      groups.set(group.name, { versions: ordered });
    }
    return new Discovery(api, groups);
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  /** Served versions of a group, preferred first; [] when the group is absent. */
  versionsOf(group: string): string[] {
    return this.groups.get(group)?.versions ?? [];
  }

  /** Resources (no subresources) of one group-version, fetched once. */
  async resourcesOf(group: string, version: string): Promise<DiscoveredResource[] | { error: string }> {
    const key = `${group}/${version}`;
    let pending = this.resourceLists.get(key);
    if (!pending) {
      pending = this.fetchResources(group, version);
      this.resourceLists.set(key, pending);
    }
    return pending;
  }

  /**
   * Finds a resource by plural name, trying `versions` in order (or every served version,
   * preferred first, when `versions` is not given).
   */
  async find(group: string, resource: string, versions?: readonly string[]): Promise<ResourceLookup> {
    const served = this.versionsOf(group);
    if (served.length === 0) return { status: "absent", message: `API group ${group || "core"} is not served by this cluster` };
    const candidates = versions ? versions.filter((v) => served.includes(v)) : served;
    if (candidates.length === 0) {
      return { status: "absent", message: `API group ${group} serves ${served.join(", ")}, none of the supported versions ${versions?.join(", ")}` };
    }
    const errors: string[] = [];
    for (const version of candidates) {
      const resources = await this.resourcesOf(group, version);
      if ("error" in resources) {
        errors.push(resources.error);
        continue;
      }
      const match = resources.find((r) => r.resource === resource);
      if (match) return { status: "found", resource: match };
    }
    if (errors.length > 0) return { status: "error", message: errors.join("; ").slice(0, 1000) };
    return { status: "absent", message: `${resource} is not served in ${group || "core"} ${candidates.join(", ")}` };
  }

  private async fetchResources(group: string, version: string): Promise<DiscoveredResource[] | { error: string }> {
    const path = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
    const response = await this.api.get(path);
    if (response.status !== 200) return { error: `discovery of ${path} failed: ${statusMessage(response)}` };
    const body = response.body as { resources?: Array<{ name?: string; kind?: string; namespaced?: boolean; verbs?: string[] }> };
    const resources: DiscoveredResource[] = [];
    for (const r of body.resources ?? []) {
      if (!r.name || r.name.includes("/") || !r.kind) continue; // subresources such as pods/log
      resources.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced === true, verbs: r.verbs ?? [] });
    }
    return resources;
  }
}

export class DiscoveryError extends Error {
  override name = "DiscoveryError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}
