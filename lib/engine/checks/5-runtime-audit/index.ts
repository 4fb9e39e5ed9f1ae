/** Layer 5 - Runtime threat detection and audit logging. Add one import and one entry per check. */
import type { Check } from "@/lib/engine/model/check";
import { runtimeDetector } from "@/lib/engine/checks/5-runtime-audit/runtime-detector";
import { runtimeDetectionPolicies } from "@/lib/engine/checks/5-runtime-audit/runtime-detection-policies";
import { networkFlowVisibility } from "@/lib/engine/checks/5-runtime-audit/network-flow-visibility";
import { auditLogging } from "@/lib/engine/checks/5-runtime-audit/audit-logging";
import { runtimeDetectorCoverage } from "@/lib/engine/checks/5-runtime-audit/runtime-detector-coverage";

export const layer5Checks: readonly Check[] = [
  runtimeDetector,
  runtimeDetectionPolicies,
  networkFlowVisibility,
  auditLogging,
  runtimeDetectorCoverage,
];
