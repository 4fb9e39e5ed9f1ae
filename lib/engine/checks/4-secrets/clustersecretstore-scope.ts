import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, notApplicable, pass, verdict } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, getIn, joinPath, type UnknownRecord } from "@/lib/engine/model/kube";
import { isEmptySelector, matchesLabelSelector } from "@/lib/engine/model/label-selector";
import type { Violation } from "@/lib/engine/model/check";

/**
 * Namespace names no restriction targets: a condition that admits all of them admits every
 * namespace. Namespaces always carry the kubernetes.io/metadata.name label (Kubernetes 1.21+).
 */
const PROBE_NAMESPACES = ["x", "zz-unrelated-team-0"] as const;
const NAME_LABEL = "kubernetes.io/metadata.name";

/** Keys whose object value is a reference to a Secret or ServiceAccount (besides SecretKeySelectors, which carry `key`). */
const REF_KEY = /(Ref|^serviceAccount)$/;

/**
 * Credential references under spec.provider (Secret keys, ServiceAccounts). CA bundles are
 * left out: they are public material, not the store's identity.
 */
function credentialRefs(value: unknown, key: string, out: UnknownRecord[]): void {
  if (Array.isArray(value)) {
    for (const v of value) credentialRefs(v, key, out);
    return;
  }
  const rec = asRecord(value);
  if (!rec || key === "caProvider") return;
  if (typeof rec.name === "string" && (REF_KEY.test(key) || typeof rec.key === "string")) out.push(rec);
  for (const [k, v] of Object.entries(rec)) credentialRefs(v, k, out);
}

/**
 * ESO "referent authentication": a ClusterSecretStore whose credential references omit their
 * namespace resolves them in the namespace of each ExternalSecret, so every team brings its own
 * credentials and the store cannot hand one team's secrets to another.
 */
function usesReferentAuth(store: KubeObject): boolean {
  const refs: UnknownRecord[] = [];
  credentialRefs(getIn(store, ["spec", "provider"]), "provider", refs);
  return refs.length > 0 && refs.every((r) => !asString(r.namespace));
}

/** ESO matches namespaceRegexes with Go's regexp.MatchString: unanchored. */
function regexMatchesEveryName(pattern: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    return false; // RE2-only syntax: cannot tell, and ESO rejects invalid patterns at admission
  }
  return PROBE_NAMESPACES.every((name) => re.test(name));
}

function selectorMatchesEveryNamespace(selector: unknown): boolean {
  return PROBE_NAMESPACES.every((name) => matchesLabelSelector(selector, { [NAME_LABEL]: name }));
}

/** Violations for the conditions that admit every namespace (ESO ORs conditions and their fields). */
function permissiveConditions(conditions: readonly unknown[]): Violation[] {
  const out: Violation[] = [];
  conditions.forEach((raw, i) => {
    const cond = asRecord(raw);
    if (!cond) return;
    const at = `spec.conditions[${i}]`;
    const selector = cond.namespaceSelector;
    if (asRecord(selector) && selectorMatchesEveryNamespace(selector)) {
      out.push({
        path: `${at}.namespaceSelector`,
        message: isEmptySelector(selector)
          ? `${at}.namespaceSelector is empty ({}), which selects every namespace: the store is open to ExternalSecrets everywhere`
          : `${at}.namespaceSelector matches a namespace with no labels of its own (it only excludes), so any namespace, including a new one, may use the store`,
      });
    }
    asArray(cond.namespaceRegexes).forEach((r, j) => {
      if (typeof r === "string" && regexMatchesEveryName(r)) {
        out.push({ path: joinPath(joinPath(at, "namespaceRegexes"), j), message: `${at}.namespaceRegexes[${j}] "${r}" matches every namespace name: the store is open to ExternalSecrets everywhere` });
      }
    });
  });
  return out;
}

