import type { Role } from "@/lib/db/generated/prisma/enums";
import { can } from "./permissions";

export interface OrganizationNavItem {
  href: string;
  label: string;
  /** Paths under which the item is the current section besides its own (the clusters' pages for the fleet). */
  activePrefixes: string[];
}

/** The organization's sections, filtered by what the role may see. */
export function organizationNav(slug: string, role: Role): OrganizationNavItem[] {
  const base = `/o/${slug}`;
  const items = [
    { href: base, label: "Clusters", activePrefixes: [`${base}/clusters`], visible: can(role, "cluster:read") },
    { href: `${base}/checks`, label: "Checks", activePrefixes: [`${base}/checks`], visible: can(role, "finding:read") },
    { href: `${base}/exceptions`, label: "Exceptions", activePrefixes: [`${base}/exceptions`], visible: can(role, "finding:read") },
  ];
  return items.filter((item) => item.visible).map(({ href, label, activePrefixes }) => ({ href, label, activePrefixes }));
}
