import { defineWorkloadCheck, verdict } from "@/lib/engine/checks/define";
import { allowedSince, kubernetesMinor, SAFE_SYSCTLS } from "@/lib/engine/checks/helpers/pod-security";
import { asArray, asRecord, asString, joinPath } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

export const unsafeSysctls = defineWorkloadCheck({
  id: "unsafe-sysctls",
  title: "Pods set only safe sysctls",
  layer: 2,
  severity: "medium",
  scope: "pod",
  why: "Sysctls outside the safe set are not isolated per pod: they change kernel behaviour for every pod on the node (memory, IPC limits, network stack) or weaken protections, so one workload can starve or attack its neighbours. Only a short list of namespaced, isolated sysctls is safe for ordinary pods.",
  references: { nsa: ["Pod security: pod security enforcement"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateWorkload(w, ctx) {
    const minor = kubernetesMinor(ctx.cluster);
    const base = joinPath(`${w.podSpecPath}.securityContext`, "sysctls");
    const violations: Violation[] = [];
    asArray(asRecord(w.podSpec.securityContext)?.sysctls).forEach((entry, i) => {
      const name = asString(asRecord(entry)?.name);
      if (name === undefined) return;
      // The kubelet accepts "/" as separator ("net/ipv4/ip_local_port_range"); judge the dotted name.
      const dotted = name.replaceAll("/", ".");
      const since = SAFE_SYSCTLS.get(dotted);
      if (allowedSince(since, minor)) return;
      violations.push({
        path: `${joinPath(base, i)}.name`,
        message: since !== undefined
          ? `sysctl ${name} is only safe from Kubernetes 1.${since}; this cluster runs 1.${minor}`
          : `sysctl ${name} is not in the safe set: it is not isolated from other pods on the node`,
      });
    });
    return verdict(violations);
  },
  guide: `
Set only the safe sysctls in \`spec.securityContext.sysctls\`: \`kernel.shm_rmid_forced\`, \`net.ipv4.ip_local_port_range\`, \`net.ipv4.ip_unprivileged_port_start\`, \`net.ipv4.tcp_syncookies\`, \`net.ipv4.ping_group_range\`, \`net.ipv4.ip_local_reserved_ports\` (1.27+), \`net.ipv4.tcp_keepalive_time\`, \`net.ipv4.tcp_fin_timeout\`, \`net.ipv4.tcp_keepalive_intvl\`, \`net.ipv4.tcp_keepalive_probes\` (1.29+), \`net.ipv4.tcp_rmem\` and \`net.ipv4.tcp_wmem\` (1.32+). Tune anything else on the nodes themselves (node image, a tuning DaemonSet run by the platform team) and schedule the workload there.

## Fix

~~~yaml
spec:
  template:
    spec:
      securityContext:
        sysctls:
          - name: net.ipv4.ip_local_port_range
            value: "1024 65000"
          # removed: net.core.somaxconn, kernel.msgmax (node-wide; set them on a dedicated node pool)
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type json \\
  -p '[{"op":"remove","path":"/spec/template/spec/securityContext/sysctls"}]'
~~~

## Prevent

The \`baseline\` Pod Security Standard allows only the safe sysctls:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno (the \`restrict-sysctls\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-sysctls
spec:
  background: true
  rules:
    - name: check-sysctls
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Only the safe sysctls may be set."
        pattern:
          spec:
            =(securityContext):
              =(sysctls):
                - =(name): "kernel.shm_rmid_forced | net.ipv4.ip_local_port_range | net.ipv4.ip_unprivileged_port_start | net.ipv4.tcp_syncookies | net.ipv4.ping_group_range | net.ipv4.ip_local_reserved_ports | net.ipv4.tcp_keepalive_time | net.ipv4.tcp_fin_timeout | net.ipv4.tcp_keepalive_intvl | net.ipv4.tcp_keepalive_probes | net.ipv4.tcp_rmem | net.ipv4.tcp_wmem"
~~~

The kubelet also refuses unsafe sysctls unless a node allows them with \`--allowed-unsafe-sysctls\`: keep that flag off general-purpose nodes.
`,
});
