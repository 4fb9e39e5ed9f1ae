import Link from "next/link";
import { Brand } from "@/components/layout/brand";

// The public landing page. The domain check (issue 6) takes its place in the hero.
export default function LandingPage() {
  return (
    <div className="min-h-screen bg-white">
      <header className="mx-auto flex max-w-6xl items-center justify-between px-4 py-4">
        <Brand />
        <Link href="/signin" className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
          Sign in
        </Link>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-16">
        <h1 className="max-w-3xl text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
          How well is each of your Kubernetes clusters defended?
        </h1>
        <p className="mt-6 max-w-2xl text-lg text-slate-700">
          Ramparts scores every cluster layer by layer (images, RBAC and admission, network and mesh, secrets, runtime detection,
          supply chain) and points at the exact field to fix, with a fix you can paste.
        </p>
        <div className="mt-8">
          <Link href="/signin" className="rounded-md bg-blue-700 px-5 py-3 text-sm font-semibold text-white hover:bg-blue-800">
            Score your clusters
          </Link>
        </div>
      </main>
    </div>
  );
}
