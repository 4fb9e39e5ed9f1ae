import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, notApplicable, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckContext } from "@/lib/engine/model/check";
import type { Workload } from "@/lib/engine/inventory/workloads";

const CSI_DRIVER = "secrets-store.csi.k8s.io";
const VAULT_INJECT = "vault.hashicorp.com/agent-inject";

/** Operators that sync secrets from an external manager into the cluster, by API group and kind. */
const SYNC_KINDS: readonly { group: string; kind: string; tool: string }[] = [
  { group: "secrets.hashicorp.com", kind: "VaultStaticSecret", tool: "Vault Secrets Operator" },
  { group: "secrets.hashicorp.com", kind: "VaultDynamicSecret", tool: "Vault Secrets Operator" },
  { group: "secrets.hashicorp.com", kind: "VaultPKISecret", tool: "Vault Secrets Operator" },
  { group: "secrets.infisical.com", kind: "InfisicalSecret", tool: "Infisical operator" },
  { group: "onepassword.com", kind: "OnePasswordItem", tool: "1Password operator" },
  { group: "secrets.doppler.com", kind: "DopplerSecret", tool: "Doppler operator" },
];

/** Lists whose content can prove use; when one could not be read, absence is not proof. */
const SOURCES = [
  { group: "external-secrets.io", resource: "externalsecrets" },
  { group: "external-secrets.io", resource: "clusterexternalsecrets" },
  { group: "secrets.hashicorp.com", resource: "vaultstaticsecrets" },
  { group: "secrets.hashicorp.com", resource: "vaultdynamicsecrets" },
  { group: "", resource: "pods" },
] as const;

type ReadyState = "ready" | "not-ready" | "declared";

/** ExternalSecret / ClusterExternalSecret readiness. Without status (manifests) the object is only declared. */
function readyState(obj: KubeObject): ReadyState {
  const status = asRecord((obj as UnknownRecord).status);
  const conditions = asArray(status?.conditions);
  if (!status || conditions.length === 0) return "declared";
  const ready = conditions.map(asRecord).find((c) => c?.type === "Ready");
  return asString(ready?.status) === "True" ? "ready" : "not-ready";
}

/** Does the workload consume credentials from Secrets (volumes, projected volumes, env)? */
function consumesSecrets(w: Workload, ctx: CheckContext): boolean {
  for (const v of asArray(w.podSpec.volumes)) {
    const vol = asRecord(v);
    if (asRecord(vol?.secret)) return true;
    if (asArray(asRecord(vol?.projected)?.sources).some((s) => asRecord(asRecord(s)?.secret) !== undefined)) return true;
  }
  return ctx.inventory.containersOf(w).some(
    (c) => asArray(c.container.env).some((e) => asRecord(asRecord(asRecord(e)?.valueFrom)?.secretKeyRef) !== undefined) || asArray(c.container.envFrom).some((e) => asRecord(asRecord(e)?.secretRef) !== undefined),
  );
}

function usesCsi(w: Workload): boolean {
  return asArray(w.podSpec.volumes).some((v) => asString(asRecord(asRecord(v)?.csi)?.driver) === CSI_DRIVER);
}

function usesVaultAgent(w: Workload): boolean {
  if (w.podAnnotations[VAULT_INJECT] === "true") return true;
  return w.pods.some((p) => p.metadata.annotations?.["vault.hashicorp.com/agent-inject-status"] === "injected");
}

