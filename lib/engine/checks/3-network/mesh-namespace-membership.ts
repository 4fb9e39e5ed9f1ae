import { defineNamespaceCheck, fail, pass } from "@/lib/engine/checks/define";
import { joinPath } from "@/lib/engine/model/kube";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";
import type { CheckContext } from "@/lib/engine/model/check";
import { workloadsIn } from "@/lib/engine/checks/helpers/namespace-index";
import { canJoinMesh, detectMeshes, namespaceMesh, namespaceOptOut, webhookBackendNamespaces, workloadOptsIn } from "@/lib/engine/checks/helpers/service-mesh";

const webhookCache = new WeakMap<object, Set<string>>();

/**
 * Namespaces a mesh is expected to cover: with workloads that can join it, and neither the mesh's
 * own control plane nor a namespace serving admission webhooks (the API server calls those
 * without a mesh identity, so meshes document leaving them out).
 */
function expectedInMesh(ns: NamespaceInfo, ctx: CheckContext): boolean {
  if (ns.workloadCount === 0) return false;
  const mesh = detectMeshes(ctx);
  if (!mesh.istio && !mesh.linkerd) return false;
  if (mesh.controlPlaneNamespaces.has(ns.name)) return false;
  let webhooks = webhookCache.get(ctx.inventory);
  if (!webhooks) {
    webhooks = webhookBackendNamespaces(ctx.inventory);
    webhookCache.set(ctx.inventory, webhooks);
  }
  if (webhooks.has(ns.name)) return false;
  // Node agents (DaemonSets, host-network pods) do not join a mesh.
  return workloadsIn(ctx.inventory, ns.name).some((w) => w.kind !== "DaemonSet" && canJoinMesh(w));
}

export const meshNamespaceMembership = defineNamespaceCheck({
  id: "mesh-namespace-membership",
  title: "Application namespaces are enrolled in the service mesh",
  layer: 3,
  severity: "medium",
  scope: "namespace",
  why: "A mesh only protects the pods it injects: a namespace without the injection label runs plain pods that send and accept unencrypted, unauthenticated traffic, and mesh authorization policies cannot identify them. Attackers in such a namespace can sniff or spoof traffic that the rest of the cluster believes is mutually authenticated.",
  references: { nsa: ["Network separation and hardening: encryption"] },
  needs: [{ group: "", resource: "namespaces" }, { group: "", resource: "pods", optional: true }, { group: "admissionregistration.k8s.io", resource: "validatingwebhookconfigurations", optional: true }],
  appliesTo: expectedInMesh,
  evaluateNamespace(ns, ctx) {
    if (namespaceMesh(ns)) return pass();
    const optOut = namespaceOptOut(ns);
    if (optOut) return fail(optOut.path, optOut.message);
    // Every workload opted in one by one (pod labels, annotations, or proxies seen in running pods).
    const members = workloadsIn(ctx.inventory, ns.name).filter((w) => w.kind !== "DaemonSet" && canJoinMesh(w));
    if (members.every((w) => workloadOptsIn(w, ctx.inventory) !== undefined)) return pass();
    const mesh = detectMeshes(ctx);
    if (mesh.istio) {
      return fail(
        joinPath("metadata.labels", "istio-injection"),
        `namespace ${ns.name} is not in the Istio mesh: no istio-injection=enabled, istio.io/rev or istio.io/dataplane-mode=ambient label`,
      );
    }
    return fail(joinPath("metadata.annotations", "linkerd.io/inject"), `namespace ${ns.name} is not in the Linkerd mesh: no linkerd.io/inject: enabled annotation`);
  },
  guide: `
Enroll the namespace, then restart its workloads so the proxies are injected (ambient mode needs no restart). Namespaces that serve admission webhooks, the mesh's own namespaces and node agents (DaemonSets, host-network pods) are not expected in the mesh. Exempt a namespace that must stay out on purpose with \`ramparts.dev/exempt: mesh-namespace-membership\` and say why.

## Fix

~~~sh
# Istio, sidecar mode (or istio.io/rev=<revision> with revisioned control planes)
kubectl label namespace <namespace> istio-injection=enabled --overwrite
# Istio, ambient mode
kubectl label namespace <namespace> istio.io/dataplane-mode=ambient
# Linkerd
kubectl annotate namespace <namespace> linkerd.io/inject=enabled --overwrite

kubectl -n <namespace> rollout restart deployment,statefulset,daemonset
~~~

~~~yaml
apiVersion: v1
kind: Namespace
metadata:
  name: <namespace>
  labels:
    istio-injection: enabled
~~~

## Prevent

Require the label on application namespaces with Kyverno (adjust the exclusions to your platform namespaces):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-mesh-injection
spec:
  rules:
    - name: namespace-in-mesh
      match:
        any:
          - resources:
              kinds: [Namespace]
      exclude:
        any:
          - resources:
              names: [kube-system, kube-public, kube-node-lease, istio-system]
      validate:
        failureAction: Enforce
        message: "Application namespaces must be enrolled in the mesh (istio-injection=enabled or istio.io/dataplane-mode=ambient)."
        anyPattern:
          - metadata:
              labels:
                istio-injection: enabled
          - metadata:
              labels:
                istio.io/dataplane-mode: ambient
          - metadata:
              labels:
                istio.io/rev: "?*"
~~~

\`istioctl analyze\` reports the same gap as IST0102.
`,
});
