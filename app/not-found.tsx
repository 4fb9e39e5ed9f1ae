import Link from "next/link";
import { PublicHeader } from "@/components/layout/public-header";

/** Our own 404 (Next's default uses inline styles, which our CSP refuses). */
export default function NotFound() {
  return (
    <div className="min-h-screen bg-white">
      <PublicHeader />
      <main id="main" className="mx-auto max-w-2xl px-4 py-20 text-center">
        <p className="text-sm font-semibold text-blue-800">404</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">Page not found</h1>
        <p className="mt-4 text-slate-700">The page does not exist, or you do not have access to it.</p>
        <p className="mt-8">
          <Link href="/" className="rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">
            Go to the home page
          </Link>
        </p>
      </main>
    </div>
  );
}
