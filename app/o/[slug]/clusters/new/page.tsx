import type { Metadata } from "next";
import Link from "next/link";
import { orgPageContext } from "@/lib/dashboard/org-context";
import { Card } from "@/components/ui/card";
import { RegisterClusterForm } from "@/components/dashboard/register-cluster-form";
import { NotAllowed } from "@/components/dashboard/not-allowed";
import { registerClusterAction } from "./actions";

export const metadata: Metadata = { title: "Register a cluster" };

export default async function RegisterClusterPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { scope } = await orgPageContext(slug, `/o/${slug}/clusters/new`);
  if (!scope.can("cluster:create")) return <NotAllowed what="Registering clusters" role={scope.membership.role} />;
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/o/${slug}`} className="underline">
          Clusters
        </Link>{" "}
        / Register
      </nav>
      <Card className="max-w-3xl">
        <h1 className="text-xl font-semibold">Register a cluster</h1>
        <p className="mt-1 mb-6 text-sm text-slate-700">
          Ramparts issues an agent token for the cluster. The agent is read-only: it lists workloads, RBAC, policies and the like, redacts
          values, and never reads Secret contents.
        </p>
        <RegisterClusterForm slug={slug} action={registerClusterAction} />
      </Card>
    </div>
  );
}
