/**
 * The demo organization, made through the same domain functions people use: a user, an
 * organization they own, clusters registered with real agent tokens, and (given the example
 * snapshots) a history of snapshots pushed through ingest and evaluated by the real queue, so the
 * dashboard shows real engine results, a trend and "what changed". Idempotent.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import type { SnapshotV1 } from "@/lib/snapshot/schema";
import { createOrganization } from "@/lib/tenancy/create-organization";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import { listMyOrganizations } from "@/lib/tenancy/list-my-organizations";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { rotateAgentToken } from "@/lib/clusters/rotate-agent-token";
import { revokeAgentToken } from "@/lib/clusters/revoke-agent-token";
import { ingestSnapshot } from "@/lib/ingest/ingest-snapshot";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { demoHistory, type HistoryStep } from "./demo-history";

export const DEMO_EMAIL = "demo@ramparts.localhost";
export const DEMO_ORG_SLUG = "acme";

export type DemoExample = "hardened-cluster" | "insecure-cluster";

export const DEMO_CLUSTERS: readonly { name: string; environment: string; example: DemoExample; towards: DemoExample; history: readonly HistoryStep[] }[] = [
  // Production has been hardened all along.
  {
    name: "prod-eu-1",
    environment: "production",
    example: "hardened-cluster",
    towards: "hardened-cluster",
    history: [{ daysAgo: 6, groupsFixed: 0 }, { daysAgo: 3, groupsFixed: 0 }, { daysAgo: 1, groupsFixed: 0 }, { daysAgo: 0, groupsFixed: 0 }],
  },
  // Staging started insecure and is being fixed: RBAC first, then workloads, then network policy.
  {
    name: "staging-us-1",
    environment: "staging",
    example: "insecure-cluster",
    towards: "hardened-cluster",
    history: [{ daysAgo: 6, groupsFixed: 0 }, { daysAgo: 5, groupsFixed: 1 }, { daysAgo: 3, groupsFixed: 2 }, { daysAgo: 0, groupsFixed: 3 }],
  },
];

export interface SeededDemo {
  userId: string;
  slug: string;
  /** Agent tokens of clusters created in this run (none when the demo existed already). */
  newClusters: { id: string; name: string; token: string; example: string }[];
  /** Snapshots pushed and evaluated in this run, per cluster name. */
  seededSnapshots: Record<string, number>;
}

export interface SeedDemoOptions {
  /** The example clusters as agent snapshots (`collect --from-file examples/<name>`); without them no history is seeded. */
  examples?: Partial<Record<DemoExample, SnapshotV1>>;
  now?: Date;
}

export async function seedDemo(prisma: PrismaClient, options: SeedDemoOptions = {}): Promise<SeededDemo> {
  const now = options.now ?? new Date();
  const user =
    (await prisma.user.findUnique({ where: { email: DEMO_EMAIL } })) ??
    (await prisma.user.create({ data: { email: DEMO_EMAIL, name: "Demo User", emailVerified: new Date() } }));
  const orgs = await listMyOrganizations(prisma, user.id);
  if (!orgs.some((org) => org.slug === DEMO_ORG_SLUG)) {
    await createOrganization({ prisma, userId: user.id, input: { name: "Acme Platform", slug: DEMO_ORG_SLUG } });
  }
  const scope = await resolveTenantScope(prisma, user.id, DEMO_ORG_SLUG);
  const existing = new Map((await scope.db.cluster.findMany({ where: { orgId: scope.orgId }, select: { id: true, name: true } })).map((c) => [c.name, c.id]));
  const newClusters: SeededDemo["newClusters"] = [];
  const seededSnapshots: Record<string, number> = {};
  for (const spec of DEMO_CLUSTERS) {
    let clusterId = existing.get(spec.name);
    let token: string | undefined;
    if (!clusterId) {
      const registered = await registerCluster({ scope, input: { name: spec.name, environment: spec.environment } });
      clusterId = registered.cluster.id;
      token = registered.token.value;
      newClusters.push({ id: clusterId, name: spec.name, token, example: spec.example });
    }
    const example = options.examples?.[spec.example];
    const towards = options.examples?.[spec.towards];
    if (!example || !towards) continue;
    if ((await scope.db.snapshot.count({ where: { orgId: scope.orgId, clusterId } })) > 0) continue;
    // A cluster from an older demo, without history: push with a token made for the purpose, revoked after.
    let temporary: { id: string } | undefined;
    if (!token) {
      const rotated = await rotateAgentToken({ scope, clusterId });
      token = rotated.token.value;
      temporary = rotated.token;
    }
    const history = demoHistory(example, towards, spec.history, now);
    for (const snapshot of history) {
      await ingestSnapshot({ prisma, token, snapshot });
      await runJobsUntilIdle(prisma);
    }
    if (temporary) await revokeAgentToken({ scope, clusterId, tokenId: temporary.id });
    seededSnapshots[spec.name] = history.length;
  }
  return { userId: user.id, slug: DEMO_ORG_SLUG, newClusters, seededSnapshots };
}
