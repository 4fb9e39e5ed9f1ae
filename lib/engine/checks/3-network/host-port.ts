import { defineContainerCheck, verdict } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

export const hostPort = defineContainerCheck({
  id: "host-port",
  title: "Containers do not bind ports on the node (hostPort)",
  layer: 3,
  severity: "medium",
  scope: "container",
  why: "A hostPort publishes the container on every address of its node, outside Services and often outside NetworkPolicy (the CNI's portmap rule runs before pod policies on several plugins). Anyone who can reach the node, including the internet on nodes with public addresses, reaches the container directly; it also pins the pod to nodes where the port is free.",
  references: { cis: ["5.2.13"], nsa: ["Network separation and hardening: network policies"], kubescape: ["C-0044", "C-0204"], polaris: ["hostPortSet"] },
  needs: [{ group: "", resource: "pods" }],
  // hostNetwork pods bind the node's ports by definition (the API even defaults hostPort to
  // containerPort there): host-namespaces reports them, so this check does not report them twice.
  appliesTo: (c) => c.workload.podSpec.hostNetwork !== true,
  evaluateContainer(c) {
    const violations: Violation[] = [];
    asArray(c.container.ports).forEach((p, i) => {
      const port = asRecord(p);
      const host = port?.hostPort;
      if (typeof host !== "number" || host <= 0) return;
      const name = asString(port?.name);
      violations.push({
        path: c.at(`ports[${i}].hostPort`),
        message: `container port ${String(port?.containerPort ?? "?")}${name ? ` (${name})` : ""} is published on the node's port ${host}: expose it with a Service instead`,
      });
    });
    return verdict(violations);
  },
  guide: `
Remove \`hostPort\` and reach the container through a Service (ClusterIP inside the cluster; an Ingress, Gateway or LoadBalancer from outside). Node agents that truly need a node port should run in a dedicated namespace and be exempted there (\`ramparts.dev/exempt: host-port\`).

## Fix

~~~yaml
spec:
  template:
    spec:
      containers:
        - name: app
          ports:
            - containerPort: 8080   # no hostPort
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector:
    app: app
  ports:
    - port: 80
      targetPort: 8080
~~~

## Prevent

The \`baseline\` Pod Security Standard forbids host ports:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

or with Kyverno, for namespaces that cannot use Pod Security labels yet:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-host-ports
spec:
  rules:
    - name: host-ports-none
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "hostPort is not allowed"
        pattern:
          spec:
            =(ephemeralContainers):
              - =(ports):
                  - =(hostPort): 0
            =(initContainers):
              - =(ports):
                  - =(hostPort): 0
            containers:
              - =(ports):
                  - =(hostPort): 0
~~~
`,
});
