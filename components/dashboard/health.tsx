import { Badge } from "@/components/ui/badge";
import type { ClusterHealth } from "@/lib/clusters/cluster-health";

export function HealthBadge({ health }: { health: ClusterHealth }) {
  if (health === "stale") return <Badge tone="warning">Stale</Badge>;
  if (health === "waiting") return <Badge tone="info">Waiting for first snapshot</Badge>;
  return <Badge tone="success">Reporting</Badge>;
}