export const clustersecretstoreScope = defineCheck({
  id: "clustersecretstore-scope",
  title: "ClusterSecretStores restrict which namespaces may use them",
  layer: 4,
  severity: "high",
  scope: "cluster",
  why: "A ClusterSecretStore can be referenced by an ExternalSecret in any namespace unless spec.conditions limits it. Anyone who may create an ExternalSecret in some namespace (ESO's chart adds that right to the built-in edit and admin roles) can then copy any secret the store's credentials reach into a Secret they can read: one team exfiltrates another team's database passwords and cloud keys, or writes into the manager with a PushSecret.",
  references: {},
  needs: [{ group: "external-secrets.io", resource: "clustersecretstores" }],
  evaluate(ctx) {
    const stores = ctx.inventory.ofType("external-secrets.io", "ClusterSecretStore");
    if (stores.length === 0) {
      ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
      return;
    }
    for (const store of stores) {
      if (usesReferentAuth(store)) {
        ctx.record({ resource: store }, pass());
        continue;
      }
      const conditions = asArray(getIn(store, ["spec", "conditions"]));
      if (conditions.length === 0) {
        ctx.record({ resource: store }, verdict([{ path: "spec.conditions", message: "no spec.conditions: an ExternalSecret in any namespace can read every secret this store's credentials reach" }]));
        continue;
      }
      ctx.record({ resource: store }, verdict(permissiveConditions(conditions)));
    }
  },
  guide: `
Evaluated: every ClusterSecretStore of External Secrets Operator. It fails when \`spec.conditions\` is missing or empty, or when one of its conditions admits every namespace: an empty \`namespaceSelector: {}\`, a selector made only of \`NotIn\` / \`DoesNotExist\` (a new, unlabelled namespace matches), or a \`namespaceRegexes\` entry such as \`.*\` or \`.+\`. ESO grants access when **any** condition matches, so one open condition opens the store.

Accepted: conditions that list namespaces (\`namespaces\`), select them by label, or match them by a narrower regex; and stores using ESO's referent authentication, where every credential reference (\`secretRef\`, \`serviceAccountRef\`...) omits its namespace, so each ExternalSecret authenticates with credentials from its own namespace. Not applicable when the cluster has no ClusterSecretStore; unknown when ClusterSecretStores could not be listed.

Two things this check does not judge: ESO matches \`namespaceRegexes\` unanchored (\`shop\` also admits \`myshop-evil\`), so anchor them (\`^shop(-.*)?$\`); and a \`namespaceSelector\` on a label that namespace owners can set themselves is only as strong as your control over namespace labels. Prefer \`namespaces\` or the \`kubernetes.io/metadata.name\` label, which the API server sets.

## Fix

Restrict the store to the namespaces that own the secrets it reaches:

~~~yaml
apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: aws-secrets-manager
spec:
  conditions:
    - namespaces: [shop, shop-data]              # exact names
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: billing   # set by the API server, cannot be forged
    - namespaceRegexes: ["^team-a-(dev|prod)$"]  # anchor: ESO matches unanchored
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
      auth:
        jwt:
          serviceAccountRef: {name: external-secrets-shop, namespace: external-secrets}
~~~

Better for multi-team clusters: one namespaced SecretStore per team, with credentials (an IAM role, a Vault role) that reach only that team's secrets:

~~~yaml
apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: aws-secrets-manager
  namespace: shop
spec:
  provider:
    aws:
      service: SecretsManager
      region: eu-west-1
      auth:
        jwt:
          serviceAccountRef: {name: shop-secrets-reader}   # in namespace shop, IRSA role limited to prod/shop/*
~~~

~~~sh
kubectl get clustersecretstores -o custom-columns=NAME:.metadata.name,CONDITIONS:.spec.conditions
~~~

## Prevent

Reject ClusterSecretStores without namespace conditions, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: clustersecretstore-conditions
spec:
  background: true
  rules:
    - name: require-namespace-conditions
      match:
        any:
          - resources:
              kinds: [ClusterSecretStore]
      validate:
        failureAction: Enforce
        message: "ClusterSecretStores must restrict the namespaces that may use them (spec.conditions)."
        deny:
          conditions:
            any:
              - key: "{{ length(request.object.spec.conditions || \`[]\`) }}"
                operator: Equals
                value: 0
~~~

Keep \`create\` on ClusterSecretStores with the platform team, and let application teams create namespaced SecretStores only.
`,
});
