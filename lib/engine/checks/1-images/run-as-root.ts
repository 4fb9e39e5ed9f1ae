import { defineContainerCheck, fail, isLinuxContainer, pass } from "@/lib/engine/checks/define";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";

export const runAsRoot = defineContainerCheck({
  id: "run-as-root",
  title: "Containers run as a non-root user",
  layer: 1,
  severity: "high",
  scope: "container",
  why: "A process running as UID 0 inside a container is root on the node's kernel. Any container escape, writable hostPath or kernel bug then starts from root. Most images default to root unless the pod says otherwise.",
  references: { cis: ["5.2.7"], nsa: ["Pod security: non-root containers"], kubescape: ["C-0013"], polaris: ["runAsRootAllowed"] },
  needs: [{ group: "", resource: "pods" }],
  appliesTo: isLinuxContainer,
  evaluateContainer(c) {
    const sc = effectiveSecurityContext(c);
    if (sc.runAsUser.value === 0) {
      return fail(sc.runAsUser.path, `runs as UID 0: runAsUser is 0 at ${sc.runAsUser.setAt} level`);
    }
    if (sc.runAsNonRoot.value === true) return pass();
    // An explicit non-zero UID is non-root whatever runAsNonRoot says.
    if (sc.runAsUser.value !== undefined && sc.runAsUser.value > 0) return pass();
    if (sc.runAsNonRoot.value === false) {
      return fail(sc.runAsNonRoot.path, `runAsNonRoot is false at ${sc.runAsNonRoot.setAt} level and no non-zero runAsUser is set`);
    }
    return fail(sc.runAsNonRoot.path, "neither runAsNonRoot: true nor a non-zero runAsUser is set at pod or container level: the image's user (often root) applies");
  },
  guide: `
Set \`runAsNonRoot: true\` and a numeric non-zero \`runAsUser\` in the pod's \`securityContext\`, so every container inherits it. A container-level \`securityContext\` overrides the pod level: remove any \`runAsUser: 0\` or \`runAsNonRoot: false\` there.

## Fix

~~~yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
      containers:
        - name: app
          image: registry.example.com/web@sha256:...
~~~

With \`runAsNonRoot: true\` alone, the kubelet refuses to start a container whose image would run as root, so the pod fails fast instead of running as root. If the image needs root only to bind a low port or write a directory, change the port (>1024) or mount an \`emptyDir\` there.

Or patch an existing workload:

~~~sh
kubectl -n <namespace> patch deployment <name> --type merge -p '{"spec":{"template":{"spec":{"securityContext":{"runAsNonRoot":true,"runAsUser":10001}}}}}'
~~~

## Prevent

Enforce the \`restricted\` Pod Security Standard on the namespace; it rejects pods that do not set \`runAsNonRoot: true\`:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest
~~~

Or with Kyverno (the \`require-run-as-nonroot\` policy from the Pod Security policy library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-run-as-nonroot
spec:
  background: true
  rules:
    - name: run-as-non-root
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Running as root is not allowed: set runAsNonRoot to true."
        anyPattern:
          - spec:
              securityContext:
                runAsNonRoot: true
              =(ephemeralContainers):
                - =(securityContext):
                    =(runAsNonRoot): true
              =(initContainers):
                - =(securityContext):
                    =(runAsNonRoot): true
              containers:
                - =(securityContext):
                    =(runAsNonRoot): true
          - spec:
              =(ephemeralContainers):
                - securityContext:
                    runAsNonRoot: true
              =(initContainers):
                - securityContext:
                    runAsNonRoot: true
              containers:
                - securityContext:
                    runAsNonRoot: true
~~~
`,
});
