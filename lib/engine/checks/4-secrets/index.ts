/** Layer 4 - Secrets management. Add one import and one entry per check. */
import type { Check } from "@/lib/engine/model/check";
import { etcdEncryption } from "@/lib/engine/checks/4-secrets/etcd-encryption";
import { secretEnvVars } from "@/lib/engine/checks/4-secrets/secret-env-vars";
import { hardcodedEnvSecret } from "@/lib/engine/checks/4-secrets/hardcoded-env-secret";
import { externalSecretManager } from "@/lib/engine/checks/4-secrets/external-secret-manager";
import { legacyServiceAccountToken } from "@/lib/engine/checks/4-secrets/legacy-service-account-token";
import { configmapSensitiveKeys } from "@/lib/engine/checks/4-secrets/configmap-sensitive-keys";
import { clustersecretstoreScope } from "@/lib/engine/checks/4-secrets/clustersecretstore-scope";
import { serviceaccountTokenMinting } from "@/lib/engine/checks/4-secrets/serviceaccount-token-minting";

export const layer4Checks: readonly Check[] = [
  etcdEncryption,
  secretEnvVars,
  hardcodedEnvSecret,
  externalSecretManager,
  legacyServiceAccountToken,
  configmapSensitiveKeys,
  clustersecretstoreScope,
  serviceaccountTokenMinting,
];
