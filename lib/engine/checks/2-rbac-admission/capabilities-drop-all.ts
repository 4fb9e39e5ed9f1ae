import { defineContainerCheck, isLinuxContainer, verdict } from "@/lib/engine/checks/define";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";
import { BASELINE_CAPABILITIES, RESTRICTED_ADDABLE_CAPABILITY } from "@/lib/engine/checks/helpers/pod-security";
import type { Violation } from "@/lib/engine/model/check";

export const capabilitiesDropAll = defineContainerCheck({
  id: "capabilities-drop-all",
  title: "Containers drop all capabilities and add back at most NET_BIND_SERVICE",
  layer: 2,
  severity: "medium",
  scope: "container",
  why: "Without drop: [ALL] a container keeps the runtime's default capabilities, among them NET_RAW (packet spoofing on the pod network), CHOWN, DAC_OVERRIDE, SETUID and SETGID, which turn any foothold in the container into more power over its files and processes and widen the kernel surface an escape can use. The restricted Pod Security Standard requires dropping all of them.",
  references: { cis: ["5.2.8", "5.2.10"], nsa: ["Pod security: pod security enforcement"], kubescape: ["C-0055"], polaris: ["insecureCapabilities"] },
  needs: [{ group: "", resource: "pods" }],
  // The restricted profile exempts Windows pods (v1.25+): capabilities are Linux-only.
  appliesTo: isLinuxContainer,
  evaluateContainer(c) {
    const sc = effectiveSecurityContext(c);
    const violations: Violation[] = [];
    const drop = sc.capabilitiesDrop.value;
    // Pod Security Admission requires the literal "ALL".
    if (!drop.includes("ALL")) {
      const almost = drop.find((d) => d.trim().toUpperCase() === "ALL" || d.trim().toUpperCase() === "CAP_ALL");
      violations.push({
        path: sc.capabilitiesDrop.path,
        message: almost !== undefined ? `capabilities.drop has "${almost}": Pod Security requires exactly ALL` : drop.length === 0 ? "capabilities.drop does not include ALL: the runtime's default capabilities (NET_RAW, CHOWN, SETUID...) stay" : `capabilities.drop lists ${drop.join(", ")} but not ALL`,
      });
    }
    // Adds outside the baseline set are dangerous-capabilities' findings; here: baseline adds that restricted forbids.
    sc.capabilitiesAdd.value.forEach((cap, i) => {
      if (cap !== RESTRICTED_ADDABLE_CAPABILITY && BASELINE_CAPABILITIES.has(cap)) {
        violations.push({ path: `${sc.capabilitiesAdd.path}[${i}]`, message: `adds ${cap}: the restricted profile allows adding back only NET_BIND_SERVICE` });
      }
    });
    return verdict(violations);
  },
  guide: `
Drop every capability, then add back only what the process needs; under the restricted Pod Security Standard that can only be \`NET_BIND_SERVICE\` (to bind ports below 1024). Capabilities are set per container: repeat for init and sidecar containers.

## Fix

~~~yaml
containers:
  - name: app
    securityContext:
      capabilities:
        drop: [ALL]
        # add: [NET_BIND_SERVICE]   # only to bind a port below 1024
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type json \\
  -p '[{"op":"add","path":"/spec/template/spec/containers/0/securityContext/capabilities","value":{"drop":["ALL"]}}]'
~~~

Most applications run unchanged without capabilities once they run as non-root and listen on a port above 1024. Processes that change file ownership or user at start-up (entrypoints calling \`chown\` or \`gosu\`) need their image fixed, not the capability.

## Prevent

The \`restricted\` Pod Security Standard requires \`drop: [ALL]\`:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest
~~~

Or with Kyverno (the \`require-drop-all\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-drop-all
spec:
  background: true
  rules:
    - name: drop-all-capabilities
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Containers must drop ALL capabilities."
        foreach:
          - list: "request.object.spec.[ephemeralContainers, initContainers, containers][]"
            deny:
              conditions:
                all:
                  - key: ALL
                    operator: AnyNotIn
                    value: "{{ element.securityContext.capabilities.drop[] || \`[]\` }}"
~~~
`,
});
