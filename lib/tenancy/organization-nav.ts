import type { Role } from "@/lib/db/generated/prisma/enums";
import { can } from "./permissions";

/** The organization's sections, filtered by what the role may see. */
export function organizationNav(slug: string, role: Role): { href: string; label: string }[] {
  const base = `/o/${slug}`;
  const items = [{ href: base, label: "Overview", visible: can(role, "cluster:read") }];
  return items.filter((item) => item.visible).map(({ href, label }) => ({ href, label }));
}
