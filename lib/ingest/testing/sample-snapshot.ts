/**
 * Small, realistic snapshots for tests: namespaces with Deployments whose containers are
 * privileged or hardened, so the real engine produces known findings (privileged-container,
 * run-as-root, image-digest, default-deny-ingress) that a fix or an exception removes.
 */
import { SNAPSHOT_SCHEMA_VERSION, type KubeObject, type SnapshotV1 } from "@/lib/snapshot/schema";

export interface SampleOptions {
  /** Namespaces of workloads (default ["shop"]). */
  namespaces?: string[];
  /** Deployments per namespace whose container runs privileged, as root, on a tag (default 1). */
  insecureDeployments?: number;
  /** Hardened Deployments per namespace (default 1). */
  hardenedDeployments?: number;
  /** "cluster": a live collection (coverage, UID binding); "file": a closed world (default). */
  mode?: "cluster" | "file";
  clusterUid?: string;
  collectedAt?: string;
  agentVersion?: string;
}

function deployment(namespace: string, name: string, secure: boolean): KubeObject {
  const securityContext = secure
    ? { runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } }
    : { privileged: true, runAsUser: 0 };
  const image = secure ? `registry.example.com/${name}@sha256:${"a".repeat(64)}` : `registry.example.com/${name}:latest`;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { automountServiceAccountToken: false, containers: [{ name: "app", image, securityContext, resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "256Mi" } } }] },
      },
    },
  };
}

export function sampleSnapshot(options: SampleOptions = {}): SnapshotV1 {
  const namespaces = options.namespaces ?? ["shop"];
  const objects: KubeObject[] = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system", uid: options.clusterUid ?? "sample-cluster-uid" } }];
  for (const ns of namespaces) {
    objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, uid: `uid-ns-${ns}`, labels: { "kubernetes.io/metadata.name": ns } } });
    for (let i = 0; i < (options.insecureDeployments ?? 1); i++) objects.push(deployment(ns, `legacy-${i}`, false));
    for (let i = 0; i < (options.hardenedDeployments ?? 1); i++) objects.push(deployment(ns, `web-${i}`, true));
  }
  const mode = options.mode ?? "file";
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    agent: { version: options.agentVersion ?? "0.1.0", mode },
    cluster: { uid: options.clusterUid ?? "sample-cluster-uid", kubernetesVersion: "v1.31.4", provider: { name: "eks", evidence: ["test"] } },
    collectedAt: options.collectedAt ?? new Date().toISOString(),
    coverage: [
      { group: "", version: "v1", resource: "namespaces", kind: "Namespace", status: "ok", count: namespaces.length + 1 },
      { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", status: "ok", count: objects.length - namespaces.length - 1 },
    ],
    objects,
  };
}
