/**
 * Collection from a live API server: discovery, then every catalog resource page by page,
 * each object redacted and streamed to the sink as it arrives. Failures of one resource are
 * recorded in coverage and collection goes on; only a cluster the agent cannot talk to at all
 * stops it.
 */
import type { CoverageEntry, KubeObject, SnapshotHeader } from "@/lib/snapshot/schema";
import { SNAPSHOT_SCHEMA_VERSION } from "@/lib/snapshot/schema";
import { AgentError } from "../errors";
import { Discovery, DiscoveryError, type DiscoveredResource } from "../kube/discovery";
import { statusMessage, type KubeApi } from "../kube/kube-client";
import { listAll, type ListOptions, type RawObject } from "../kube/list-pages";
import type { Logger } from "../log/logger";
import { redactObject } from "../redact/redact-object";
import type { SnapshotSink } from "../snapshot/snapshot-sink";
import { ProviderGuesser } from "./provider-guess";
import { DEFAULT_NAMED_CONFIGMAPS, DYNAMIC_GROUPS, RESOURCE_CATALOG, type CatalogEntry, type DynamicGroupEntry, type NamedConfigMap } from "./resource-catalog";

export interface CollectClusterOptions {
  api: KubeApi;
  sink: SnapshotSink;
  log: Logger;
  agentVersion: string;
  chartVersion?: string;
  namedConfigMaps?: readonly NamedConfigMap[];
  catalog?: readonly CatalogEntry[];
  dynamicGroups?: readonly DynamicGroupEntry[];
  list?: ListOptions;
  now?: () => Date;
}

export interface CollectResult {
  header: SnapshotHeader;
  objectCount: number;
}

const GATEKEEPER_HINT = "add this constraint's plural name to the chart value gatekeeperConstraints so the agent may read it";

