import { defineContainerCheck, verdict } from "@/lib/engine/checks/define";
import { allowedAppArmorAnnotation, CONFINED_PROFILE_TYPES, securityContextLevels } from "@/lib/engine/checks/helpers/pod-security";
import { joinPath } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export const apparmorProfile = defineContainerCheck({
  id: "apparmor-profile",
  title: "Containers do not run AppArmor-unconfined",
  layer: 2,
  severity: "medium",
  scope: "container",
  why: "On nodes with AppArmor, the runtime's default profile stops a container from writing to /proc and /sys, mounting filesystems and other host-facing operations. Setting the profile to Unconfined removes that layer, so a compromised process is limited only by its capabilities and seccomp; several container escapes were blocked by the default profile alone.",
  references: { nsa: ["Pod security: hardening container environments"], kubescape: ["C-0055"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateContainer(c) {
    const violations: Violation[] = [];
    const key = ANNOTATION_PREFIX + c.name;
    const annotation = c.workload.podAnnotations[key];
    if (typeof annotation === "string" && !allowedAppArmorAnnotation(annotation)) {
      violations.push({
        path: joinPath(joinPath(c.workload.podMetadataPath, "annotations"), key),
        message: `AppArmor annotation sets "${annotation}": only runtime/default or localhost/<profile> keep the container confined`,
      });
    }
    const { pod, container } = securityContextLevels(c, ["appArmorProfile", "type"]);
    const confined = (v: unknown) => typeof v === "string" && CONFINED_PROFILE_TYPES.has(v);
    if (pod && !confined(pod.value)) {
      const overridden = container !== undefined && confined(container.value);
      violations.push({
        path: pod.path,
        message: overridden
          ? `pod-level AppArmor profile is ${show(pod.value)}: this container overrides it, but Pod Security rejects the pod`
          : `AppArmor profile is ${show(pod.value)} (pod level, inherited): the container runs without AppArmor`,
      });
    }
    if (container && !confined(container.value)) {
      violations.push({ path: container.path, message: `AppArmor profile is ${show(container.value)}: the container runs without AppArmor` });
    }
    return verdict(violations);
  },
  guide: `
Leave AppArmor at the runtime default (set nothing), or set \`RuntimeDefault\` or a \`Localhost\` profile loaded on the nodes. Remove \`Unconfined\` from \`securityContext.appArmorProfile\` (Kubernetes 1.30+) and \`unconfined\` from the older \`container.apparmor.security.beta.kubernetes.io/<container>\` annotations.

## Fix

~~~yaml
spec:
  template:
    metadata:
      annotations: {}   # drop container.apparmor.security.beta.kubernetes.io/<container>: unconfined
    spec:
      securityContext:
        appArmorProfile:
          type: RuntimeDefault
      containers:
        - name: app
          securityContext:
            appArmorProfile:
              type: RuntimeDefault   # or Localhost with localhostProfile: <profile loaded on the node>
~~~

The annotation lives on the pod template; remove it with a JSON patch (\`/\` in the key is written \`~1\`):

~~~sh
kubectl -n <namespace> patch deployment <name> --type json \\
  -p '[{"op":"remove","path":"/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1<container>"}]'
~~~

## Prevent

The \`baseline\` Pod Security Standard rejects unconfined AppArmor profiles, in both forms:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno (based on the \`restrict-apparmor-profiles\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-apparmor-profiles
spec:
  background: true
  rules:
    - name: app-armor-annotations
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "AppArmor profiles other than runtime/default or localhost/* are not allowed."
        pattern:
          =(metadata):
            =(annotations):
              =(container.apparmor.security.beta.kubernetes.io/*): "runtime/default | localhost/*"
    - name: app-armor-fields
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "appArmorProfile.type must be RuntimeDefault or Localhost."
        pattern:
          spec:
            =(securityContext):
              =(appArmorProfile):
                =(type): "RuntimeDefault | Localhost"
            =(ephemeralContainers):
              - =(securityContext):
                  =(appArmorProfile):
                    =(type): "RuntimeDefault | Localhost"
            =(initContainers):
              - =(securityContext):
                  =(appArmorProfile):
                    =(type): "RuntimeDefault | Localhost"
            containers:
              - =(securityContext):
                  =(appArmorProfile):
                    =(type): "RuntimeDefault | Localhost"
~~~
`,
});
