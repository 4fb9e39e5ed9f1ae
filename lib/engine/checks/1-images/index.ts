/** Layer 1 - Container images. Add one import and one entry per check. */
import type { Check } from "@/lib/engine/model/check";
import { runAsRoot } from "@/lib/engine/checks/1-images/run-as-root";

export const layer1Checks: readonly Check[] = [
  runAsRoot,
];
