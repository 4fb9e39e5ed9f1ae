/**
 * Check fixtures: `<id>.pass.yaml`, `<id>.fail.yaml` and optionally `<id>.unknown.yaml`
 * beside each check. A fixture is a manifest file; an optional first document of kind
 * `FixtureOptions` (apiVersion ramparts.dev/v1) sets the cluster, the coverage, engine
 * options and, in fail fixtures, the exact failures expected. See docs/checks.md.
 */
import { z } from "zod";
import { coverageEntrySchema, providerNameSchema } from "@/lib/snapshot/schema";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { InputError } from "@/lib/engine/inputs/input-error";
import { exceptionRuleSchema } from "@/lib/engine/exceptions/exception-rule";
import type { EngineInput } from "@/lib/engine/model/engine-input";

export const expectedFailureSchema = z
  .object({
    kind: z.string().min(1),
    namespace: z.string().optional(),
    name: z.string().min(1),
    container: z.string().optional(),
    path: z.string().min(1),
  })
  .strict();
export type ExpectedFailure = z.infer<typeof expectedFailureSchema>;

const fixtureOptionsSchema = z
  .object({
    apiVersion: z.literal("ramparts.dev/v1"),
    kind: z.literal("FixtureOptions"),
    metadata: z.object({ name: z.string() }).passthrough(),
    cluster: z.object({ provider: providerNameSchema.optional(), kubernetesVersion: z.string().optional() }).strict().optional(),
    /** Present: a live snapshot (lists not named here count as not collected). Absent: manifests (closed world). */
    coverage: z.array(coverageEntrySchema).optional(),
    options: z
      .object({ allowedRegistries: z.array(z.string()).optional(), skipNamespaces: z.array(z.string()).optional() })
      .strict()
      .optional(),
    exceptions: z.array(exceptionRuleSchema).optional(),
    expect: z.array(expectedFailureSchema).optional(),
  })
  .strict();

export interface Fixture {
  input: EngineInput;
  options: { allowedRegistries?: string[]; skipNamespaces?: string[]; exceptions?: z.infer<typeof exceptionRuleSchema>[] };
  expect: ExpectedFailure[] | undefined;
}

export function parseFixture(text: string, file: string): Fixture {
  const parsed = parseManifests(text, file);
  const optionIndex = parsed.objects.findIndex((o) => o.kind === "FixtureOptions" && o.apiVersion === "ramparts.dev/v1");
  let options: z.infer<typeof fixtureOptionsSchema> | undefined;
  if (optionIndex !== -1) {
    const result = fixtureOptionsSchema.safeParse(parsed.objects[optionIndex]);
    if (!result.success) throw new InputError(file, `invalid FixtureOptions: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    options = result.data;
  }
  const keep = (_: unknown, i: number) => i !== optionIndex;
  const input: EngineInput = {
    objects: parsed.objects.filter(keep),
    sources: parsed.sources.filter(keep),
    warnings: parsed.warnings,
  };
  if (options?.coverage) input.coverage = options.coverage;
  if (options?.cluster) input.cluster = { ...options.cluster };
  return {
    input,
    options: { ...options?.options, ...(options?.exceptions ? { exceptions: options.exceptions } : {}) },
    expect: options?.expect,
  };
}
