/**
 * Whether a cluster's agent is reporting: "waiting" until its first snapshot, "stale" when no
 * snapshot arrived for twice its schedule (one missed run is noise, two is a problem), else "ok".
 */
export type ClusterHealth = "waiting" | "ok" | "stale";

export function clusterHealth(cluster: { lastSeenAt: Date | null; scheduleMinutes: number }, now: Date): ClusterHealth {
  if (!cluster.lastSeenAt) return "waiting";
  return now.getTime() - cluster.lastSeenAt.getTime() > 2 * cluster.scheduleMinutes * 60_000 ? "stale" : "ok";
}
