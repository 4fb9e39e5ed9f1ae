import { defineContainerCheck, fail, pass } from "@/lib/engine/checks/define";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";
import { allowedSince, kubernetesMinor } from "@/lib/engine/checks/helpers/pod-security";
import { asRecord } from "@/lib/engine/model/kube";

/** Kubernetes 1.34 made Pod Security accept any procMount in pods with their own user namespace (hostUsers: false). */
const USER_NAMESPACE_RELAXATION_SINCE = 34;

export const procMount = defineContainerCheck({
  id: "proc-mount",
  title: "Containers keep the default masked /proc",
  layer: 2,
  severity: "medium",
  scope: "container",
  why: "The runtime masks and makes read-only the parts of /proc and /sys that expose or control the host kernel (kcore, sysrq-trigger, kernel keys, timer and scheduling interfaces). procMount: Unmasked removes those masks, giving a compromised container direct handles on the node's kernel unless the pod runs in its own user namespace.",
  references: { nsa: ["Pod security: pod security enforcement"], polaris: ["procMount"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateContainer(c, ctx) {
    const pm = effectiveSecurityContext(c).procMount;
    const raw = asRecord(c.container.securityContext)?.procMount;
    if (raw === undefined || raw === null || pm.value === "Default") return pass();
    // In a user namespace the unmasked /proc belongs to the pod's own namespace; Pod Security allows it (1.34+).
    if (c.workload.podSpec.hostUsers === false && allowedSince(USER_NAMESPACE_RELAXATION_SINCE, kubernetesMinor(ctx.cluster))) return pass();
    return fail(pm.path, `procMount is ${typeof raw === "string" ? raw : JSON.stringify(raw)}: the host's /proc masks are removed (allowed only as Default, or in a pod with hostUsers: false)`);
  },
  guide: `
Remove \`procMount\` (or set it to \`Default\`). Workloads that truly need an unmasked /proc (nested container runtimes, some build tools) should run in their own user namespace with \`hostUsers: false\`, which Pod Security accepts from Kubernetes 1.34.

## Fix

~~~yaml
spec:
  template:
    spec:
      # hostUsers: false        # only for a workload that needs Unmasked, on nodes supporting user namespaces
      containers:
        - name: app
          securityContext:
            procMount: Default  # or remove the field
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type json \\
  -p '[{"op":"remove","path":"/spec/template/spec/containers/0/securityContext/procMount"}]'
~~~

## Prevent

The \`baseline\` Pod Security Standard requires the default /proc mount:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno (the \`disallow-proc-mount\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-proc-mount
spec:
  background: true
  rules:
    - name: check-proc-mount
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Changing the proc mount from the default is not allowed."
        pattern:
          spec:
            =(ephemeralContainers):
              - =(securityContext):
                  =(procMount): "Default"
            =(initContainers):
              - =(securityContext):
                  =(procMount): "Default"
            containers:
              - =(securityContext):
                  =(procMount): "Default"
~~~
`,
});
