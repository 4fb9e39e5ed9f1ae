import type { KubeObject } from "@/lib/snapshot/schema";
import { defineCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, isRecord, joinPath, type UnknownRecord } from "@/lib/engine/model/kube";
import { isEmptySelector, matchesLabelSelector } from "@/lib/engine/model/label-selector";
import type { CheckContext, CheckOutcome } from "@/lib/engine/model/check";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";
import type { Workload } from "@/lib/engine/inventory/workloads";
import { objectsIn, workloadsIn } from "@/lib/engine/checks/helpers/namespace-index";
import { canJoinMesh, detectMeshes, linkerdClusterDefaultPolicy, namespaceMesh, workloadOutsideMesh } from "@/lib/engine/checks/helpers/service-mesh";

/** Linkerd default inbound policies that deny what no AuthorizationPolicy allows. */
const LINKERD_DENY = "deny";

export const meshAuthorizationPolicy = defineCheck({
  id: "mesh-authorization-policy",
  title: "Meshed workloads deny requests that no authorization policy allows",
  layer: 3,
  severity: "medium",
  scope: "namespace",
  why: "Mutual TLS proves who is calling; only an authorization policy decides who may. Without one, every meshed workload accepts requests from every other identity in the mesh, so one compromised service can call the payment API, the admin endpoints and the databases' proxies. The Istio allow-nothing policy (or Linkerd's deny default) makes each allowed caller an explicit decision.",
  references: { nsa: ["Network separation and hardening: network policies"] },
  needs: [
    { group: "security.istio.io", resource: "authorizationpolicies", optional: true },
    { group: "policy.linkerd.io", resource: "servers", optional: true },
    { group: "", resource: "namespaces", optional: true },
  ],
  evaluate(ctx) {
    const inv = ctx.inventory;
    const root = detectMeshes(ctx).istioRootNamespace;
    for (const ns of inv.namespaces) {
      const mesh = namespaceMesh(ns);
      if (!mesh || ns.workloadCount === 0) continue;
      const members = workloadsIn(inv, ns.name).filter((w) => canJoinMesh(w) && workloadOutsideMesh(w, mesh, inv)?.path === undefined);
      if (members.length === 0) continue;
      const subject = { resource: ns.object ?? ns.ref };
      if (mesh.mesh === "istio") ctx.record(subject, istioOutcome(ns, members, root, ctx, (o) => ctx.record({ resource: o.resource }, o.outcome)));
      else ctx.record(subject, linkerdOutcome(ns, members, ctx));
    }
  },
  guide: `
Deny by default in every meshed namespace, then allow each caller explicitly. In Istio, an ALLOW policy with no rules (the allow-nothing policy) denies everything it selects; any ALLOW policy that selects a workload also denies what it does not match. In Linkerd, set the default inbound policy to \`deny\` and allow traffic with \`Server\` and \`AuthorizationPolicy\` objects.

## Fix

Istio, per namespace (or once in \`istio-system\` for the whole mesh):

~~~yaml
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-nothing
  namespace: <namespace>
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: api-from-web
  namespace: <namespace>
spec:
  selector:
    matchLabels:
      app: api
  action: ALLOW
  rules:
    - from:
        - source:
            principals: ["cluster.local/ns/<namespace>/sa/web"]
      to:
        - operation:
            methods: ["GET", "POST"]
            paths: ["/api/*"]
~~~

Linkerd:

~~~sh
kubectl annotate namespace <namespace> config.linkerd.io/default-inbound-policy=deny --overwrite
kubectl -n <namespace> rollout restart deployment
~~~

~~~yaml
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata:
  name: api-http
  namespace: <namespace>
spec:
  podSelector:
    matchLabels:
      app: api
  port: http
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata:
  name: api-from-web
  namespace: <namespace>
spec:
  targetRef:
    group: policy.linkerd.io
    kind: Server
    name: api-http
  requiredAuthenticationRefs:
    - name: web
      kind: ServiceAccount
~~~

## Prevent

Generate the allow-nothing policy with each namespace that joins the mesh, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-allow-nothing
spec:
  rules:
    - name: allow-nothing
      match:
        any:
          - resources:
              kinds: [Namespace]
              selector:
                matchLabels:
                  istio-injection: enabled
      generate:
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        name: allow-nothing
        namespace: "{{request.object.metadata.name}}"
        synchronize: true
        data:
          spec: {}
~~~

and reject AuthorizationPolicies with an empty rule (\`rules: [{}]\` allows every request).
`,
});

interface Recorded {
  resource: KubeObject;
  outcome: CheckOutcome;
}

/** An Istio policy applies to a workload when it has no selector (or targetRefs, namespace-wide by approximation) or its selector matches. */
function selects(policy: KubeObject, w: Workload): boolean {
  const spec = asRecord((policy as UnknownRecord).spec) ?? {};
  if (spec.selector === undefined || spec.selector === null || isEmptySelector(spec.selector)) return true;
  return matchesLabelSelector(spec.selector, w.podLabels);
}

