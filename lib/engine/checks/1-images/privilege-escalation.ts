import { defineContainerCheck, fail, isLinuxContainer, pass } from "@/lib/engine/checks/define";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";
import { canonicalCapability } from "@/lib/engine/checks/helpers/pod-security";

export const privilegeEscalation = defineContainerCheck({
  id: "privilege-escalation",
  title: "Containers cannot gain more privileges than their process starts with",
  layer: 1,
  severity: "high",
  scope: "container",
  why: "Unless allowPrivilegeEscalation is false, the kernel lets a process gain privileges through setuid and setgid binaries or file capabilities (the no_new_privs flag is not set). An attacker with a shell in a non-root container can then use a setuid helper or a vulnerable binary in the image to become root inside the container, which is one step from the node.",
  references: { cis: ["5.2.6"], nsa: ["Pod security: pod security enforcement"], kubescape: ["C-0016"], polaris: ["privilegeEscalationAllowed"] },
  needs: [{ group: "", resource: "pods" }],
  // Pod Security's restricted profile exempts Windows pods (v1.25+): the field is Linux-only.
  appliesTo: isLinuxContainer,
  evaluateContainer(c) {
    const sc = effectiveSecurityContext(c);
    const ape = sc.allowPrivilegeEscalation;
    if (ape.value === true) return fail(ape.path, "allowPrivilegeEscalation is true: setuid binaries and file capabilities can raise privileges");
    if (ape.value !== false) return fail(ape.path, "allowPrivilegeEscalation is not set: it defaults to true, so setuid binaries and file capabilities can raise privileges");
    // The kernel flag cannot hold for a privileged container or one with CAP_SYS_ADMIN (the API rejects these pods; manifests may still carry them).
    if (sc.privileged.value === true) return fail(sc.privileged.path, "allowPrivilegeEscalation: false has no effect on a privileged container");
    const adds = sc.capabilitiesAdd.value;
    for (let i = 0; i < adds.length; i++) {
      const cap = canonicalCapability(adds[i]!);
      if (cap === "SYS_ADMIN" || cap === "ALL") {
        return fail(`${sc.capabilitiesAdd.path}[${i}]`, `allowPrivilegeEscalation: false has no effect with ${adds[i]} added: CAP_SYS_ADMIN always allows escalation`);
      }
    }
    return pass();
  },
  guide: `
Set \`allowPrivilegeEscalation: false\` on every container. It is a container-level field (the pod's \`securityContext\` has none), and an unset value means \`true\`. It cannot take effect on a privileged container or one that adds \`SYS_ADMIN\`: remove those first.

## Fix

~~~yaml
containers:
  - name: app
    securityContext:
      allowPrivilegeEscalation: false
      privileged: false
      capabilities:
        drop: [ALL]
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type json \\
  -p '[{"op":"add","path":"/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation","value":false}]'
~~~

Repeat for every container, init container and ephemeral container of the pod.

## Prevent

The \`restricted\` Pod Security Standard requires \`allowPrivilegeEscalation: false\`:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest
~~~

Or with Kyverno (the \`disallow-privilege-escalation\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-privilege-escalation
spec:
  background: true
  rules:
    - name: privilege-escalation
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "allowPrivilegeEscalation must be set to false."
        pattern:
          spec:
            =(ephemeralContainers):
              - securityContext:
                  allowPrivilegeEscalation: "false"
            =(initContainers):
              - securityContext:
                  allowPrivilegeEscalation: "false"
            containers:
              - securityContext:
                  allowPrivilegeEscalation: "false"
~~~
`,
});
