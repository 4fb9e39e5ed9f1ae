import { defineWorkloadCheck, verdict } from "@/lib/engine/checks/define";
import { asRecord } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

function hostProcess(securityContext: unknown): unknown {
  return asRecord(asRecord(securityContext)?.windowsOptions)?.hostProcess;
}

export const windowsHostProcess = defineWorkloadCheck({
  id: "windows-host-process",
  title: "No Windows HostProcess containers",
  layer: 2,
  severity: "critical",
  scope: "pod",
  why: "A Windows HostProcess container runs directly on the node as a host process, with the node's network, filesystem and (as SYSTEM or an admin account) full control of the Windows node. It is the Windows equivalent of a privileged container: whoever controls the image or the pod controls the node and everything scheduled on it.",
  references: { cis: ["5.2.11"], nsa: ["Pod security: pod security enforcement"], polaris: ["hostProcess"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateWorkload(w, ctx) {
    const violations: Violation[] = [];
    if (hostProcess(w.podSpec.securityContext) === true) {
      violations.push({ path: `${w.podSpecPath}.securityContext.windowsOptions.hostProcess`, message: "the pod runs its containers as HostProcess containers (windowsOptions.hostProcess: true): they run on the node itself" });
    }
    for (const c of ctx.inventory.containersOf(w)) {
      if (hostProcess(c.container.securityContext) === true) {
        violations.push({ path: c.at("securityContext.windowsOptions.hostProcess"), message: `container ${c.name} runs as a HostProcess container on the node (windowsOptions.hostProcess: true)` });
      }
    }
    return verdict(violations);
  },
  guide: `
Remove \`windowsOptions.hostProcess: true\` from the pod and its containers (and \`hostNetwork: true\`, which HostProcess pods require). Node-level Windows agents (CNI, CSI node plugins, log and metrics collectors) that truly need it belong in a dedicated namespace, managed by the platform team, with a documented exception.

## Fix

~~~yaml
spec:
  template:
    spec:
      securityContext:
        windowsOptions:
          hostProcess: false
          runAsUserName: "ContainerUser"
      hostNetwork: false
      containers:
        - name: app
          securityContext:
            windowsOptions:
              hostProcess: false
~~~

For a node agent that keeps it, record why: annotate its namespace or workload with \`ramparts.dev/exempt: windows-host-process\`.

## Prevent

The \`baseline\` Pod Security Standard forbids HostProcess containers:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno (the \`disallow-host-process\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-host-process
spec:
  background: true
  rules:
    - name: host-process-containers
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "HostProcess containers are disallowed."
        pattern:
          spec:
            =(securityContext):
              =(windowsOptions):
                =(hostProcess): "false"
            =(ephemeralContainers):
              - =(securityContext):
                  =(windowsOptions):
                    =(hostProcess): "false"
            =(initContainers):
              - =(securityContext):
                  =(windowsOptions):
                    =(hostProcess): "false"
            containers:
              - =(securityContext):
                  =(windowsOptions):
                    =(hostProcess): "false"
~~~
`,
});
