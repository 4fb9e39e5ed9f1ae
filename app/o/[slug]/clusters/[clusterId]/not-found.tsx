import Link from "next/link";
import { Card } from "@/components/ui/card";

export default function ClusterNotFound() {
  return (
    <Card>
      <h1 className="text-xl font-semibold">Cluster not found</h1>
      <p className="mt-2 text-sm text-slate-700">It may have been deleted, or the address is wrong.</p>
      <Link href="/app" className="mt-4 inline-block text-sm font-medium text-blue-800 underline">
        Back to the clusters
      </Link>
    </Card>
  );
}
