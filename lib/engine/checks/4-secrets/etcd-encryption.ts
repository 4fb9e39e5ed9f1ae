import { CLUSTER_RESOURCE, defineCheck, fail, pass, unknown } from "@/lib/engine/checks/define";
import { annotationsOf, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import { apiServerPods, findFlag } from "@/lib/engine/checks/helpers/api-server";
import type { CheckOutcome } from "@/lib/engine/model/check";

const FLAG = "--encryption-provider-config";

const MANAGED: Record<string, string> = {
  eks: "EKS keeps the encryption configuration in the EKS API: check `aws eks describe-cluster --name <cluster> --query cluster.encryptionConfig`",
  gke: "GKE keeps it in the GKE API: check `gcloud container clusters describe <cluster> --format='value(databaseEncryption.state)'` (ENCRYPTED)",
  aks: "AKS keeps it in Azure: check `az aks show -n <cluster> -g <group> --query securityProfile.azureKeyVaultKms`",
};

export const etcdEncryption = defineCheck({
  id: "etcd-encryption",
  title: "Secrets are encrypted at rest in etcd",
  layer: 4,
  severity: "high",
  scope: "cluster",
  why: "Without an encryption provider, Secrets are stored in etcd as base64 plaintext: anyone with a copy of an etcd backup, a snapshot of its disk or direct etcd access reads every token, password and key in the cluster.",
  references: { cis: ["1.2.27"], nsa: ["Network separation and hardening: encryption"], kubescape: ["C-0066"] },
  needs: [{ group: "", resource: "pods", optional: true }, { group: "", resource: "nodes", optional: true }, { group: "config.openshift.io", resource: "apiservers", optional: true }],
  evaluate(ctx) {
    const inv = ctx.inventory;
    const provider = ctx.cluster.provider;
    if (provider && MANAGED[provider]) {
      ctx.record({ resource: CLUSTER_RESOURCE }, unknown(`managed control plane (${provider}): etcd encryption is not visible from the Kubernetes API. ${MANAGED[provider]}`));
      return;
    }
    const apiServerConfig = inv.ofType("config.openshift.io", "APIServer").find((o) => o.metadata.name === "cluster");
    if (apiServerConfig) {
      const type = asString(asRecord(asRecord((apiServerConfig as UnknownRecord).spec)?.encryption)?.type);
      const outcome: CheckOutcome = type === "aescbc" || type === "aesgcm" || type === "kms" ? pass() : fail("spec.encryption.type", `OpenShift API server encryption type is ${type ?? "unset"} (identity): etcd data is not encrypted`);
      ctx.record({ resource: apiServerConfig }, outcome);
      return;
    }
    if (provider === "openshift") {
      ctx.record({ resource: CLUSTER_RESOURCE }, unknown("OpenShift APIServer 'cluster' object is not in the input"));
      return;
    }
    const pods = apiServerPods(inv.ofType("", "Pod"), inv.namespaceOf);
    if (pods.length > 0) {
      for (const pod of pods) {
        const flag = findFlag(pod, FLAG);
        ctx.record({ resource: pod }, flag.found ? pass() : fail(flag.path, `kube-apiserver runs without ${FLAG}: Secrets are stored unencrypted in etcd`));
      }
      return;
    }
    // k3s and RKE2 run the API server inside their own process; their node annotation carries the server flags.
    for (const node of inv.ofType("", "Node")) {
      const args = annotationsOf(node)["k3s.io/node-args"] ?? annotationsOf(node)["rke2.io/node-args"];
      if (args === undefined) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(args);
      } catch {
        parsed = undefined;
      }
      if (Array.isArray(parsed) && parsed.some((a) => typeof a === "string" && (a === "--secrets-encryption" || a === "--secrets-encryption=true"))) {
        ctx.record({ resource: node }, pass());
        return;
      }
    }
    const why = !ctx.canSee("", "pods") ? "pods in kube-system could not be listed" : "no kube-apiserver pod in kube-system (hosted control plane, or k3s/RKE2 without the flag in its node arguments)";
    ctx.record({ resource: CLUSTER_RESOURCE }, unknown(`cannot see the API server's flags: ${why}`));
  },
  guide: `
Configure an \`EncryptionConfiguration\` for Secrets with a KMS v2 provider (preferred: the key stays in your KMS) or \`aescbc\`/\`aesgcm\`, point the API server at it, then rewrite existing Secrets so they are stored encrypted.

## Fix

Self-managed (kubeadm): on every control-plane node, create \`/etc/kubernetes/enc/encryption.yaml\`:

~~~yaml
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aescbc:
          keys:
            - name: key1
              secret: <output of: head -c 32 /dev/urandom | base64>
      - identity: {}   # last: lets the API server read data written before encryption
~~~

Add the flag and mount to \`/etc/kubernetes/manifests/kube-apiserver.yaml\`:

~~~yaml
spec:
  containers:
    - command:
        - kube-apiserver
        - --encryption-provider-config=/etc/kubernetes/enc/encryption.yaml
      volumeMounts:
        - name: enc
          mountPath: /etc/kubernetes/enc
          readOnly: true
  volumes:
    - name: enc
      hostPath:
        path: /etc/kubernetes/enc
        type: DirectoryOrCreate
~~~

Then re-encrypt what is already stored:

~~~sh
kubectl get secrets --all-namespaces -o json | kubectl replace -f -
~~~

k3s: start the server with \`--secrets-encryption\`. OpenShift: \`oc patch apiserver cluster --type merge -p '{"spec":{"encryption":{"type":"aescbc"}}}'\`.
Managed clusters: EKS \`aws eks associate-encryption-config\` with a KMS key; GKE application-layer Secrets encryption (\`--database-encryption-key\`); AKS KMS etcd encryption (\`az aks update --enable-azure-keyvault-kms\`).

## Prevent

The API server's configuration cannot be changed through the Kubernetes API, so admission policies do not apply. Keep the control-plane configuration in code (kubeadm \`ClusterConfiguration\` \`apiServer.extraArgs\`, Terraform for managed clusters) and fail the pipeline when the encryption setting is missing, for example with a Conftest/OPA rule on your Terraform plan or kubeadm config. Rotate the key on a schedule (add a new first key, re-encrypt, remove the old one).
`,
});
