import { defineWorkloadCheck, verdict } from "@/lib/engine/checks/define";
import type { Violation } from "@/lib/engine/model/check";

const FIELDS = [
  ["hostNetwork", "shares the node's network namespace (hostNetwork: true): it sees all node traffic and can reach services bound to localhost"],
  ["hostPID", "shares the node's process namespace (hostPID: true): it can see and signal every process on the node"],
  ["hostIPC", "shares the node's IPC namespace (hostIPC: true): it can read other processes' shared memory"],
] as const;

export const hostNamespaces = defineWorkloadCheck({
  id: "host-namespaces",
  title: "Pods do not share the host's network, PID or IPC namespace",
  layer: 2,
  severity: "high",
  scope: "pod",
  why: "Host namespaces remove the isolation between the pod and the node: with hostPID a container can inspect and ptrace node processes, with hostNetwork it can sniff traffic and reach node-local services (the kubelet, cloud metadata), with hostIPC it can read shared memory of other workloads.",
  references: { cis: ["5.2.3", "5.2.4", "5.2.5"], nsa: ["Pod security: host namespaces"], kubescape: ["C-0038", "C-0041"], polaris: ["hostNetworkSet", "hostPIDSet", "hostIPCSet"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateWorkload(w) {
    const violations: Violation[] = [];
    for (const [field, message] of FIELDS) {
      if (w.podSpec[field] === true) violations.push({ path: `${w.podSpecPath}.${field}`, message });
    }
    return verdict(violations);
  },
  guide: `
Remove \`hostNetwork\`, \`hostPID\` and \`hostIPC\` (they default to \`false\`). To expose a port, use a Service; to see other containers' processes, use \`shareProcessNamespace: true\`, which shares only within the pod.

## Fix

~~~yaml
spec:
  template:
    spec:
      hostNetwork: false
      hostPID: false
      hostIPC: false
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type merge -p '{"spec":{"template":{"spec":{"hostNetwork":false,"hostPID":false,"hostIPC":false}}}}'
~~~

## Prevent

The \`baseline\` Pod Security Standard forbids all three:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-host-namespaces
spec:
  background: true
  rules:
    - name: host-namespaces
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Sharing the host namespaces is not allowed."
        pattern:
          spec:
            =(hostPID): "false"
            =(hostIPC): "false"
            =(hostNetwork): "false"
~~~
`,
});
