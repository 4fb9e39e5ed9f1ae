import type { KubeObject } from "@/lib/snapshot/schema";
import { defineCheck, fail, pass, RESOURCE_ITSELF, unknown, verdict } from "@/lib/engine/checks/define";
import { asRecord, asString, joinPath, type UnknownRecord } from "@/lib/engine/model/kube";
import { isEmptySelector } from "@/lib/engine/model/label-selector";
import type { CheckContext, CheckOutcome, Violation } from "@/lib/engine/model/check";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";
import { detectMeshes, namespaceMesh } from "@/lib/engine/checks/helpers/service-mesh";
import { objectsIn } from "@/lib/engine/checks/helpers/namespace-index";

type Mode = "STRICT" | "PERMISSIVE" | "DISABLE" | "UNSET";

function modeOf(mtls: unknown): Mode {
  const m = asString(asRecord(mtls)?.mode)?.toUpperCase();
  return m === "STRICT" || m === "PERMISSIVE" || m === "DISABLE" ? m : "UNSET";
}

/** A PeerAuthentication without selector (or with an empty one) covers its whole namespace. */
function isNamespaceWide(pa: KubeObject): boolean {
  const selector = asRecord((pa as UnknownRecord).spec)?.selector;
  return selector === undefined || selector === null || isEmptySelector(selector);
}

/** Istio applies the oldest policy when several namespace-wide ones exist. */
function oldest(objs: KubeObject[]): KubeObject | undefined {
  return [...objs].sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name.localeCompare(b.metadata.name))[0];
}

function ref(o: KubeObject, ctx: CheckContext): string {
  return `${ctx.inventory.namespaceOf(o) ?? ""}/${o.metadata.name}`;
}

export const meshMtlsStrict = defineCheck({
  id: "mesh-mtls-strict",
  title: "Istio requires mutual TLS (PeerAuthentication STRICT)",
  layer: 3,
  severity: "high",
  scope: "namespace",
  why: "Istio's default, PERMISSIVE, accepts plaintext next to mutual TLS: any pod outside the mesh, or an attacker on the pod network, can call meshed services without a certificate, and identity-based authorization cannot tell who is calling. STRICT makes every connection mutually authenticated and encrypted; DISABLE and PERMISSIVE overrides on workloads or ports reopen the plaintext path.",
  references: { nsa: ["Network separation and hardening: encryption"] },
  needs: [{ group: "security.istio.io", resource: "peerauthentications", optional: true }, { group: "", resource: "namespaces", optional: true }],
  evaluate(ctx) {
    const inv = ctx.inventory;
    const meshed = inv.namespaces.filter((ns) => ns.workloadCount > 0 && namespaceMesh(ns)?.mesh === "istio");
    if (meshed.length === 0) return;
    if (!ctx.canSee("security.istio.io", "peerauthentications")) {
      for (const ns of meshed) ctx.record({ resource: ns.object ?? ns.ref }, unknown(`PeerAuthentications could not be listed (${ctx.visibility("security.istio.io", "peerauthentications")})`));
      return;
    }
    const root = detectMeshes(ctx).istioRootNamespace;
    const inNs = (name: string) => objectsIn(inv, "security.istio.io", "PeerAuthentication", name);
    const meshWide = oldest(inNs(root).filter(isNamespaceWide));
    for (const ns of meshed) {
      const nsWide = oldest(inNs(ns.name).filter(isNamespaceWide));
      const outcome = namespaceOutcome(ns, nsWide, meshWide, root, ctx);
      ctx.record({ resource: outcome.subject }, outcome.outcome);
      // Workload-level overrides: a selector policy can lower the mode for some pods or ports.
      for (const pa of inNs(ns.name)) {
        if (!isNamespaceWide(pa)) ctx.record({ resource: pa }, workloadPolicyOutcome(pa));
      }
    }
  },
  guide: `
Turn on STRICT mesh-wide with a selector-less PeerAuthentication in the root namespace (\`istio-system\`), then remove PERMISSIVE or DISABLE from namespace, workload and port-level policies. Migrate with the Kiali or \`istioctl x describe\` view of plaintext traffic first: workloads outside the mesh lose access once STRICT is on.

## Fix

~~~yaml
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system     # the mesh root namespace: applies to every namespace
spec:
  mtls:
    mode: STRICT
~~~

Per namespace, when the mesh-wide default cannot change yet:

~~~yaml
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: <namespace>
spec:
  mtls:
    mode: STRICT
~~~

List what lowers it:

~~~sh
kubectl get peerauthentication -A -o json | jq -r '.items[] | select(.spec.mtls.mode != "STRICT" or ([.spec.portLevelMtls[]?.mode] | any(. != "STRICT"))) | "\\(.metadata.namespace)/\\(.metadata.name)"'
~~~

## Prevent

Reject PeerAuthentications that allow plaintext, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: peerauthentication-strict
spec:
  rules:
    - name: no-plaintext
      match:
        any:
          - resources:
              kinds: [security.istio.io/v1/PeerAuthentication, security.istio.io/v1beta1/PeerAuthentication]
      validate:
        failureAction: Enforce
        message: "PeerAuthentication must not allow plaintext (PERMISSIVE or DISABLE)."
        deny:
          conditions:
            any:
              - {key: "{{ request.object.spec.mtls.mode || 'UNSET' }}", operator: AnyIn, value: [PERMISSIVE, DISABLE]}
              - {key: "{{ request.object.spec.portLevelMtls.*.mode || \`[]\` }}", operator: AnyIn, value: [PERMISSIVE, DISABLE]}
~~~
`,
});

