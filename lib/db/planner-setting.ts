import type { TenantTx } from "@/lib/tenancy/tenant-db";

/**
 * Runs `fn` with a planner setting changed for this transaction only, then puts it back. Findings
 * are bulk-inserted just before anyone looks: until the table is analyzed again, the planner's
 * statistics say a snapshot has a few rows, and it picks plans that are ruinous on 50,000.
 */
export async function withPlannerSetting<T>(tx: TenantTx, name: "enable_sort" | "enable_nestloop", value: "on" | "off", fn: () => Promise<T>): Promise<T> {
  const [{ was }] = (await tx.$queryRaw<{ was: string }[]>`SELECT current_setting(${name}) AS was`) as [{ was: string }];
  await tx.$queryRaw`SELECT set_config(${name}, ${value}, true)`;
  try {
    return await fn();
  } finally {
    await tx.$queryRaw`SELECT set_config(${name}, ${was}, true)`;
  }
}
