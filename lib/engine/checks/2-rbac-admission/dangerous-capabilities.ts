import { defineContainerCheck, verdict } from "@/lib/engine/checks/define";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";
import { BASELINE_CAPABILITIES, canonicalCapability } from "@/lib/engine/checks/helpers/pod-security";
import type { Violation } from "@/lib/engine/model/check";

/** What the most abused capabilities give an attacker, for the finding's message. */
const EFFECTS: Record<string, string> = {
  ALL: "every capability: as good as privileged",
  SYS_ADMIN: "mount filesystems, use namespaces and many kernel interfaces: the usual container escape",
  NET_ADMIN: "reconfigure interfaces, routes and firewall rules of the pod network",
  NET_RAW: "craft raw packets: ARP and DNS spoofing against neighbours",
  SYS_PTRACE: "trace and inject code into other processes",
  SYS_MODULE: "load kernel modules: full control of the node",
  DAC_READ_SEARCH: "bypass file read permissions (open_by_handle_at escapes)",
  BPF: "load eBPF programs into the kernel",
  PERFMON: "read kernel and process performance data",
  SYS_RAWIO: "raw access to devices and I/O ports",
  SYS_TIME: "change the node's clock",
  SYS_BOOT: "reboot the node",
  SYSLOG: "read the kernel log (kernel addresses)",
  MAC_ADMIN: "change the mandatory access control (AppArmor/SELinux) policy",
  MAC_OVERRIDE: "bypass AppArmor/SELinux",
  LINUX_IMMUTABLE: "change immutable and append-only files",
  IPC_OWNER: "bypass permissions on IPC objects",
};

export const dangerousCapabilities = defineContainerCheck({
  id: "dangerous-capabilities",
  title: "Containers add no capabilities beyond the Pod Security baseline set",
  layer: 2,
  severity: "high",
  scope: "container",
  why: "Added Linux capabilities hand a container pieces of root's power on the node's kernel: SYS_ADMIN alone is enough for most known container escapes, NET_ADMIN and NET_RAW let it tamper with or spoof pod network traffic, SYS_PTRACE lets it inject into other processes. The baseline Pod Security Standard allows only a small default set to be added.",
  references: { cis: ["5.2.9"], nsa: ["Pod security: pod security enforcement"], kubescape: ["C-0046"], polaris: ["dangerousCapabilities"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateContainer(c) {
    const add = effectiveSecurityContext(c).capabilitiesAdd;
    const violations: Violation[] = [];
    add.value.forEach((written, i) => {
      // Pod Security Admission compares the names literally: "CAP_CHOWN" is not "CHOWN".
      if (BASELINE_CAPABILITIES.has(written)) return;
      const cap = canonicalCapability(written);
      const path = `${add.path}[${i}]`;
      if (BASELINE_CAPABILITIES.has(cap)) {
        violations.push({ path, message: `capability written as "${written}": Pod Security compares names literally and rejects it; write ${cap}` });
        return;
      }
      const effect = EFFECTS[cap];
      violations.push({ path, message: `adds ${written}, outside the baseline set${effect ? `: ${effect}` : ""}` });
    });
    return verdict(violations);
  },
  guide: `
Remove added capabilities the workload does not need, and replace the rest with narrower means: bind ports above 1024 (or add only \`NET_BIND_SERVICE\`), let the CNI or a node agent do network configuration, use a CSI driver instead of mounting from the container. The baseline Pod Security Standard allows adding only \`AUDIT_WRITE\`, \`CHOWN\`, \`DAC_OVERRIDE\`, \`FOWNER\`, \`FSETID\`, \`KILL\`, \`MKNOD\`, \`NET_BIND_SERVICE\`, \`SETFCAP\`, \`SETGID\`, \`SETPCAP\`, \`SETUID\` and \`SYS_CHROOT\`, written exactly so (no \`CAP_\` prefix).

## Fix

~~~yaml
containers:
  - name: app
    securityContext:
      capabilities:
        drop: [ALL]
        # was: add: [SYS_ADMIN, NET_RAW]
        add: [NET_BIND_SERVICE]   # only if it binds a port below 1024
~~~

~~~sh
kubectl -n <namespace> get deployment <name> -o jsonpath='{range .spec.template.spec.containers[*]}{.name}{": "}{.securityContext.capabilities.add}{"\\n"}{end}'
~~~

Node agents that need more (a CNI plugin, a runtime detector) belong in a dedicated namespace with a documented \`ramparts.dev/exempt: dangerous-capabilities\` exception.

## Prevent

The \`baseline\` Pod Security Standard rejects any other added capability:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno (the \`disallow-capabilities\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-capabilities
spec:
  background: true
  rules:
    - name: adding-capabilities
      match:
        any:
          - resources:
              kinds: [Pod]
      preconditions:
        all:
          - key: "{{ request.operation || 'BACKGROUND' }}"
            operator: NotEquals
            value: DELETE
      validate:
        failureAction: Enforce
        message: "Any capabilities added beyond the allowed list are disallowed."
        deny:
          conditions:
            all:
              - key: "{{ request.object.spec.[ephemeralContainers, initContainers, containers][].securityContext.capabilities.add[] }}"
                operator: AnyNotIn
                value: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
~~~
`,
});
