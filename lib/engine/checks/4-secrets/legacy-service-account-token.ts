import { defineCheck, fail, notApplicable, pass, verdict } from "@/lib/engine/checks/define";
import { annotationsOf, asArray, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

const TOKEN_TYPE = "kubernetes.io/service-account-token";

/** Minor version of a "v1.31.2-eks-..." string; undefined when unknown (then taken as current: 1.24+). */
function minorVersion(version: string | undefined): number | undefined {
  const m = version ? /^v?(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return undefined;
  return Number(m[1]) > 1 ? 1000 : Number(m[2]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The name the token controller gave the Secrets it created before 1.24: <serviceaccount>-token-<5 chars>. */
function isGeneratedTokenName(secretName: string, serviceAccount: string): boolean {
  return new RegExp(`^${escapeRegExp(serviceAccount)}-token-[a-z0-9]{5}$`).test(secretName);
}

export const legacyServiceAccountToken = defineCheck({
  id: "legacy-service-account-token",
  title: "No long-lived service account token Secrets",
  layer: 4,
  severity: "medium",
  scope: "rbac",
  why: "A Secret of type kubernetes.io/service-account-token holds a bearer token that never expires and is not bound to a pod: whoever reads it once (a Secret reader, a backup, a CI log) keeps the service account's permissions until someone deletes the Secret. Since Kubernetes 1.24 pods get short-lived projected tokens; the Secrets that remain are leftovers of older clusters or tokens created by hand.",
  references: { nsa: ["Authentication and authorization"] },
  needs: [{ group: "", resource: "serviceaccounts" }, { group: "", resource: "secrets", optional: true }],
  evaluate(ctx) {
    const inv = ctx.inventory;
    const modern = (minorVersion(ctx.cluster.kubernetesVersion) ?? 1000) >= 24;
    const secrets = ctx.canSee("", "secrets") ? inv.ofType("", "Secret") : [];
    const secretNames = new Set(secrets.map((s) => `${inv.namespaceOf(s) ?? ""}/${s.metadata.name}`));

    for (const s of secrets) {
      const ns = inv.namespaceOf(s);
      if (inv.isSkippedNamespace(ns) || asString((s as UnknownRecord).type) !== TOKEN_TYPE) continue;
      const sa = annotationsOf(s)["kubernetes.io/service-account.name"] ?? "?";
      // Before 1.24 the token controller created one per service account: expected, not a choice.
      if (!modern && isGeneratedTokenName(s.metadata.name, sa)) {
        ctx.record({ resource: s }, notApplicable());
        continue;
      }
      ctx.record({ resource: s }, fail("type", `long-lived token Secret for service account ${sa}: it never expires; use short-lived tokens (projected volumes, kubectl create token) and delete it`));
    }

    for (const sa of inv.ofType("", "ServiceAccount")) {
      const ns = inv.namespaceOf(sa);
      if (inv.isSkippedNamespace(ns)) continue;
      // Before 1.24 every service account got one; OpenShift before 4.16 still creates them for its pull secrets.
      if (!modern || ctx.cluster.provider === "openshift") {
        ctx.record({ resource: sa }, notApplicable());
        continue;
      }
      const violations: Violation[] = [];
      asArray((sa as UnknownRecord).secrets).forEach((entry, i) => {
        const name = asString(asRecord(entry)?.name);
        if (!name || secretNames.has(`${ns ?? ""}/${name}`)) return; // the Secret itself is judged above
        if (!isGeneratedTokenName(name, sa.metadata.name)) return;
        violations.push({ path: `secrets[${i}]`, message: `references legacy token Secret ${name}, created before Kubernetes 1.24: a non-expiring token that still works; delete it if nothing uses it` });
      });
      ctx.record({ resource: sa }, violations.length > 0 ? verdict(violations) : pass());
    }
  },
  guide: `
Find the remaining legacy tokens, check whether anything still uses them, then delete them. Kubernetes 1.26+ records the last use in the \`kubernetes.io/legacy-token-last-used\` label, and 1.29+ invalidates unused ones (LegacyServiceAccountTokenCleanUp). Replace the ones in use with short-lived tokens.

## Fix

~~~sh
# legacy token Secrets and when they were last used
kubectl get secrets -A --field-selector type=kubernetes.io/service-account-token \\
  -L kubernetes.io/legacy-token-last-used
kubectl -n <namespace> delete secret <serviceaccount>-token-<id>
# remove the stale reference from the service account
kubectl -n <namespace> patch serviceaccount <serviceaccount> --type json -p '[{"op":"remove","path":"/secrets"}]'
# an external system that needs a token: a short-lived one, renewed by the caller
kubectl -n <namespace> create token <serviceaccount> --duration 1h
~~~

Pods get short-lived tokens through the projected volume Kubernetes mounts by default, or explicitly:

~~~yaml
volumes:
  - name: api-token
    projected:
      sources:
        - serviceAccountToken:
            path: token
            expirationSeconds: 3600
            audience: my-api
~~~

## Prevent

Reject new token Secrets, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-legacy-service-account-tokens
spec:
  rules:
    - name: no-token-secrets
      match:
        any:
          - resources:
              kinds: [Secret]
      validate:
        failureAction: Enforce
        message: "Long-lived service account tokens are not allowed: use kubectl create token or projected tokens."
        deny:
          conditions:
            any:
              - {key: "{{ request.object.type || '' }}", operator: Equals, value: kubernetes.io/service-account-token}
~~~
`,
});
