import { Card } from "@/components/ui/card";

/** A member whose role does not allow a page: said plainly (non-members get the not-found page instead). */
export function NotAllowed({ what, role }: { what: string; role: string }) {
  return (
    <Card>
      <h1 className="text-xl font-semibold">Not available for your role</h1>
      <p className="mt-2 text-sm text-slate-700">
        {what} is for admins and owners. Your role in this organization is {role.toLowerCase()}; ask an owner if you need it.
      </p>
    </Card>
  );
}
