import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/current-user";
import { Card } from "@/components/ui/card";
import { Brand } from "@/components/layout/brand";
import { CreateOrganizationForm } from "@/components/orgs/create-organization-form";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { createOrganizationAction } from "./actions";

export const metadata: Metadata = { title: "Create an organization" };

export default async function NewOrganizationPage() {
  const user = await requireUser("/orgs/new");
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3">
        <Brand href="/app" />
        <div className="flex items-center gap-3 text-sm text-slate-600">
          <span>{user.email}</span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-lg px-4 py-12">
        <Card>
          <h1 className="text-xl font-semibold">Create an organization</h1>
          <p className="mt-1 mb-6 text-sm text-slate-600">
            An organization holds your clusters, your team and its settings. You will be its owner; invite your team afterwards.
          </p>
          <CreateOrganizationForm action={createOrganizationAction} />
        </Card>
      </main>
    </div>
  );
}
