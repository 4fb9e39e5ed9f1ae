import { defineWorkloadCheck, fail, pass } from "@/lib/engine/checks/define";
import { canJoinMesh, namespaceMesh, workloadOutsideMesh } from "@/lib/engine/checks/helpers/service-mesh";
import type { Workload } from "@/lib/engine/inventory/workloads";
import type { CheckContext } from "@/lib/engine/model/check";

function inEnrolledNamespace(w: Workload, ctx: CheckContext): boolean {
  const ns = ctx.inventory.namespace(w.namespace);
  return ns !== undefined && namespaceMesh(ns) !== undefined && canJoinMesh(w);
}

export const meshWorkloadMembership = defineWorkloadCheck({
  id: "mesh-workload-membership",
  title: "Workloads in mesh namespaces run with the mesh proxy",
  layer: 3,
  severity: "medium",
  scope: "workload",
  why: "One workload that opts out of injection (sidecar.istio.io/inject: \"false\", linkerd.io/inject: disabled) or whose pods started before injection was enabled talks plaintext inside a namespace everyone believes is encrypted and authenticated. Under STRICT mTLS it cannot be called; under PERMISSIVE it becomes the unauthenticated path into the namespace.",
  references: { nsa: ["Network separation and hardening: encryption"] },
  needs: [{ group: "", resource: "pods" }, { group: "", resource: "namespaces", optional: true }],
  appliesTo: inEnrolledNamespace,
  evaluateWorkload(w, ctx) {
    const ns = ctx.inventory.namespace(w.namespace);
    const mesh = ns ? namespaceMesh(ns) : undefined;
    if (!mesh) return pass();
    const outside = workloadOutsideMesh(w, mesh, ctx.inventory);
    return outside ? fail(outside.path, outside.message) : pass();
  },
  guide: `
Remove the opt-out from the pod template and restart the workload, so every pod gets the proxy. Jobs used to opt out because the sidecar kept them from completing: with native sidecars (Kubernetes 1.29+, Istio 1.19+ \`ENABLE_NATIVE_SIDECARS\`, Linkerd 2.15+ \`config.alpha.linkerd.io/proxy-enable-native-sidecar\`) they finish normally. Host-network pods cannot join a mesh and are not checked.

## Fix

~~~yaml
spec:
  template:
    metadata:
      labels:
        sidecar.istio.io/inject: "true"      # or remove the "false"
      annotations:
        linkerd.io/inject: enabled           # Linkerd: remove "disabled"
~~~

~~~sh
kubectl -n <namespace> rollout restart deployment/<name>
# pods without the proxy:
kubectl -n <namespace> get pods -o json | jq -r '.items[] | select([.spec.containers[].name, (.spec.initContainers // [])[].name] | index("istio-proxy") | not) | .metadata.name'
~~~

## Prevent

Reject the opt-out in enrolled namespaces, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-mesh-opt-out
spec:
  rules:
    - name: no-sidecar-opt-out
      match:
        any:
          - resources:
              kinds: [Pod]
              namespaceSelector:
                matchLabels:
                  istio-injection: enabled
      validate:
        failureAction: Enforce
        message: "Pods in meshed namespaces may not opt out of sidecar injection."
        pattern:
          metadata:
            =(labels):
              =(sidecar.istio.io/inject): "!false"
            =(annotations):
              =(sidecar.istio.io/inject): "!false"
~~~

With STRICT mTLS in place, a pod left out cannot receive mesh traffic, which makes the gap visible at once.
`,
});
