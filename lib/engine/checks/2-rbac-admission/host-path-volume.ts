import { defineWorkloadCheck, verdict } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, joinPath } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

/** Host paths whose exposure means control of the node, named in the finding. */
const SENSITIVE: readonly [RegExp, string][] = [
  [/^\/+$/, "the node's whole filesystem"],
  [/(^|\/)(docker|containerd|crio|cri-dockerd|podman)\.sock$|^\/(var\/)?run\/(docker|containerd|crio)(\/|$)/, "the container runtime socket: it can start privileged containers on the node"],
  [/^\/var\/lib\/kubelet(\/|$)/, "the kubelet's directory: it holds every pod's secrets and tokens on the node"],
  [/^\/etc(\/|$)/, "the node's configuration (credentials, kubelet and kubeconfig files)"],
  [/^\/(proc|sys|dev)(\/|$)/, "kernel and device interfaces of the node"],
  [/^\/(root|home)(\/|$)/, "users' home directories on the node"],
  [/^\/var\/log(\/|$)/, "the node's logs (a symlink there can expose any host file)"],
];

function describeHostPath(p: string): string | undefined {
  const normalized = p.replace(/\/+$/, "") || "/";
  return SENSITIVE.find(([re]) => re.test(normalized))?.[1];
}

export const hostPathVolume = defineWorkloadCheck({
  id: "host-path-volume",
  title: "Pods do not mount directories of the node (hostPath)",
  layer: 2,
  severity: "high",
  scope: "pod",
  why: "A hostPath volume puts part of the node's filesystem inside the container. Through the runtime socket, the kubelet directory or /etc an attacker reads other pods' secrets, starts privileged containers or rewrites node configuration; even a read-only mount leaks credentials, and symlinks in writable mounts have led to host escapes (CVE-2021-25741). It also ties the pod to one node's disk.",
  references: { cis: ["5.2.12"], nsa: ["Pod security: pod security enforcement"], kubescape: ["C-0048"], polaris: ["hostPathSet"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateWorkload(w) {
    const violations: Violation[] = [];
    const volumes = asArray(w.podSpec.volumes);
    for (let i = 0; i < volumes.length; i++) {
      const volume = asRecord(volumes[i]);
      const hostPath = asRecord(volume?.hostPath);
      if (!volume || !hostPath) continue;
      const name = asString(volume.name) ?? `#${i}`;
      const path = asString(hostPath.path) ?? "";
      const what = describeHostPath(path);
      violations.push({
        path: `${joinPath(joinPath(w.podSpecPath, "volumes"), i)}.hostPath`,
        message: `volume ${name} mounts the node's ${path === "" ? "filesystem" : path}${what ? `: ${what}` : ""}`,
      });
    }
    return verdict(violations);
  },
  guide: `
Replace \`hostPath\` volumes with volumes that do not expose the node: \`emptyDir\` for scratch space, a \`persistentVolumeClaim\` for data, \`configMap\`/\`secret\`/\`projected\` for configuration, a CSI driver for anything else. Node agents that genuinely need host files (log shippers, CSI node plugins, runtime detectors) belong in a dedicated namespace with a documented exception.

## Fix

~~~yaml
spec:
  template:
    spec:
      containers:
        - name: app
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          # was: hostPath: {path: /srv/app-data}
          persistentVolumeClaim:
            claimName: app-data
~~~

For a node agent that must keep a host mount, mount only the file or directory it needs, read-only, and exempt it explicitly:

~~~yaml
metadata:
  annotations:
    ramparts.dev/exempt: host-path-volume
spec:
  template:
    spec:
      containers:
        - name: log-shipper
          volumeMounts:
            - name: pod-logs
              mountPath: /var/log/pods
              readOnly: true
      volumes:
        - name: pod-logs
          hostPath:
            path: /var/log/pods
            type: Directory
~~~

## Prevent

The \`baseline\` Pod Security Standard forbids hostPath volumes:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=baseline
~~~

Or with Kyverno (the \`disallow-host-path\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-host-path
spec:
  background: true
  rules:
    - name: host-path
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "hostPath volumes are forbidden: spec.volumes[*].hostPath must be unset."
        pattern:
          spec:
            =(volumes):
              - X(hostPath): "null"
~~~
`,
});