export async function collectCluster(options: CollectClusterOptions): Promise<CollectResult> {
  const { api, sink, log } = options;
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();
  const provider = new ProviderGuesser();
  const coverage: CoverageEntry[] = [];
  let objectCount = 0;

  async function emit(raw: RawObject): Promise<"sent" | "skipped" | "dropped"> {
    provider.observe(raw as Parameters<ProviderGuesser["observe"]>[0]);
    const redacted: KubeObject | null = redactObject(raw);
    if (!redacted) return "dropped";
    if (!(await sink.add(redacted))) return "skipped";
    objectCount++;
    return "sent";
  }

  try {
    const version = await api.get("/version");
    if (version.status === 401) throw new AgentError(`the Kubernetes API at ${api.server} rejected the agent's credentials (401): ${statusMessage(version)}`);
    const gitVersion = version.status === 200 && typeof (version.body as { gitVersion?: unknown })?.gitVersion === "string" ? (version.body as { gitVersion: string }).gitVersion : "unknown";
    provider.observeVersion(gitVersion);

    let discovery: Discovery;
    try {
      discovery = await Discovery.load(api);
    } catch (error) {
      if (error instanceof DiscoveryError) throw new AgentError(`API discovery failed at ${api.server}: ${error.message}`);
      throw error;
    }
    provider.observeGroups(discovery.groupNames());
    log.info("discovery done", { server: api.server, kubernetesVersion: gitVersion, groups: discovery.groupNames().length });

    const kubeSystem = await api.get("/api/v1/namespaces/kube-system");
    const clusterUid = kubeSystem.status === 200 ? ((kubeSystem.body as { metadata?: { uid?: string } })?.metadata?.uid ?? "unknown") : "unknown";
    if (clusterUid === "unknown") log.warn("cannot read the kube-system namespace: the cluster identity is unknown", { status: kubeSystem.status });

    async function collectResource(found: DiscoveredResource, hint?: string): Promise<void> {
      const base = { group: found.group, version: found.version, resource: found.resource, kind: found.kind };
      if (!found.verbs.includes("list")) {
        coverage.push({ ...base, status: "error", message: "the API does not allow listing this resource" });
        return;
      }
      let skipped = 0;
      log.progress(`listing ${found.group ? `${found.resource}.${found.group}` : found.resource} (${objectCount} objects so far)`);
      const outcome = await listAll(
        api,
        found,
        async (items) => {
          for (const item of items) if ((await emit(item)) === "skipped") skipped++;
          log.progress(`listing ${found.group ? `${found.resource}.${found.group}` : found.resource} (${objectCount} objects so far)`);
        },
        options.list,
      );
      const entry: CoverageEntry = { ...base, status: outcome.status, count: outcome.count - skipped };
      if (skipped > 0) entry.skipped = skipped;
      if (outcome.resourceVersion) entry.resourceVersion = outcome.resourceVersion.slice(0, 64);
      const message = outcome.status === "forbidden" && hint ? `${outcome.message ?? "forbidden"}; ${hint}` : outcome.message;
      if (message) entry.message = message.slice(0, 1000);
      if (outcome.restarts > 0 && outcome.status === "ok") entry.message = `list restarted ${outcome.restarts} time(s) after its continue token expired`;
      coverage.push(entry);
      if (outcome.status !== "ok") log.warn("resource not fully collected", { resource: `${found.resource}${found.group ? `.${found.group}` : ""}`, status: outcome.status, message: entry.message });
    }

    for (const entry of options.catalog ?? RESOURCE_CATALOG) {
      const lookup = await discovery.find(entry.group, entry.resource, entry.versions);
      if (lookup.status !== "found" || !lookup.resource) {
        coverage.push({ group: entry.group, version: entry.versions?.[0] ?? discovery.versionsOf(entry.group)[0] ?? "v1", resource: entry.resource, status: lookup.status === "error" ? "error" : "absent", message: lookup.message?.slice(0, 1000) });
        continue;
      }
      await collectResource(lookup.resource);
    }

    for (const dynamic of options.dynamicGroups ?? DYNAMIC_GROUPS) {
      const versions = dynamic.versions ?? discovery.versionsOf(dynamic.group);
      const version = versions.find((v) => discovery.versionsOf(dynamic.group).includes(v));
      if (!version) {
        coverage.push({ group: dynamic.group, version: versions[0] ?? "v1", resource: "*", status: "absent", message: `API group ${dynamic.group} is not served by this cluster` });
        continue;
      }
      const resources = await discovery.resourcesOf(dynamic.group, version);
      if ("error" in resources) {
        coverage.push({ group: dynamic.group, version, resource: "*", status: "error", message: resources.error.slice(0, 1000) });
        continue;
      }
      for (const found of resources) await collectResource(found, dynamic.group === "constraints.gatekeeper.sh" ? GATEKEEPER_HINT : undefined);
    }

    for (const ref of options.namedConfigMaps ?? DEFAULT_NAMED_CONFIGMAPS) {
      const response = await api.get(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/configmaps/${encodeURIComponent(ref.name)}`);
      const base = { group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespace: ref.namespace, name: ref.name };
      if (response.status === 200 && response.body && typeof response.body === "object") {
        const raw = response.body as RawObject;
        raw.apiVersion ??= "v1";
        raw.kind ??= "ConfigMap";
        const result = await emit(raw);
        coverage.push({ ...base, status: result === "sent" ? "ok" : "error", count: result === "sent" ? 1 : 0 });
      } else if (response.status === 404) {
        coverage.push({ ...base, status: "absent", message: statusMessage(response) });
      } else if (response.status === 403) {
        coverage.push({ ...base, status: "forbidden", message: statusMessage(response) });
      } else {
        coverage.push({ ...base, status: "error", message: statusMessage(response) });
      }
    }

    log.done();
    const header: SnapshotHeader = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      agent: { version: options.agentVersion, ...(options.chartVersion ? { chartVersion: options.chartVersion } : {}), mode: "cluster" },
      cluster: { uid: clusterUid.slice(0, 64), kubernetesVersion: gitVersion.slice(0, 64), provider: provider.result() },
      collectedAt,
      coverage,
    };
    await sink.finish(header);
    const incomplete = coverage.filter((c) => c.status === "forbidden" || c.status === "error").length;
    log.info("collection done", { objects: objectCount, resources: coverage.length, incomplete });
    return { header, objectCount };
  } catch (error) {
    log.done();
    await sink.abort();
    throw error;
  }
}