function namespaceOutcome(
  ns: NamespaceInfo,
  nsWide: KubeObject | undefined,
  meshWide: KubeObject | undefined,
  root: string,
  ctx: CheckContext,
): { subject: KubeObject | NamespaceInfo["ref"]; outcome: CheckOutcome } {
  const nsSubject = ns.object ?? ns.ref;
  const nsMode = nsWide ? modeOf(asRecord((nsWide as UnknownRecord).spec)?.mtls) : "UNSET";
  if (nsWide && nsMode !== "UNSET") {
    if (nsMode === "STRICT") return { subject: nsWide, outcome: pass() };
    return { subject: nsWide, outcome: fail("spec.mtls.mode", `mTLS mode ${nsMode} for namespace ${ns.name}: ${nsMode === "DISABLE" ? "plaintext only" : "plaintext is accepted"}; expected STRICT`) };
  }
  const meshMode = meshWide ? modeOf(asRecord((meshWide as UnknownRecord).spec)?.mtls) : "UNSET";
  if (meshMode === "STRICT") return { subject: nsSubject, outcome: pass() };
  if (meshWide && meshMode !== "UNSET") {
    return {
      subject: nsSubject,
      outcome: fail(RESOURCE_ITSELF, `namespace ${ns.name} inherits mTLS mode ${meshMode} from the mesh-wide PeerAuthentication ${ref(meshWide, ctx)}: plaintext is accepted; set it, or a PeerAuthentication in this namespace, to STRICT`),
    };
  }
  return {
    subject: nsSubject,
    outcome: fail(RESOURCE_ITSELF, `no PeerAuthentication requires STRICT mTLS for namespace ${ns.name} (none without selector in ${root} or in the namespace): Istio's default PERMISSIVE accepts plaintext`),
  };
}

function workloadPolicyOutcome(pa: KubeObject): CheckOutcome {
  const spec = asRecord((pa as UnknownRecord).spec) ?? {};
  const violations: Violation[] = [];
  const mode = modeOf(spec.mtls);
  if (mode === "PERMISSIVE" || mode === "DISABLE") {
    violations.push({ path: "spec.mtls.mode", message: `workload-level PeerAuthentication sets mTLS mode ${mode}: the pods it selects accept plaintext` });
  }
  const ports = asRecord(spec.portLevelMtls) ?? {};
  for (const [port, value] of Object.entries(ports)) {
    const portMode = modeOf(value);
    if (portMode === "PERMISSIVE" || portMode === "DISABLE") {
      violations.push({ path: `${joinPath("spec.portLevelMtls", port)}.mode`, message: `port ${port} is set to mTLS mode ${portMode}: it accepts plaintext` });
    }
  }
  return verdict(violations);
}
