import { defineWorkloadCheck, verdict } from "@/lib/engine/checks/define";
import { RESTRICTED_VOLUME_SOURCES } from "@/lib/engine/checks/helpers/pod-security";
import { asArray, asRecord, asString, joinPath } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

export const restrictedVolumeTypes = defineWorkloadCheck({
  id: "restricted-volume-types",
  title: "Pods use only the volume types the restricted profile allows",
  layer: 2,
  severity: "low",
  scope: "pod",
  why: "In-tree volume types such as nfs, iscsi, rbd, cephfs, flexVolume or gitRepo are mounted by the kubelet on the node with the pod's parameters: they reach storage and hosts directly, bypass the access control of PersistentVolumes and have had node-level vulnerabilities (gitRepo ran git on the host). The restricted profile keeps pods to volumes that go through claims, CSI or the API.",
  references: { nsa: ["Pod security: pod security enforcement"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateWorkload(w) {
    const violations: Violation[] = [];
    const volumes = asArray(w.podSpec.volumes);
    for (let i = 0; i < volumes.length; i++) {
      const volume = asRecord(volumes[i]);
      if (!volume) continue;
      // A volume without a source is defaulted to emptyDir by the API server.
      const sources = Object.keys(volume).filter((k) => k !== "name" && volume[k] !== null && volume[k] !== undefined);
      for (const source of sources) {
        // hostPath is host-path-volume's finding (a baseline violation): not counted twice.
        if (source === "hostPath" || RESTRICTED_VOLUME_SOURCES.has(source)) continue;
        violations.push({
          path: `${joinPath(joinPath(w.podSpecPath, "volumes"), i)}.${source}`,
          message: `volume ${asString(volume.name) ?? `#${i}`} is of type ${source}: mount it through a PersistentVolumeClaim or CSI instead`,
        });
      }
    }
    return verdict(violations);
  },
  guide: `
Use only \`configMap\`, \`csi\`, \`downwardAPI\`, \`emptyDir\`, \`ephemeral\`, \`persistentVolumeClaim\`, \`projected\` and \`secret\` volumes. Move network and block storage (nfs, iscsi, rbd, cephfs, cloud disks) behind a PersistentVolume that a claim references, where the platform team controls the connection details; replace \`gitRepo\` with an init container that clones into an \`emptyDir\`.

## Fix

~~~yaml
# was:
#   volumes:
#     - name: shared
#       nfs: {server: nfs.example.com, path: /exports/shared}
apiVersion: v1
kind: PersistentVolume
metadata:
  name: shared
spec:
  capacity: {storage: 100Gi}
  accessModes: [ReadWriteMany]
  nfs: {server: nfs.example.com, path: /exports/shared}
  claimRef: {namespace: <namespace>, name: shared}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: shared
  namespace: <namespace>
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ""
  volumeName: shared
  resources:
    requests: {storage: 100Gi}
# and in the pod:
#   volumes:
#     - name: shared
#       persistentVolumeClaim: {claimName: shared}
~~~

## Prevent

The \`restricted\` Pod Security Standard allows only these volume types:

~~~sh
kubectl label namespace <namespace> pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest
~~~

Or with Kyverno (the \`restrict-volume-types\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-volume-types
spec:
  background: true
  rules:
    - name: restricted-volumes
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
        message: "Only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes are allowed."
        deny:
          conditions:
            all:
              - key: "{{ request.object.spec.volumes[].keys(@)[] || '' }}"
                operator: AnyNotIn
                value: [name, configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret, ""]
~~~
`,
});
