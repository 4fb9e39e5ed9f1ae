/**
 * Who may do what: one declarative table from role to actions. Every server action and API
 * route asserts one action from it; API tokens will carry scopes from the same list.
 */
import type { Role } from "@/lib/db/generated/prisma/enums";
import { forbidden } from "@/lib/errors";

export const ACTIONS = [
  "org:read",
  "org:update",
  "member:read",
  "member:invite",
  "member:update-role",
  "member:remove",
  "cluster:read",
  "cluster:create",
  "cluster:update",
  "cluster:delete",
  "token:manage",
  "finding:read",
  "finding:export",
  "exception:manage",
  "audit:read",
] as const;

export type Action = (typeof ACTIONS)[number];

const READ: Action[] = ["org:read", "member:read", "cluster:read", "finding:read"];

export const ROLE_PERMISSIONS: Record<Role, readonly Action[]> = {
  VIEWER: READ,
  MEMBER: [...READ, "finding:export"],
  ADMIN: [
    ...READ,
    "finding:export",
    "member:invite",
    "member:update-role",
    "member:remove",
    "cluster:create",
    "cluster:update",
    "cluster:delete",
    "token:manage",
    "exception:manage",
    "audit:read",
  ],
  OWNER: ACTIONS,
};

export const ROLES: readonly Role[] = ["OWNER", "ADMIN", "MEMBER", "VIEWER"];

export function can(role: Role, action: Action): boolean {
  return ROLE_PERMISSIONS[role].includes(action);
}

export function assertAllowed(role: Role, action: Action): void {
  if (!can(role, action)) throw forbidden(`Your role (${role.toLowerCase()}) does not allow ${action}`);
}
