/** Layer 2 - RBAC and admission control. Add one import and one entry per check. */
import type { Check } from "@/lib/engine/model/check";
import { privilegedContainer } from "@/lib/engine/checks/2-rbac-admission/privileged-container";
import { hostNamespaces } from "@/lib/engine/checks/2-rbac-admission/host-namespaces";
import { clusterAdminBinding } from "@/lib/engine/checks/2-rbac-admission/cluster-admin-binding";
import { hostPathVolume } from "@/lib/engine/checks/2-rbac-admission/host-path-volume";
import { dangerousCapabilities } from "@/lib/engine/checks/2-rbac-admission/dangerous-capabilities";
import { capabilitiesDropAll } from "@/lib/engine/checks/2-rbac-admission/capabilities-drop-all";
import { seccompProfile } from "@/lib/engine/checks/2-rbac-admission/seccomp-profile";
import { apparmorProfile } from "@/lib/engine/checks/2-rbac-admission/apparmor-profile";
import { selinuxOptions } from "@/lib/engine/checks/2-rbac-admission/selinux-options";
import { procMount } from "@/lib/engine/checks/2-rbac-admission/proc-mount";
import { unsafeSysctls } from "@/lib/engine/checks/2-rbac-admission/unsafe-sysctls";
import { restrictedVolumeTypes } from "@/lib/engine/checks/2-rbac-admission/restricted-volume-types";
import { windowsHostProcess } from "@/lib/engine/checks/2-rbac-admission/windows-host-process";
import { defaultServiceAccount } from "@/lib/engine/checks/2-rbac-admission/default-service-account";
import { serviceAccountTokenAutomount } from "@/lib/engine/checks/2-rbac-admission/service-account-token-automount";
import { rbacWildcardRules } from "@/lib/engine/checks/2-rbac-admission/rbac-wildcard-rules";
import { rbacSecretsAccess } from "@/lib/engine/checks/2-rbac-admission/rbac-secrets-access";
import { rbacEscalateBindImpersonate } from "@/lib/engine/checks/2-rbac-admission/rbac-escalate-bind-impersonate";
import { rbacPodExec } from "@/lib/engine/checks/2-rbac-admission/rbac-pod-exec";
import { rbacPodCreate } from "@/lib/engine/checks/2-rbac-admission/rbac-pod-create";
import { rbacAnonymousAccess } from "@/lib/engine/checks/2-rbac-admission/rbac-anonymous-access";
import { rbacAuthenticatedAccess } from "@/lib/engine/checks/2-rbac-admission/rbac-authenticated-access";
import { podSecurityAdmission } from "@/lib/engine/checks/2-rbac-admission/pod-security-admission";
import { admissionPolicyEnforcement } from "@/lib/engine/checks/2-rbac-admission/admission-policy-enforcement";
import { policyWebhookFailureMode } from "@/lib/engine/checks/2-rbac-admission/policy-webhook-failure-mode";

export const layer2Checks: readonly Check[] = [
  privilegedContainer,
  hostNamespaces,
  clusterAdminBinding,
  hostPathVolume,
  dangerousCapabilities,
  capabilitiesDropAll,
  seccompProfile,
  apparmorProfile,
  selinuxOptions,
  procMount,
  unsafeSysctls,
  restrictedVolumeTypes,
  windowsHostProcess,
  defaultServiceAccount,
  serviceAccountTokenAutomount,
  rbacWildcardRules,
  rbacSecretsAccess,
  rbacEscalateBindImpersonate,
  rbacPodExec,
  rbacPodCreate,
  rbacAnonymousAccess,
  rbacAuthenticatedAccess,
  podSecurityAdmission,
  admissionPolicyEnforcement,
  policyWebhookFailureMode,
];