export const externalSecretManager = defineCheck({
  id: "external-secret-manager",
  title: "Secrets come from an external secret manager",
  layer: 4,
  severity: "medium",
  scope: "cluster",
  why: "Kubernetes Secrets created by hand or from CI live only in etcd and in whatever pipeline wrote them: no rotation, no audit of who read them, no single place to revoke a leaked credential, and copies in Git or CI variables. An external manager (Vault, AWS Secrets Manager, GCP Secret Manager, Azure Key Vault) keeps the source of truth outside the cluster, with short-lived or rotated values and access logs.",
  references: { cis: ["5.4.2"], nsa: ["Network separation and hardening: secrets"], kubescape: ["C-0208", "C-0234"] },
  needs: [...SOURCES.map((s) => ({ ...s, optional: true })), { group: "secrets-store.csi.x-k8s.io", resource: "secretproviderclasses", optional: true }],
  evaluate(ctx) {
    const inv = ctx.inventory;
    const eso = [...inv.ofType("external-secrets.io", "ExternalSecret"), ...inv.ofType("external-secrets.io", "ClusterExternalSecret")];
    const ready = eso.find((o) => readyState(o) === "ready") ?? (ctx.mode === "manifests" ? eso.find((o) => readyState(o) === "declared") : undefined);
    if (ready) return ctx.record({ resource: ready }, pass());
    for (const { group, kind } of SYNC_KINDS) {
      const found = inv.ofType(group, kind)[0];
      if (found) return ctx.record({ resource: found }, pass());
    }
    const injected = inv.allWorkloads.find((w) => usesVaultAgent(w) || usesCsi(w));
    if (injected) return ctx.record({ resource: injected.object }, pass());

    if (!inv.workloads.some((w) => consumesSecrets(w, ctx))) {
      ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
      return;
    }
    const unseen = SOURCES.filter((s) => !ctx.canSee(s.group, s.resource)).map((s) => `${s.resource}${s.group ? `.${s.group}` : ""}`);
    if (unseen.length > 0) {
      ctx.record({ resource: CLUSTER_RESOURCE }, unknown(`no external secret manager found, but ${unseen.join(", ")} could not be listed`));
      return;
    }
    const failing = eso[0];
    if (failing) {
      ctx.record({ resource: failing }, fail("status.conditions", `External Secrets Operator is set up, but none of its ${eso.length} ExternalSecret${eso.length === 1 ? " is" : "s are"} Ready: workloads run on Secrets that are not synced from the manager`));
      return;
    }
    ctx.record(
      { resource: CLUSTER_RESOURCE },
      fail(RESOURCE_ITSELF, "workloads read Kubernetes Secrets, but no external secret manager is in use (no Ready ExternalSecret, Vault Agent injection, Vault Secrets Operator resource or Secrets Store CSI volume)"),
    );
  },
  guide: `
Keep credentials in an external manager and sync or mount them into the cluster. Any of these counts: External Secrets Operator (an \`ExternalSecret\` that is Ready), the Vault Agent Injector (\`vault.hashicorp.com/agent-inject: "true"\` on the pod template), the Vault Secrets Operator, the Secrets Store CSI driver (a \`secrets-store.csi.k8s.io\` volume), and the Infisical, 1Password and Doppler operators.

## Fix

With External Secrets Operator and AWS Secrets Manager (IRSA / Pod Identity for the operator's credentials):

~~~yaml
apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: aws-secrets-manager
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: db-credentials
  namespace: <namespace>
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: aws-secrets-manager
  target:
    name: db-credentials        # the Secret the workload mounts
  data:
    - secretKey: password
      remoteRef:
        key: prod/db
        property: password
~~~

~~~sh
kubectl -n <namespace> get externalsecret db-credentials -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'
~~~

or mount straight from the manager with the Secrets Store CSI driver (\`volumes[].csi.driver: secrets-store.csi.k8s.io\` with a \`SecretProviderClass\`).

## Prevent

Make the manager the only way Secrets arrive: deny \`create\`/\`update\` on \`secrets\` to people and CI (RBAC), leaving it to the sync operator's ServiceAccount, and require that Secrets carry the operator's ownership, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: secrets-from-external-manager
spec:
  rules:
    - name: only-synced-secrets
      match:
        any:
          - resources:
              kinds: [Secret]
      exclude:
        any:
          - resources:
              namespaces: [kube-system, external-secrets]
          - subjects:
              - kind: ServiceAccount
                name: external-secrets
                namespace: external-secrets
      validate:
        failureAction: Audit   # also exclude Helm release Secrets, cert-manager certificates and other generated Secrets
        message: "Create Secrets through an ExternalSecret, not by hand."
        pattern:
          metadata:
            labels:
              reconcile.external-secrets.io/managed: "true"
~~~
`,
});
