/** Layer 6 - Supply chain and CI/CD. Add one import and one entry per check. */
import type { Check } from "@/lib/engine/model/check";
import { imageDigest } from "@/lib/engine/checks/6-supply-chain/image-digest";
import { imageProvenanceVerification } from "@/lib/engine/checks/6-supply-chain/image-provenance-verification";
import { gitopsSourceVerification } from "@/lib/engine/checks/6-supply-chain/gitops-source-verification";
import { gitopsProjectScope } from "@/lib/engine/checks/6-supply-chain/gitops-project-scope";
import { ciRunnerIsolation } from "@/lib/engine/checks/6-supply-chain/ci-runner-isolation";

export const layer6Checks: readonly Check[] = [
  imageDigest,
  imageProvenanceVerification,
  gitopsSourceVerification,
  gitopsProjectScope,
  ciRunnerIsolation,
];
