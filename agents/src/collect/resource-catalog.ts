/**
 * The declarative list of what the agent reads. Adding a tool's CRD is one line here plus one
 * rule in the chart's ClusterRole (agents/chart/values.yaml `rbac.resources`); a test keeps both in step.
 * Secrets are never listed; ConfigMaps only by name (see NAMED_CONFIGMAPS).
 */
export interface CatalogEntry {
  group: string;
  /** Acceptable versions, best first; omitted = any served version, the server's preferred first. */
  versions?: readonly string[];
  resource: string;
  /** Why the agent reads it (docs/agent.md lists these). */
  purpose: string;
}

/** A group whose every resource is listed (its kinds are created at run time, e.g. Gatekeeper constraints). */
export interface DynamicGroupEntry {
  group: string;
  versions?: readonly string[];
  purpose: string;
}

const e = (group: string, resource: string, purpose: string, versions?: readonly string[]): CatalogEntry => ({ group, resource, purpose, versions });

export const RESOURCE_CATALOG: readonly CatalogEntry[] = [
  // Core and built-in groups. Nodes first: the provider guess reads them.
  e("", "nodes", "provider, kubelet version, taints (no addresses or images)", ["v1"]),
  e("", "namespaces", "Pod Security Admission labels, cluster identity", ["v1"]),
  e("", "pods", "container security context, images, service accounts, kube-apiserver flags", ["v1"]),
  e("", "serviceaccounts", "token automount", ["v1"]),
  e("", "services", "exposure (type, ports, selectors)", ["v1"]),
  e("", "replicationcontrollers", "workloads", ["v1"]),
  e("", "limitranges", "resource defaults", ["v1"]),
  e("", "resourcequotas", "resource quotas", ["v1"]),
  e("apps", "deployments", "workloads", ["v1"]),
  e("apps", "statefulsets", "workloads", ["v1"]),
  e("apps", "daemonsets", "workloads, runtime-security agent coverage", ["v1"]),
  e("apps", "replicasets", "workloads", ["v1"]),
  e("batch", "jobs", "workloads", ["v1"]),
  e("batch", "cronjobs", "workloads", ["v1"]),
  e("networking.k8s.io", "networkpolicies", "network segmentation", ["v1"]),
  e("networking.k8s.io", "ingresses", "exposure, TLS", ["v1"]),
  e("networking.k8s.io", "ingressclasses", "exposure", ["v1"]),
  e("policy.networking.k8s.io", "adminnetworkpolicies", "cluster-wide network policy"),
  e("policy.networking.k8s.io", "baselineadminnetworkpolicies", "cluster-wide network policy"),
  e("rbac.authorization.k8s.io", "clusterroles", "least privilege", ["v1"]),
  e("rbac.authorization.k8s.io", "clusterrolebindings", "least privilege", ["v1"]),
  e("rbac.authorization.k8s.io", "roles", "least privilege", ["v1"]),
  e("rbac.authorization.k8s.io", "rolebindings", "least privilege", ["v1"]),
  e("admissionregistration.k8s.io", "validatingwebhookconfigurations", "admission control", ["v1"]),
  e("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "admission control", ["v1"]),
  e("admissionregistration.k8s.io", "validatingadmissionpolicies", "admission control", ["v1", "v1beta1"]),
  e("admissionregistration.k8s.io", "validatingadmissionpolicybindings", "admission control", ["v1", "v1beta1"]),
  // OPA Gatekeeper
  e("templates.gatekeeper.sh", "constrainttemplates", "Gatekeeper policies"),
  e("config.gatekeeper.sh", "configs", "Gatekeeper configuration"),
  // Kyverno
  e("kyverno.io", "clusterpolicies", "Kyverno policies and their mode"),
  e("kyverno.io", "policies", "Kyverno policies and their mode"),
  e("kyverno.io", "policyexceptions", "Kyverno exceptions"),
  e("policies.kyverno.io", "validatingpolicies", "Kyverno CEL policies"),
  e("policies.kyverno.io", "imagevalidatingpolicies", "Kyverno image verification"),
  e("policies.kyverno.io", "mutatingpolicies", "Kyverno CEL policies"),
  e("policies.kyverno.io", "generatingpolicies", "Kyverno CEL policies"),
  e("wgpolicyk8s.io", "policyreports", "policy results (summary and failures only)"),
  e("wgpolicyk8s.io", "clusterpolicyreports", "policy results (summary and failures only)"),
  e("openreports.io", "reports", "policy results (summary and failures only)"),
  e("openreports.io", "clusterreports", "policy results (summary and failures only)"),
  // Istio
  e("security.istio.io", "peerauthentications", "mesh mTLS mode"),
  e("security.istio.io", "authorizationpolicies", "mesh authorization"),
  e("security.istio.io", "requestauthentications", "mesh authentication"),
  e("networking.istio.io", "destinationrules", "mesh TLS settings"),
  e("networking.istio.io", "sidecars", "mesh egress"),
  // Linkerd
  e("policy.linkerd.io", "servers", "mesh authorization"),
  e("policy.linkerd.io", "serverauthorizations", "mesh authorization"),
  e("policy.linkerd.io", "authorizationpolicies", "mesh authorization"),
  e("policy.linkerd.io", "meshtlsauthentications", "mesh authentication"),
  e("policy.linkerd.io", "networkauthentications", "mesh authentication"),
  // Cilium and Tetragon
  e("cilium.io", "ciliumnetworkpolicies", "network segmentation"),
  e("cilium.io", "ciliumclusterwidenetworkpolicies", "network segmentation"),
  e("cilium.io", "tracingpolicies", "Tetragon runtime enforcement"),
  e("cilium.io", "tracingpoliciesnamespaced", "Tetragon runtime enforcement"),
  // Calico
  e("crd.projectcalico.org", "networkpolicies", "network segmentation"),
  e("crd.projectcalico.org", "globalnetworkpolicies", "network segmentation"),
  e("projectcalico.org", "networkpolicies", "network segmentation"),
  e("projectcalico.org", "globalnetworkpolicies", "network segmentation"),
  // Secrets management (never the Secrets themselves)
  e("external-secrets.io", "externalsecrets", "External Secrets sync status"),
  e("external-secrets.io", "clusterexternalsecrets", "External Secrets sync status"),
  e("external-secrets.io", "secretstores", "External Secrets providers"),
  e("external-secrets.io", "clustersecretstores", "External Secrets providers"),
  e("secrets-store.csi.x-k8s.io", "secretproviderclasses", "Secrets Store CSI"),
  e("secrets.hashicorp.com", "vaultstaticsecrets", "Vault Secrets Operator"),
  e("secrets.hashicorp.com", "vaultdynamicsecrets", "Vault Secrets Operator"),
  e("secrets.hashicorp.com", "vaultauths", "Vault Secrets Operator"),
  e("secrets.hashicorp.com", "vaultconnections", "Vault Secrets Operator"),
  // Trivy Operator (summaries only)
  e("aquasecurity.github.io", "vulnerabilityreports", "image CVE counts (summary only)"),
  e("aquasecurity.github.io", "clustervulnerabilityreports", "image CVE counts (summary only)"),
  e("aquasecurity.github.io", "configauditreports", "configuration audit results"),
  e("aquasecurity.github.io", "clusterconfigauditreports", "configuration audit results"),
  e("aquasecurity.github.io", "exposedsecretreports", "secrets found in images (matched text dropped)"),
  e("aquasecurity.github.io", "rbacassessmentreports", "RBAC assessment results"),
  e("aquasecurity.github.io", "clusterrbacassessmentreports", "RBAC assessment results"),
  e("aquasecurity.github.io", "infraassessmentreports", "node and control-plane assessment"),
  e("aquasecurity.github.io", "clusterinfraassessmentreports", "node and control-plane assessment"),
  e("aquasecurity.github.io", "clustercompliancereports", "compliance summaries"),
  // Supply chain
  e("policy.sigstore.dev", "clusterimagepolicies", "image signature enforcement"),
  e("source.toolkit.fluxcd.io", "gitrepositories", "signed-commit verification"),
  e("source.toolkit.fluxcd.io", "ocirepositories", "artifact signature verification"),
  e("source.toolkit.fluxcd.io", "helmcharts", "chart signature verification"),
  e("argoproj.io", "appprojects", "signed-commit verification, what a project may deploy"),
  // Runtime threat detection
  e("instance.falcosecurity.dev", "falcos", "Falco instances"),
  e("instance.falcosecurity.dev", "components", "Falco components"),
  e("artifact.falcosecurity.dev", "rulesfiles", "Falco rules"),
  e("artifact.falcosecurity.dev", "plugins", "Falco plugins"),
  e("artifact.falcosecurity.dev", "configs", "Falco configuration"),
  e("security.kubearmor.com", "kubearmorpolicies", "KubeArmor enforcement"),
  e("security.kubearmor.com", "kubearmorclusterpolicies", "KubeArmor enforcement"),
  e("security.kubearmor.com", "kubearmorhostpolicies", "KubeArmor enforcement"),
  // OpenShift (audit profile, etcd encryption)
  e("config.openshift.io", "apiservers", "audit profile and etcd encryption (OpenShift)"),
  e("config.openshift.io", "clusterversions", "distribution version (OpenShift)"),
  e("operator.openshift.io", "kubeapiservers", "encryption progress (OpenShift)"),
  e("operator.openshift.io", "openshiftapiservers", "encryption progress (OpenShift)"),
];

/**
 * Gatekeeper creates one constraint kind per ConstraintTemplate. RBAC without wildcards can only
 * name the kinds it knows (values.yaml `gatekeeperConstraints`); a constraint kind outside that
 * list is recorded as "forbidden" with a hint, never silently skipped.
 */
export const DYNAMIC_GROUPS: readonly DynamicGroupEntry[] = [{ group: "constraints.gatekeeper.sh", purpose: "Gatekeeper constraints and their enforcement action" }];

export interface NamedConfigMap {
  namespace: string;
  name: string;
}

/** ConfigMaps read by name (a Role with resourceNames in their namespace); only derived keys are sent. */
export const DEFAULT_NAMED_CONFIGMAPS: readonly NamedConfigMap[] = [
  { namespace: "kube-system", name: "cilium-config" },
  { namespace: "kube-system", name: "kubeadm-config" },
];

export function parseNamedConfigMaps(value: string): NamedConfigMap[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((ref) => {
      const [namespace, name, extra] = ref.split("/");
      if (!namespace || !name || extra !== undefined) throw new Error(`named ConfigMap "${ref}" must be namespace/name`);
      return { namespace, name };
    });
}
