/** Layer 1 - Container images. Add one import and one entry per check. */
import type { Check } from "@/lib/engine/model/check";
import { runAsRoot } from "@/lib/engine/checks/1-images/run-as-root";
import { imageTag } from "@/lib/engine/checks/1-images/image-tag";
import { allowedRegistries } from "@/lib/engine/checks/1-images/allowed-registries";
import { readOnlyRootFilesystem } from "@/lib/engine/checks/1-images/read-only-root-filesystem";
import { privilegeEscalation } from "@/lib/engine/checks/1-images/privilege-escalation";
import { vulnerabilityScanning } from "@/lib/engine/checks/1-images/vulnerability-scanning";
import { criticalVulnerabilities } from "@/lib/engine/checks/1-images/critical-vulnerabilities";
import { highVulnerabilities } from "@/lib/engine/checks/1-images/high-vulnerabilities";
import { imageSignatureVerification } from "@/lib/engine/checks/1-images/image-signature-verification";
import { minimalBaseImage } from "@/lib/engine/checks/1-images/minimal-base-image";
import { baseImageEndOfLife } from "@/lib/engine/checks/1-images/base-image-end-of-life";

export const layer1Checks: readonly Check[] = [
  runAsRoot,
  imageTag,
  allowedRegistries,
  readOnlyRootFilesystem,
  privilegeEscalation,
  vulnerabilityScanning,
  criticalVulnerabilities,
  highVulnerabilities,
  imageSignatureVerification,
  minimalBaseImage,
  baseImageEndOfLife,
];
