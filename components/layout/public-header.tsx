import Link from "next/link";
import { Brand } from "./brand";

export function PublicHeader() {
  return (
    <header className="mx-auto flex max-w-6xl items-center justify-between px-4 py-4">
      <Brand />
      <nav aria-label="Site" className="flex items-center gap-1 text-sm">
        <Link href="/checks" className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100">
          Checks
        </Link>
        <Link href="/signin" className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100">
          Sign in
        </Link>
      </nav>
    </header>
  );
}
