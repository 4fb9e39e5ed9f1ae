import Link from "next/link";
import { Card } from "@/components/ui/card";

export default function NotFound() {
  return (
    <Card>
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-700">This page does not exist, or it belongs to an organization you are not a member of.</p>
      <Link href="/app" className="mt-4 inline-block text-sm font-medium text-blue-800 underline">
        Back to your organizations
      </Link>
    </Card>
  );
}
