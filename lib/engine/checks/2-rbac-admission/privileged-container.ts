import { defineContainerCheck, fail, isLinuxContainer, pass } from "@/lib/engine/checks/define";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";

export const privilegedContainer = defineContainerCheck({
  id: "privileged-container",
  title: "No privileged containers",
  layer: 2,
  severity: "critical",
  scope: "container",
  why: "A privileged container has every Linux capability and access to all host devices: it can mount the node's disks, load kernel modules and take over the node, and from there every pod and secret on it. It is the shortest path from one compromised app to the whole cluster.",
  references: { cis: ["5.2.2"], nsa: ["Pod security: privileged containers"], kubescape: ["C-0057"], polaris: ["runAsPrivileged"] },
  needs: [{ group: "", resource: "pods" }],
  appliesTo: isLinuxContainer,
  evaluateContainer(c) {
    const sc = effectiveSecurityContext(c);
    if (sc.privileged.value === true) return fail(sc.privileged.path, "container runs privileged (securityContext.privileged: true)");
    return pass();
  },
  guide: `
Remove \`privileged: true\`. If the workload needs one specific kernel feature, grant that single capability instead (for example \`NET_ADMIN\`) and keep \`drop: [ALL]\`.

## Fix

~~~yaml
containers:
  - name: app
    securityContext:
      privileged: false
      allowPrivilegeEscalation: false
      capabilities:
        drop: [ALL]
        # add: [NET_BIND_SERVICE]   # only what the app really needs
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type json \\
  -p '[{"op":"replace","path":"/spec/template/spec/containers/0/securityContext/privileged","value":false}]'
~~~

Node agents that truly need it (some CNI plugins, storage drivers, runtime detectors) belong in a dedicated namespace with a documented exception: annotate the workload with \`ramparts.dev/exempt: privileged-container\` and a reason in your change log, or add an exception with an expiry.

## Prevent

The \`baseline\` Pod Security Standard already forbids privileged containers:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-privileged-containers
spec:
  background: true
  rules:
    - name: privileged-containers
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Privileged mode is not allowed."
        pattern:
          spec:
            =(ephemeralContainers):
              - =(securityContext):
                  =(privileged): "false"
            =(initContainers):
              - =(securityContext):
                  =(privileged): "false"
            containers:
              - =(securityContext):
                  =(privileged): "false"
~~~
`,
});