function actionOf(policy: KubeObject): string {
  return (asString(asRecord((policy as UnknownRecord).spec)?.action) ?? "ALLOW").toUpperCase();
}

/** Index of a rule that matches every request (`{}`), if any. */
function allowAllRule(policy: KubeObject): number {
  return asArray(asRecord((policy as UnknownRecord).spec)?.rules).findIndex((r) => isRecord(r) && Object.keys(r).length === 0);
}

function istioOutcome(ns: NamespaceInfo, members: Workload[], root: string, ctx: CheckContext, recordPolicy: (o: Recorded) => void): CheckOutcome {
  const inv = ctx.inventory;
  if (!ctx.canSee("security.istio.io", "authorizationpolicies")) return unknown(`AuthorizationPolicies could not be listed (${ctx.visibility("security.istio.io", "authorizationpolicies")})`);
  // Root-namespace policies without selector apply to the whole mesh.
  const meshWide = ns.name === root ? [] : objectsIn(inv, "security.istio.io", "AuthorizationPolicy", root).filter((p) => {
    const selector = asRecord((p as UnknownRecord).spec)?.selector;
    return selector === undefined || isEmptySelector(selector);
  });
  const policies = [...objectsIn(inv, "security.istio.io", "AuthorizationPolicy", ns.name), ...meshWide];
  // An ALLOW rule that matches everything cancels the default deny for the workloads it selects.
  let openPolicy: KubeObject | undefined;
  for (const p of policies) {
    if (actionOf(p) !== "ALLOW") continue;
    const at = allowAllRule(p);
    if (at === -1) continue;
    if (inv.namespaceOf(p) === ns.name) recordPolicy({ resource: p, outcome: fail(`spec.rules[${at}]`, "an empty rule ({}) allows every request to the workloads this policy selects") });
    openPolicy ??= p;
  }
  const denied = (w: Workload) =>
    policies.some((p) => selects(p, w) && ((actionOf(p) === "ALLOW" && allowAllRule(p) === -1) || (actionOf(p) === "DENY" && allowAllRule(p) !== -1))) &&
    !policies.some((p) => selects(p, w) && actionOf(p) === "ALLOW" && allowAllRule(p) !== -1);
  const open = members.filter((w) => !denied(w));
  if (open.length === 0) return pass();
  const names = open.slice(0, 3).map((w) => `${w.kind} ${w.name}`).join(", ") + (open.length > 3 ? ", ..." : "");
  const because = openPolicy ? `AuthorizationPolicy ${inv.namespaceOf(openPolicy)}/${openPolicy.metadata.name} allows every request` : "no ALLOW AuthorizationPolicy (such as the allow-nothing policy) selects them";
  return fail(RESOURCE_ITSELF, `${open.length} of ${members.length} meshed workloads in namespace ${ns.name} accept requests from any mesh identity (${names}): ${because}`);
}

function linkerdPolicyOf(w: Workload, ns: NamespaceInfo, clusterDefault: string | undefined): string | undefined {
  return w.podAnnotations["config.linkerd.io/default-inbound-policy"] ?? ns.annotations["config.linkerd.io/default-inbound-policy"] ?? clusterDefault;
}

function linkerdOutcome(ns: NamespaceInfo, members: Workload[], ctx: CheckContext): CheckOutcome {
  const inv = ctx.inventory;
  const servers = objectsIn(inv, "policy.linkerd.io", "Server", ns.name);
  const clusterDefault = linkerdClusterDefaultPolicy(inv);
  // A Server makes the ports it selects deny by default unless its accessPolicy says otherwise.
  const serverDenies = (w: Workload) =>
    servers.some((s) => {
      const spec = asRecord((s as UnknownRecord).spec) ?? {};
      const access = asString(spec.accessPolicy) ?? LINKERD_DENY;
      return access === LINKERD_DENY && matchesLabelSelector(spec.podSelector, w.podLabels);
    });
  const open = members.filter((w) => linkerdPolicyOf(w, ns, clusterDefault) !== LINKERD_DENY && !serverDenies(w));
  if (open.length === 0) return pass();
  if (!ctx.canSee("policy.linkerd.io", "servers")) return unknown(`Linkerd Servers could not be listed (${ctx.visibility("policy.linkerd.io", "servers")})`);
  if (open.some((w) => linkerdPolicyOf(w, ns, clusterDefault) === undefined)) {
    return unknown(`namespace ${ns.name} relies on Linkerd's cluster default inbound policy, which is not in the input (the linkerd policy controller's --default-policy argument)`);
  }
  const current = ns.annotations["config.linkerd.io/default-inbound-policy"] ?? `${clusterDefault} (cluster default)`;
  const names = open.slice(0, 3).map((w) => `${w.kind} ${w.name}`).join(", ") + (open.length > 3 ? ", ..." : "");
  return fail(
    joinPath("metadata.annotations", "config.linkerd.io/default-inbound-policy"),
    `${open.length} of ${members.length} meshed workloads in namespace ${ns.name} accept callers no policy names (${names}): the default inbound policy is ${current} and no Server denies their ports; expected deny`,
  );
}
