import { orgRoute } from "@/lib/http/api-route";

/** The organization and the caller's role in it. */
export const GET = orgRoute({ action: "org:read" }, async ({ scope }) => ({
  organization: { id: scope.orgId, slug: scope.membership.orgSlug, name: scope.membership.orgName },
  role: scope.membership.role,
}));
