import { defineContainerCheck, fail, isLinuxContainer, pass } from "@/lib/engine/checks/define";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";

export const readOnlyRootFilesystem = defineContainerCheck({
  id: "read-only-root-filesystem",
  title: "Containers run with a read-only root filesystem",
  layer: 1,
  severity: "medium",
  scope: "container",
  why: "A writable root filesystem lets an attacker who gets code execution drop tools, overwrite binaries and libraries the app loads, plant a web shell or persist a modified config for as long as the container lives. With the image read-only, whatever the process may write is an explicit, size-limited volume.",
  references: { nsa: ["Pod security: immutable container file systems"], kubescape: ["C-0017"], polaris: ["notReadOnlyRootFilesystem"] },
  needs: [{ group: "", resource: "pods" }],
  // Windows containers cannot mount the root filesystem read-only (the API rejects the field there).
  appliesTo: isLinuxContainer,
  evaluateContainer(c) {
    const sc = effectiveSecurityContext(c);
    if (sc.readOnlyRootFilesystem.value === true) return pass();
    if (sc.readOnlyRootFilesystem.value === false) return fail(sc.readOnlyRootFilesystem.path, "root filesystem is writable (readOnlyRootFilesystem: false)");
    return fail(sc.readOnlyRootFilesystem.path, "readOnlyRootFilesystem is not set: the root filesystem is writable by default");
  },
  guide: `
Set \`readOnlyRootFilesystem: true\` on every container (it is a container-level field: the pod's \`securityContext\` has no such setting), and give the process \`emptyDir\` volumes for the few paths it really writes (\`/tmp\`, caches, pid files).

## Fix

~~~yaml
spec:
  template:
    spec:
      containers:
        - name: app
          securityContext:
            readOnlyRootFilesystem: true
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type json \\
  -p '[{"op":"add","path":"/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem","value":true}]'
~~~

To find what the app writes, run it once read-only in a test namespace and read the \`Read-only file system\` errors in its logs.

## Prevent

Pod Security Standards do not cover this control; enforce it with a policy. Kyverno (the \`require-ro-rootfs\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-ro-rootfs
spec:
  background: true
  rules:
    - name: validate-readOnlyRootFilesystem
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "The root filesystem must be read-only."
        pattern:
          spec:
            =(initContainers):
              - securityContext:
                  readOnlyRootFilesystem: true
            containers:
              - securityContext:
                  readOnlyRootFilesystem: true
~~~

Gatekeeper's library has the same control as \`K8sPSPReadOnlyRootFilesystem\`.
`,
});
