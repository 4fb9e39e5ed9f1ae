/**
 * The demo organization, made through the same domain functions people use: a user, an
 * organization they own, and clusters registered with real agent tokens. Idempotent.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { createOrganization } from "@/lib/tenancy/create-organization";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import { listMyOrganizations } from "@/lib/tenancy/list-my-organizations";
import { registerCluster } from "@/lib/clusters/register-cluster";

export const DEMO_EMAIL = "demo@ramparts.localhost";
export const DEMO_ORG_SLUG = "acme";

export const DEMO_CLUSTERS = [
  { name: "prod-eu-1", environment: "production", example: "hardened-cluster" },
  { name: "staging-us-1", environment: "staging", example: "insecure-cluster" },
] as const;

export interface SeededDemo {
  userId: string;
  slug: string;
  /** Agent tokens of clusters created in this run (none when the demo existed already). */
  newClusters: { id: string; name: string; token: string; example: string }[];
}

export async function seedDemo(prisma: PrismaClient): Promise<SeededDemo> {
  const user =
    (await prisma.user.findUnique({ where: { email: DEMO_EMAIL } })) ??
    (await prisma.user.create({ data: { email: DEMO_EMAIL, name: "Demo User", emailVerified: new Date() } }));
  const orgs = await listMyOrganizations(prisma, user.id);
  if (!orgs.some((org) => org.slug === DEMO_ORG_SLUG)) {
    await createOrganization({ prisma, userId: user.id, input: { name: "Acme Platform", slug: DEMO_ORG_SLUG } });
  }
  const scope = await resolveTenantScope(prisma, user.id, DEMO_ORG_SLUG);
  const existing = new Set((await scope.db.cluster.findMany({ where: { orgId: scope.orgId }, select: { name: true } })).map((c) => c.name));
  const newClusters: SeededDemo["newClusters"] = [];
  for (const spec of DEMO_CLUSTERS) {
    if (existing.has(spec.name)) continue;
    const { cluster, token } = await registerCluster({ scope, input: { name: spec.name, environment: spec.environment } });
    newClusters.push({ id: cluster.id, name: cluster.name, token: token.value, example: spec.example });
  }
  return { userId: user.id, slug: DEMO_ORG_SLUG, newClusters };
}
