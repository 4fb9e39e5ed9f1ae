/**
 * Which snapshots speak for a cluster's identity. A live collection carries the kube-system
 * namespace's UID and binds the cluster to it on its first snapshot; a snapshot built from files
 * (`collect --from-file`) is a closed world with whatever UID the files hold, so it neither binds
 * nor is checked against the binding.
 */
import type { SnapshotHeader } from "@/lib/snapshot/schema";
import { isClosedWorld } from "@/lib/snapshot/schema";

export const UNKNOWN_CLUSTER_UID = "unknown";

export function isLiveSnapshot(header: Pick<SnapshotHeader, "agent">): boolean {
  return !isClosedWorld(header);
}

/** The UID to bind a cluster to from this snapshot, if any. */
export function bindableClusterUid(header: Pick<SnapshotHeader, "agent" | "cluster">): string | null {
  if (!isLiveSnapshot(header) || header.cluster.uid === UNKNOWN_CLUSTER_UID) return null;
  return header.cluster.uid;
}
