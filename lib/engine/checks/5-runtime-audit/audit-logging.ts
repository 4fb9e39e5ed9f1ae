import { CLUSTER_RESOURCE, defineCheck, fail, pass, unknown } from "@/lib/engine/checks/define";
import { asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckOutcome } from "@/lib/engine/model/check";
import { apiServerFlagSources, type ApiServerFlagSource } from "@/lib/engine/checks/helpers/api-server-flags";

const POLICY = "--audit-policy-file";
const LOG = "--audit-log-path";
const WEBHOOK = "--audit-webhook-config-file";

const MANAGED: Record<string, string> = {
  eks: "EKS writes audit logs only when the control-plane log type \"audit\" is enabled: check `aws eks describe-cluster --name <cluster> --query cluster.logging` (CloudWatch log group /aws/eks/<cluster>/cluster)",
  gke: "GKE sends Kubernetes audit logs to Cloud Audit Logs (Admin Activity is always on; Data Access logs must be enabled): check the project's audit configuration and Logs Explorer (resource.type=\"k8s_cluster\")",
  aks: "AKS writes audit logs only through diagnostic settings: check `az monitor diagnostic-settings list --resource <cluster-id>` for the kube-audit or kube-audit-admin category",
};

/** Verdict for one place that shows the API server's flags. */
function judge(source: ApiServerFlagSource): CheckOutcome | "hidden" {
  const policy = source.flags.get(POLICY);
  const backend = source.flags.get(LOG) ?? source.flags.get(WEBHOOK);
  if (policy && policy.value !== "" && backend && backend.value !== "") return pass();
  // kubeadm-config and node-args may not show what the running API server got (manifest edited by hand, config files).
  if (source.kind !== "pod") return "hidden";
  if (!policy || policy.value === "") return fail(source.addPath, `kube-apiserver runs without ${POLICY}: without an audit policy it records no audit event at all`);
  return fail(policy.path, `kube-apiserver has ${POLICY} but neither ${LOG} nor ${WEBHOOK}: audit events are written nowhere`);
}

export const auditLogging = defineCheck({
  id: "audit-logging",
  title: "The API server writes an audit log",
  layer: 5,
  severity: "high",
  scope: "cluster",
  why: "The audit log is the only record of who did what through the Kubernetes API: which identity read a Secret, created a privileged pod, bound cluster-admin or exec'd into a container. Without it an intrusion cannot be detected by your SIEM, investigated or scoped afterwards.",
  references: { cis: ["1.2.16", "3.2.1"], nsa: ["Audit logging and threat detection: Kubernetes native audit logging configuration"], kubescape: ["C-0067"] },
  needs: [
    { group: "", resource: "pods", optional: true },
    { group: "", resource: "nodes", optional: true },
    { group: "", resource: "configmaps", optional: true },
    { group: "config.openshift.io", resource: "apiservers", optional: true },
  ],
  evaluate(ctx) {
    const inv = ctx.inventory;
    const provider = ctx.cluster.provider;
    if (provider && MANAGED[provider]) {
      ctx.record({ resource: CLUSTER_RESOURCE }, unknown(`managed control plane (${provider}): audit logging is configured outside the Kubernetes API. ${MANAGED[provider]}`));
      return;
    }
    const openshift = inv.ofType("config.openshift.io", "APIServer").find((o) => o.metadata.name === "cluster");
    if (openshift) {
      const audit = asRecord(asRecord((openshift as UnknownRecord).spec)?.audit);
      const profile = asString(audit?.profile);
      ctx.record({ resource: openshift }, profile === "None" ? fail("spec.audit.profile", "OpenShift API server audit profile is None: no audit events are recorded") : pass());
      return;
    }
    if (provider === "openshift") {
      ctx.record({ resource: CLUSTER_RESOURCE }, unknown("OpenShift APIServer 'cluster' object is not in the input: its audit profile cannot be read"));
      return;
    }
    const sources = apiServerFlagSources(inv);
    const pods = sources.filter((s) => s.kind === "pod");
    if (pods.length > 0) {
      for (const s of pods) ctx.record({ resource: s.object }, judge(s) as CheckOutcome);
      return;
    }
    const hidden: string[] = [];
    for (const s of sources) {
      const verdict = judge(s);
      if (verdict !== "hidden") {
        ctx.record({ resource: s.object }, verdict);
        return;
      }
      hidden.push(s.kind === "kubeadm-config" ? "kubeadm-config shows no audit flags (the static pod manifest may have been edited)" : `${s.object.metadata.name}'s node-args show no audit flags (options from a config file may not appear)`);
    }
    if (hidden.length > 0) {
      ctx.record({ resource: sources[0]!.object }, unknown(`no kube-apiserver pod to read the flags from; ${hidden[0]}`, sources[0]!.addPath));
      return;
    }
    const why = !ctx.canSee("", "pods") ? "pods in kube-system could not be listed" : "no kube-apiserver pod in kube-system (hosted control plane?), no kubeadm-config and no k3s/RKE2 node arguments";
    ctx.record({ resource: CLUSTER_RESOURCE }, unknown(`cannot see the API server's flags: ${why}`));
  },
  guide: `
Self-managed control planes pass when every kube-apiserver pod has \`--audit-policy-file\` and a backend (\`--audit-log-path\` or \`--audit-webhook-config-file\`); without a policy file the API server logs nothing, whatever the other flags say. k3s and RKE2 are read from the servers' \`node-args\` annotation (\`--kube-apiserver-arg\`), kubeadm from kubeadm-config when the mirror pods are not visible; when those do not show the flags, the result is unknown. OpenShift passes unless the APIServer audit profile is \`None\`. On EKS, GKE and AKS the setting lives in the cloud provider's API: the result is unknown, with where to check. The policy's contents (what it records) are not visible through the API.

## Fix

Write an audit policy (metadata for everything, request bodies for sensitive writes, nothing for noisy reads):

~~~yaml
# /etc/kubernetes/audit/policy.yaml
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    users: ["system:kube-proxy"]
    verbs: [watch]
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets, configmaps, serviceaccounts/token]
  - level: RequestResponse
    resources:
      - group: rbac.authorization.k8s.io
      - group: ""
        resources: [pods/exec, pods/attach, pods/portforward]
  - level: Metadata
~~~

kubeadm: add the flags and mounts to \`/etc/kubernetes/manifests/kube-apiserver.yaml\`:

~~~yaml
    - --audit-policy-file=/etc/kubernetes/audit/policy.yaml
    - --audit-log-path=/var/log/kubernetes/audit/audit.log
    - --audit-log-maxage=30
    - --audit-log-maxbackup=10
    - --audit-log-maxsize=100
~~~

k3s/RKE2: \`--kube-apiserver-arg=audit-policy-file=...\` and \`--kube-apiserver-arg=audit-log-path=...\`. EKS: \`aws eks update-cluster-config --name <cluster> --logging '{"clusterLogging":[{"types":["audit"],"enabled":true}]}'\`. AKS: a diagnostic setting with the \`kube-audit-admin\` category. OpenShift: \`oc patch apiserver cluster --type merge -p '{"spec":{"audit":{"profile":"Default"}}}'\`.

## Prevent

The API server's flags are not Kubernetes objects, so admission policies cannot guard them. Keep the control-plane configuration in code (kubeadm ClusterConfiguration, Terraform for managed clusters) with a pipeline test that fails when audit logging is off, ship the log to your SIEM, and alert when it stops receiving events.
`,
});
