import { redirect } from "next/navigation";
import { cookies } from "next/headers";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db/client";
import { listMyOrganizations } from "@/lib/tenancy/list-my-organizations";
import { LAST_ORG_COOKIE } from "@/lib/tenancy/last-organization";

/** Where sign-in lands: the last organization used, the first one, or creating one. */
export default async function AppHome() {
  const user = await requireUser("/app");
  const orgs = await listMyOrganizations(await db(), user.id);
  if (orgs.length === 0) redirect("/orgs/new");
  const last = (await cookies()).get(LAST_ORG_COOKIE)?.value;
  const target = orgs.find((o) => o.slug === last) ?? orgs[0]!;
  redirect(`/o/${target.slug}`);
}
