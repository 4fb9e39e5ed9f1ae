/** Concatenates inputs read from several files into one, keeping sources aligned with objects. */
import type { EngineInput, ObjectSource } from "@/lib/engine/model/engine-input";

export function mergeInputs(inputs: readonly EngineInput[]): EngineInput {
  if (inputs.length === 1) return inputs[0]!;
  const merged: EngineInput = { objects: [], sources: [], warnings: [] };
  const sources = merged.sources as (ObjectSource | undefined)[];
  for (const input of inputs) {
    const base = merged.objects.length;
    for (let i = 0; i < input.objects.length; i++) {
      merged.objects.push(input.objects[i]!);
      sources[base + i] = input.sources?.[i];
    }
    if (input.warnings) merged.warnings!.push(...input.warnings);
    if (input.coverage) merged.coverage = [...(merged.coverage ?? []), ...input.coverage];
    if (input.cluster && !merged.cluster) merged.cluster = input.cluster;
  }
  return merged;
}
