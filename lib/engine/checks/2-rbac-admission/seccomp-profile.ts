import { defineContainerCheck, isLinuxContainer, verdict } from "@/lib/engine/checks/define";
import { CONFINED_PROFILE_TYPES, securityContextLevels } from "@/lib/engine/checks/helpers/pod-security";
import type { Violation } from "@/lib/engine/model/check";

const LEGACY_ANNOTATIONS = /^(seccomp\.security\.alpha\.kubernetes\.io\/pod|container\.seccomp\.security\.alpha\.kubernetes\.io\/.+)$/;

const confined = (v: unknown) => typeof v === "string" && CONFINED_PROFILE_TYPES.has(v);
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export const seccompProfile = defineContainerCheck({
  id: "seccomp-profile",
  title: "Containers run with a RuntimeDefault or Localhost seccomp profile",
  layer: 2,
  severity: "medium",
  scope: "container",
  why: "Seccomp filters the system calls a container may make. Without a profile (Unconfined, the default unless the kubelet enables seccompDefault) every one of the kernel's 300+ system calls is reachable, including the rarely used ones behind many container escapes (unshare, keyctl, bpf, io_uring). The runtime's default profile blocks them at almost no cost to applications.",
  references: { cis: ["5.7.2"], nsa: ["Pod security: hardening container environments"], kubescape: ["C-0210", "C-0055"] },
  needs: [{ group: "", resource: "pods" }],
  // The restricted profile exempts Windows pods (v1.25+); seccomp is Linux-only.
  appliesTo: isLinuxContainer,
  evaluateContainer(c) {
    const { pod, container } = securityContextLevels(c, ["seccompProfile", "type"]);
    const violations: Violation[] = [];
    if (pod && !confined(pod.value)) {
      const overridden = container !== undefined && confined(container.value);
      violations.push({
        path: pod.path,
        message: overridden
          ? `pod-level seccomp profile is ${show(pod.value)}: this container overrides it, but Pod Security rejects the pod and the pod sandbox runs unfiltered`
          : `seccomp profile is ${show(pod.value)} (pod level, inherited): system calls are not filtered`,
      });
    }
    if (container && !confined(container.value)) {
      violations.push({ path: container.path, message: `seccomp profile is ${show(container.value)}: system calls are not filtered` });
    }
    if (!pod && !container) {
      const legacy = Object.keys(c.workload.podAnnotations).some((k) => LEGACY_ANNOTATIONS.test(k));
      violations.push({
        path: `${c.workload.podSpecPath}.securityContext.seccompProfile.type`,
        message: legacy
          ? "no seccompProfile is set: the seccomp.security.alpha.kubernetes.io annotations are ignored since Kubernetes 1.27"
          : "no seccompProfile is set at pod or container level: the container runs Unconfined unless the node enables seccompDefault",
      });
    }
    return verdict(violations);
  },
  guide: `
Set \`seccompProfile.type: RuntimeDefault\` in the pod's \`securityContext\`; every container inherits it. Use \`Localhost\` with a profile you ship to the nodes (the Security Profiles Operator can record and distribute one) for a tighter filter. Remove any \`Unconfined\` at pod or container level.

## Fix

~~~yaml
spec:
  template:
    spec:
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          # no container-level seccompProfile, or one of RuntimeDefault / Localhost
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type merge \\
  -p '{"spec":{"template":{"spec":{"securityContext":{"seccompProfile":{"type":"RuntimeDefault"}}}}}}'
~~~

The old \`seccomp.security.alpha.kubernetes.io/*\` annotations no longer have any effect (Kubernetes 1.27+): replace them with the field. The kubelet's \`seccompDefault: true\` makes \`RuntimeDefault\` the node default, a useful safety net, but it is invisible to the API and to Pod Security, so keep the field.

## Prevent

The \`restricted\` Pod Security Standard requires \`RuntimeDefault\` or \`Localhost\` (\`baseline\` only forbids \`Unconfined\`):

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest
~~~

Or with Kyverno (the \`restrict-seccomp-strict\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-seccomp-strict
spec:
  background: true
  rules:
    - name: check-seccomp-strict
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "seccompProfile.type must be RuntimeDefault or Localhost."
        anyPattern:
          - spec:
              securityContext:
                seccompProfile:
                  type: "RuntimeDefault | Localhost"
              =(ephemeralContainers):
                - =(securityContext):
                    =(seccompProfile):
                      =(type): "RuntimeDefault | Localhost"
              =(initContainers):
                - =(securityContext):
                    =(seccompProfile):
                      =(type): "RuntimeDefault | Localhost"
              containers:
                - =(securityContext):
                    =(seccompProfile):
                      =(type): "RuntimeDefault | Localhost"
          - spec:
              =(ephemeralContainers):
                - securityContext:
                    seccompProfile:
                      type: "RuntimeDefault | Localhost"
              =(initContainers):
                - securityContext:
                    seccompProfile:
                      type: "RuntimeDefault | Localhost"
              containers:
                - securityContext:
                    seccompProfile:
                      type: "RuntimeDefault | Localhost"
~~~
`,
});
