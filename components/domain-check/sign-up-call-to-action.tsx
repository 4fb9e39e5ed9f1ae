import Link from "next/link";

/** After a domain's report: the invitation to score the clusters behind it. */
export function SignUpCallToAction({ domain }: { domain: string }) {
  return (
    <aside aria-labelledby="cta-heading" className="mt-10 rounded-lg border border-blue-200 bg-blue-50 p-6">
      <h2 id="cta-heading" className="text-xl font-semibold text-slate-900">
        Now score the clusters behind {domain}
      </h2>
      <p className="mt-2 max-w-2xl text-slate-700">
        The edge is one layer. Ramparts scores each Kubernetes cluster across six layers of defense (images, RBAC and admission, network
        policies and mesh, secrets, runtime detection, supply chain) with a read-only agent, and points at the exact field to fix.
      </p>
      <Link href="/signin" className="mt-4 inline-flex rounded-md bg-blue-700 px-5 py-3 text-sm font-semibold text-white hover:bg-blue-800">
        Sign up and connect a cluster
      </Link>
    </aside>
  );
}
