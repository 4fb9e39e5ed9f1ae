import { defineContainerCheck, verdict } from "@/lib/engine/checks/define";
import { allowedSince, kubernetesMinor, SELINUX_TYPES, securityContextLevels, type LevelValue } from "@/lib/engine/checks/helpers/pod-security";
import type { Violation } from "@/lib/engine/model/check";
import type { ContainerRef } from "@/lib/engine/inventory/containers";

function levelViolations(c: ContainerRef, level: "pod" | "container", minor: number | undefined): Violation[] {
  const out: Violation[] = [];
  const where = level === "pod" ? "pod-level " : "";
  const type = securityContextLevels(c, ["seLinuxOptions", "type"])[level];
  if (type && !(typeof type.value === "string" && allowedSince(SELINUX_TYPES.get(type.value), minor))) {
    const known = typeof type.value === "string" && SELINUX_TYPES.has(type.value);
    out.push({
      path: type.path,
      message: known
        ? `${where}SELinux type ${String(type.value)} is only allowed from Kubernetes 1.${SELINUX_TYPES.get(type.value as string)}`
        : `${where}SELinux type ${typeof type.value === "string" ? type.value : JSON.stringify(type.value)} is not a container type${type.value === "spc_t" ? " (spc_t is unconfined: a super-privileged container)" : ""}: only container_t, container_init_t, container_kvm_t or container_engine_t are allowed`,
    });
  }
  for (const field of ["user", "role"] as const) {
    const v: LevelValue | undefined = securityContextLevels(c, ["seLinuxOptions", field])[level];
    if (v && v.value !== "") out.push({ path: v.path, message: `${where}SELinux ${field} is set (${JSON.stringify(v.value)}): a custom ${field} can leave the container's confinement` });
  }
  return out;
}

export const selinuxOptions = defineContainerCheck({
  id: "selinux-options",
  title: "Containers keep a confined SELinux context",
  layer: 2,
  severity: "medium",
  scope: "container",
  why: "On SELinux nodes, the container_t type and per-pod categories keep a container away from host files and other containers even after an escape from its namespaces. Setting another type (spc_t, unconfined_t) or a custom user or role removes that confinement: the process runs with the node's own SELinux rights.",
  references: { nsa: ["Pod security: hardening container environments"], kubescape: ["C-0055"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateContainer(c, ctx) {
    const minor = kubernetesMinor(ctx.cluster);
    return verdict([...levelViolations(c, "pod", minor), ...levelViolations(c, "container", minor)]);
  },
  guide: `
Leave \`seLinuxOptions\` unset (the runtime assigns \`container_t\` and unique categories), or set only \`level\` (for example to share files between pods) and, when needed, one of the container types \`container_t\`, \`container_init_t\`, \`container_kvm_t\` or \`container_engine_t\` (Kubernetes 1.31+). Never set \`user\` or \`role\`, and never \`spc_t\`.

## Fix

~~~yaml
spec:
  template:
    spec:
      securityContext:
        seLinuxOptions:
          level: "s0:c123,c456"   # only if pods must share files; otherwise remove seLinuxOptions
      containers:
        - name: app
          securityContext: {}     # remove seLinuxOptions.type: spc_t, user and role
~~~

~~~sh
kubectl -n <namespace> patch deployment <name> --type json \\
  -p '[{"op":"remove","path":"/spec/template/spec/containers/0/securityContext/seLinuxOptions"}]'
~~~

## Prevent

The \`baseline\` Pod Security Standard restricts the type and forbids user and role:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno (the \`disallow-selinux\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-selinux
spec:
  background: true
  rules:
    - name: selinux-type
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "SELinux type must be unset or container_t, container_init_t, container_kvm_t or container_engine_t."
        pattern:
          spec:
            =(securityContext):
              =(seLinuxOptions):
                =(type): "container_t | container_init_t | container_kvm_t | container_engine_t"
            =(ephemeralContainers):
              - =(securityContext):
                  =(seLinuxOptions):
                    =(type): "container_t | container_init_t | container_kvm_t | container_engine_t"
            =(initContainers):
              - =(securityContext):
                  =(seLinuxOptions):
                    =(type): "container_t | container_init_t | container_kvm_t | container_engine_t"
            containers:
              - =(securityContext):
                  =(seLinuxOptions):
                    =(type): "container_t | container_init_t | container_kvm_t | container_engine_t"
    - name: selinux-user-role
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Setting the SELinux user or role is forbidden."
        pattern:
          spec:
            =(securityContext):
              =(seLinuxOptions):
                X(user): "null"
                X(role): "null"
            =(ephemeralContainers):
              - =(securityContext):
                  =(seLinuxOptions):
                    X(user): "null"
                    X(role): "null"
            =(initContainers):
              - =(securityContext):
                  =(seLinuxOptions):
                    X(user): "null"
                    X(role): "null"
            containers:
              - =(securityContext):
                  =(seLinuxOptions):
                    X(user): "null"
                    X(role): "null"
~~~
`,
});
