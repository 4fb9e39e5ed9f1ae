/**
 * Offline collection: `kubectl get -o json` output or manifests, read by the engine's own
 * reader (so the agent and `ramparts scan` see the same objects), redacted exactly like a live
 * collection. Files are the whole truth ("closed world"): every resource the agent would list,
 * and every kind found, is recorded as collected.
 */
import { readInputs } from "@/lib/engine/io/read-inputs";
import type { CoverageEntry, KubeObject, SnapshotHeader } from "@/lib/snapshot/schema";
import { SNAPSHOT_SCHEMA_VERSION } from "@/lib/snapshot/schema";
import type { Logger } from "../log/logger";
import { redactObject } from "../redact/redact-object";
import type { SnapshotSink } from "../snapshot/snapshot-sink";
import { ProviderGuesser } from "./provider-guess";
import { RESOURCE_CATALOG } from "./resource-catalog";

/** Kubernetes' own guess from kind to resource (UnsafeGuessKindToResource). */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === "endpoints") return lower;
  if (lower.endsWith("s")) return `${lower}es`;
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export interface CollectFromFileOptions {
  target: string;
  sink: SnapshotSink;
  log: Logger;
  agentVersion: string;
  stdin?: NodeJS.ReadableStream;
  now?: () => Date;
}

export async function collectFromFile(options: CollectFromFileOptions): Promise<{ header: SnapshotHeader; objectCount: number }> {
  const { sink, log } = options;
  try {
    const input = await readInputs(options.target, { stdin: options.stdin });
    const provider = new ProviderGuesser();
    const counts = new Map<string, CoverageEntry>();
    for (const entry of RESOURCE_CATALOG) {
      counts.set(`${entry.group}/${entry.resource}`, { group: entry.group, version: entry.versions?.[0] ?? "v1", resource: entry.resource, status: "ok", count: 0 });
    }
    for (const resource of ["configmaps", "secrets"]) counts.set(`/${resource}`, { group: "", version: "v1", resource, status: "ok", count: 0 });

    let objectCount = 0;
    let kubeSystemUid: string | undefined;
    for (const object of input.objects) {
      provider.observe(object as Parameters<ProviderGuesser["observe"]>[0]);
      if (object.kind === "Namespace" && object.apiVersion === "v1" && object.metadata.name === "kube-system" && object.metadata.uid) kubeSystemUid = object.metadata.uid;
      const redacted: KubeObject | null = redactObject(object);
      if (!redacted) continue;
      if (!(await sink.add(redacted))) continue;
      objectCount++;
      const { group, version } = splitApiVersion(redacted.apiVersion);
      const known = RESOURCE_CATALOG.find((e) => e.group === group && guessResource(redacted.kind) === e.resource);
      const resource = known?.resource ?? guessResource(redacted.kind);
      const key = `${group}/${resource}`;
      const entry = counts.get(key) ?? { group, version, resource, kind: redacted.kind, status: "ok" as const, count: 0 };
      entry.kind = redacted.kind;
      entry.version = version;
      entry.count = (entry.count ?? 0) + 1;
      counts.set(key, entry);
    }
    const header: SnapshotHeader = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      agent: { version: options.agentVersion, mode: "file" },
      cluster: {
        uid: (input.cluster?.uid ?? kubeSystemUid ?? "unknown").slice(0, 64),
        kubernetesVersion: (input.cluster?.kubernetesVersion ?? "unknown").slice(0, 64),
        provider: input.cluster?.provider ? { name: input.cluster.provider, evidence: ["taken from the input snapshot"] } : provider.result(),
      },
      collectedAt: input.cluster?.collectedAt ?? (options.now ?? (() => new Date()))().toISOString(),
      // A snapshot given as input keeps its own coverage: its gaps stay gaps.
      coverage: input.coverage ? input.coverage : [...counts.values()],
    };
    await sink.finish(header);
    log.info("collection from file done", { source: options.target, objects: objectCount, warnings: input.warnings?.length ?? 0 });
    return { header, objectCount };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
