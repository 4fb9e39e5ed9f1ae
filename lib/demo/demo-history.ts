/**
 * A believable history for a demo cluster: snapshots that move from one example cluster toward
 * another (insecure → hardened), a group of kinds at a time (RBAC, then workloads, then network
 * policy, then the rest), as a team fixing its cluster would. Each snapshot is then evaluated for
 * real through ingest; nothing here invents a score.
 */
import type { KubeObject, SnapshotV1 } from "@/lib/snapshot/schema";

export interface HistoryStep {
  daysAgo: number;
  /** How many remediation groups (REMEDIATION_ORDER) are applied by then: 0 = the starting cluster. */
  groupsFixed: number;
}

export const REMEDIATION_ORDER: readonly (readonly string[] | "rest")[] = [
  ["ClusterRoleBinding", "RoleBinding", "ClusterRole", "Role", "ServiceAccount"],
  ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob", "ReplicationController"],
  ["NetworkPolicy", "CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "GlobalNetworkPolicy", "PeerAuthentication", "AuthorizationPolicy", "Ingress"],
  "rest",
];

const keyOf = (o: KubeObject) => `${o.apiVersion.split("/").length > 1 ? o.apiVersion.split("/")[0] : ""}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

function groupOf(kind: string): number {
  const index = REMEDIATION_ORDER.findIndex((g) => g !== "rest" && g.includes(kind));
  return index === -1 ? REMEDIATION_ORDER.length - 1 : index;
}

/** `from` with the first `groups` remediation groups taken from `to` (objects of those kinds replaced, added or removed). */
export function blend(from: readonly KubeObject[], to: readonly KubeObject[], groups: number): KubeObject[] {
  const fixed = (o: KubeObject) => groupOf(o.kind) < groups;
  const kept = from.filter((o) => !fixed(o));
  const taken = to.filter(fixed);
  const seen = new Set(kept.map(keyOf));
  return [...kept, ...taken.filter((o) => !seen.has(keyOf(o)))];
}

export function demoHistory(from: SnapshotV1, to: SnapshotV1, steps: readonly HistoryStep[], now: Date): SnapshotV1[] {
  return [...steps]
    .sort((a, b) => b.daysAgo - a.daysAgo)
    .map((step) => ({
      ...from,
      collectedAt: new Date(now.getTime() - step.daysAgo * 24 * 3600 * 1000 - 5 * 60 * 1000).toISOString(),
      objects: blend(from.objects, to.objects, step.groupsFixed),
    }));
}
