/**
 * The check catalog: every check, in layer order. Checks are registered in their
 * layer's index.ts (one line each), so engineers adding checks to different layers
 * never edit the same file.
 */
import type { Check } from "@/lib/engine/model/check";
import { layer1Checks } from "@/lib/engine/checks/1-images";
import { layer2Checks } from "@/lib/engine/checks/2-rbac-admission";
import { layer3Checks } from "@/lib/engine/checks/3-network";
import { layer4Checks } from "@/lib/engine/checks/4-secrets";
import { layer5Checks } from "@/lib/engine/checks/5-runtime-audit";
import { layer6Checks } from "@/lib/engine/checks/6-supply-chain";

export const ALL_CHECKS: readonly Check[] = [...layer1Checks, ...layer2Checks, ...layer3Checks, ...layer4Checks, ...layer5Checks, ...layer6Checks];

const BY_ID = new Map(ALL_CHECKS.map((c) => [c.id, c]));

export function checkById(id: string): Check | undefined {
  return BY_ID.get(id);
}
