/**
 * The one way to tenant data. A TenantScope is built from the acting membership; its client
 * runs every query inside a transaction that first sets app.org_id and app.user_id, which the
 * row-level security policies read. Domain functions also filter by orgId themselves, so a
 * record of another organization is simply not found, twice over.
 */
import type { PrismaClient, Prisma } from "@/lib/db/generated/prisma/client";
import type { Role } from "@/lib/db/generated/prisma/enums";
import { assertAllowed, can, type Action } from "./permissions";

export interface TenantContext {
  orgId: string;
  /** Null for the system (jobs, the agent's ingest), which acts for an organization without a user. */
  userId: string | null;
}

export type TenantTx = Prisma.TransactionClient;

function setContextSql(prisma: PrismaClient | TenantTx, ctx: { orgId: string; userId: string | null }) {
  return prisma.$executeRaw`SELECT set_config('app.org_id', ${ctx.orgId}, true), set_config('app.user_id', ${ctx.userId ?? ""}, true)`;
}

/** A Prisma client whose every model query runs in the organization's context. */
export function tenantClient(prisma: PrismaClient, ctx: TenantContext) {
  return prisma.$extends({
    query: {
      $allModels: {
        async $allOperations({ args, query }) {
          const [, result] = await prisma.$transaction([setContextSql(prisma, ctx), query(args)]);
          return result;
        },
      },
    },
  });
}

export type TenantClient = ReturnType<typeof tenantClient>;

/** Runs `fn` in one interactive transaction in the organization's context (for multi-step writes). */
export async function inTenantTransaction<T>(
  prisma: PrismaClient,
  ctx: TenantContext,
  fn: (tx: TenantTx) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await setContextSql(tx, ctx);
      return fn(tx);
    },
    { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000 },
  );
}

/** Runs `fn` with only the user known (listing one's own organizations, creating one). */
export async function inUserTransaction<T>(prisma: PrismaClient, userId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.user_id', ${userId}, true)`;
    return fn(tx);
  });
}

export interface ActingMembership {
  orgId: string;
  orgSlug: string;
  orgName: string;
  userId: string;
  role: Role;
}

/** What a domain function receives: who acts, for which organization, and the scoped client. */
export class TenantScope {
  readonly db: TenantClient;
  constructor(
    readonly prisma: PrismaClient,
    readonly membership: ActingMembership,
  ) {
    this.db = tenantClient(prisma, this.context);
  }
  get orgId(): string {
    return this.membership.orgId;
  }
  get userId(): string {
    return this.membership.userId;
  }
  get context(): TenantContext {
    return { orgId: this.membership.orgId, userId: this.membership.userId };
  }
  can(action: Action): boolean {
    return can(this.membership.role, action);
  }
  assert(action: Action): void {
    assertAllowed(this.membership.role, action);
  }
  transaction<T>(fn: (tx: TenantTx) => Promise<T>, options?: { timeoutMs?: number }): Promise<T> {
    return inTenantTransaction(this.prisma, this.context, fn, options);
  }
}
