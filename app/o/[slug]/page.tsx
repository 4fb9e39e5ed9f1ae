import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Overview" };

export default async function OrganizationOverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(`/o/${slug}`);
  const scope = await resolveTenantScope(await db(), user.id, slug);
  const clusterCount = await scope.db.cluster.count({ where: { orgId: scope.orgId } });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{scope.membership.orgName}</h1>
      {clusterCount === 0 ? (
        <Card>
          <h2 className="text-lg font-semibold">No clusters yet</h2>
          <p className="mt-2 max-w-2xl text-sm text-slate-700">
            Register your first cluster, install the read-only agent with the command we give you, and its score appears here within
            a minute of the first snapshot.
          </p>
        </Card>
      ) : (
        <p className="text-sm text-slate-700">{clusterCount} clusters</p>
      )}
    </div>
  );
}
