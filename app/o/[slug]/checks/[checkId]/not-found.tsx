import Link from "next/link";
import { Card } from "@/components/ui/card";

export default function CheckNotFound() {
  return (
    <Card>
      <h1 className="text-xl font-semibold">No such check</h1>
      <p className="mt-2 text-sm text-slate-700">The catalog has no check with this id.</p>
      <Link href="../checks" className="mt-4 inline-block text-sm font-medium text-blue-800 underline">
        All checks
      </Link>
    </Card>
  );
}
