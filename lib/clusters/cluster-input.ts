import { z } from "zod";

export const clusterNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(63, "Name must be at most 63 characters")
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "Use lowercase letters, digits, dots and hyphens, like prod-eu-1");

export const environmentSchema = z
  .string()
  .trim()
  .min(1, "Environment is required")
  .max(32, "Environment must be at most 32 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _-]*$/, "Use letters, digits, spaces, _ and -");

export const registerClusterInput = z.object({
  name: clusterNameSchema,
  environment: environmentSchema.default("production"),
  /** Minutes between agent runs (the CronJob schedule): 15 minutes to 1 day. */
  scheduleMinutes: z.coerce.number().int().min(15).max(1440).default(360),
});
export type RegisterClusterInput = z.input<typeof registerClusterInput>;
