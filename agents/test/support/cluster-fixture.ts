/**
 * A realistic cluster for the stand-in API server: system namespaces with control-plane pods,
 * application namespaces with Deployments → ReplicaSets → Pods, Services, Ingresses, RBAC,
 * NetworkPolicies, webhooks, ValidatingAdmissionPolicies, and the CRDs of Gatekeeper, Kyverno,
 * Istio, External Secrets and Trivy Operator (Cilium deliberately absent). Secret-looking
 * strings (CANARY_SECRETS) are planted wherever real clusters leak them: env values, args,
 * connection strings, annotations, last-applied-configuration, ConfigMap and Secret data,
 * Trivy exposed-secret matches, node arguments, webhook URLs.
 */
import type { FakeCluster, FakeResource } from "./fake-api-server";

export const CANARY_SECRETS = {
  envValue: "canary-env-9f8e7d6c5b4a3210fedcba",
  dbPassword: "canary-dbpass-Zx81Qw72Er63Ty54",
  urlPassword: "canaryUrlPw4711xyz",
  apiToken: "canary-apitoken-0a1b2c3d4e5f6a7b8c9d",
  annotationValue: "canary-annotation-44ab9c12de",
  lastApplied: "canary-lastapplied-7c7c7c7c7c",
  configMapValue: "canary-configmap-5e5e5e5e5e5e",
  secretValue: "canary-secretdata-3b3b3b3b3b3b",
  exposedMatch: "canary-exposed-match-a1a1a1a1a1",
  nodeToken: "canary-node-token-K10abcdefabcdef",
  oidcSecret: "canary-oidc-secret-d4d4d4d4d4",
  webhookPassword: "canaryWebhookPw9090",
  headerToken: "canary-header-bearer-q1w2e3r4t5y6",
  awsKey: "AKIACANARY0000000000",
  managedField: "canary-managed-field-0o0o0o0o",
} as const;

export interface ClusterShape {
  appNamespaces: number;
  deploymentsPerNamespace: number;
  podsPerDeployment: number;
  flavor?: "kubeadm" | "eks" | "k3s";
  gitVersion?: string;
}

export const KUBE_SYSTEM_UID = "4d1c5e2a-7b3f-4e9a-9c1d-2f6e8a0b3c5d";

let uidCounter = 0;
function uid(): string {
  uidCounter++;
  const hex = uidCounter.toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${hex}`;
}

const TS = "2026-10-01T12:00:00Z";

function meta(name: string, namespace?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: uid(),
    resourceVersion: String(1000 + uidCounter),
    creationTimestamp: TS,
    managedFields: [
      { manager: "kubectl-client-side-apply", operation: "Update", apiVersion: "v1", time: TS, fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:annotations": { [`f:${CANARY_SECRETS.managedField}`]: {} } } } },
    ],
    ...extra,
  };
}

function res(group: string, version: string, resource: string, kind: string, namespaced: boolean, custom = false): FakeResource {
  return { group, version, resource, kind, namespaced, custom, items: [] };
}

export function buildCluster(shape: ClusterShape): FakeCluster {
  uidCounter = 0;
  const flavor = shape.flavor ?? "kubeadm";
  const gitVersion = shape.gitVersion ?? (flavor === "eks" ? "v1.31.4-eks-2d98532" : flavor === "k3s" ? "v1.31.4+k3s1" : "v1.31.4");
  const R = {
    namespaces: res("", "v1", "namespaces", "Namespace", false),
    nodes: res("", "v1", "nodes", "Node", false),
    pods: res("", "v1", "pods", "Pod", true),
    services: res("", "v1", "services", "Service", true),
    serviceaccounts: res("", "v1", "serviceaccounts", "ServiceAccount", true),
    configmaps: res("", "v1", "configmaps", "ConfigMap", true),
    secrets: res("", "v1", "secrets", "Secret", true),
    endpoints: res("", "v1", "endpoints", "Endpoints", true),
    events: res("", "v1", "events", "Event", true),
    replicationcontrollers: res("", "v1", "replicationcontrollers", "ReplicationController", true),
    limitranges: res("", "v1", "limitranges", "LimitRange", true),
    resourcequotas: res("", "v1", "resourcequotas", "ResourceQuota", true),
    deployments: res("apps", "v1", "deployments", "Deployment", true),
    replicasets: res("apps", "v1", "replicasets", "ReplicaSet", true),
    daemonsets: res("apps", "v1", "daemonsets", "DaemonSet", true),
    statefulsets: res("apps", "v1", "statefulsets", "StatefulSet", true),
    jobs: res("batch", "v1", "jobs", "Job", true),
    cronjobs: res("batch", "v1", "cronjobs", "CronJob", true),
    networkpolicies: res("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true),
    ingresses: res("networking.k8s.io", "v1", "ingresses", "Ingress", true),
    ingressclasses: res("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false),
    clusterroles: res("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
    clusterrolebindings: res("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
    roles: res("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
    rolebindings: res("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
    vwc: res("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false),
    mwc: res("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false),
    vap: res("admissionregistration.k8s.io", "v1", "validatingadmissionpolicies", "ValidatingAdmissionPolicy", false),
    vapb: res("admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", false),
    crds: res("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false),
    constrainttemplates: res("templates.gatekeeper.sh", "v1", "constrainttemplates", "ConstraintTemplate", false, true),
    requiredlabels: res("constraints.gatekeeper.sh", "v1beta1", "k8srequiredlabels", "K8sRequiredLabels", false, true),
    privileged: res("constraints.gatekeeper.sh", "v1beta1", "k8spspprivilegedcontainer", "K8sPSPPrivilegedContainer", false, true),
    gkconfigs: res("config.gatekeeper.sh", "v1alpha1", "configs", "Config", true, true),
    clusterpolicies: res("kyverno.io", "v1", "clusterpolicies", "ClusterPolicy", false, true),
    kpolicies: res("kyverno.io", "v1", "policies", "Policy", true, true),
    policyreports: res("wgpolicyk8s.io", "v1alpha2", "policyreports", "PolicyReport", true, true),
    peerauth: res("security.istio.io", "v1", "peerauthentications", "PeerAuthentication", true, true),
    authzpolicies: res("security.istio.io", "v1", "authorizationpolicies", "AuthorizationPolicy", true, true),
    externalsecrets: res("external-secrets.io", "v1", "externalsecrets", "ExternalSecret", true, true),
    clustersecretstores: res("external-secrets.io", "v1", "clustersecretstores", "ClusterSecretStore", false, true),
    vulnreports: res("aquasecurity.github.io", "v1alpha1", "vulnerabilityreports", "VulnerabilityReport", true, true),
    configaudits: res("aquasecurity.github.io", "v1alpha1", "configauditreports", "ConfigAuditReport", true, true),
    exposedsecrets: res("aquasecurity.github.io", "v1alpha1", "exposedsecretreports", "ExposedSecretReport", true, true),
  };
  const add = (r: FakeResource, item: Record<string, unknown>) => {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    r.items.push({ apiVersion, kind: r.kind, ...item });
  };

  // Nodes
  const nodeCount = Math.max(3, Math.ceil(shape.appNamespaces / 4));
  for (let i = 0; i < nodeCount; i++) {
    const eks = flavor === "eks";
    add(R.nodes, {
      metadata: meta(eks ? `ip-10-0-${i}-17.eu-west-1.compute.internal` : `node-${i}`, undefined, {
        labels: { "kubernetes.io/os": "linux", "kubernetes.io/hostname": `node-${i}`, ...(eks ? { "eks.amazonaws.com/nodegroup": "default" } : i === 0 ? { "node-role.kubernetes.io/control-plane": "" } : {}) },
        annotations: { "node.alpha.kubernetes.io/ttl": "0", ...(flavor === "k3s" ? { "k3s.io/node-args": JSON.stringify(["server", "--token", CANARY_SECRETS.nodeToken, "--secrets-encryption"]) } : {}) },
      }),
      spec: { providerID: eks ? `aws:///eu-west-1a/i-0${i}abc` : flavor === "k3s" ? `k3s://node-${i}` : undefined, podCIDR: `10.244.${i}.0/24`, taints: i === 0 && !eks ? [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] : undefined },
      status: {
        addresses: [{ type: "InternalIP", address: `10.0.${i}.17` }],
        images: [{ names: ["registry.k8s.io/pause:3.10"], sizeBytes: 320368 }],
        conditions: [{ type: "MemoryPressure", status: "False" }, { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
        nodeInfo: { kubeletVersion: gitVersion, kubeProxyVersion: gitVersion, osImage: "Ubuntu 24.04.1 LTS", kernelVersion: "6.8.0-1019-aws", containerRuntimeVersion: "containerd://1.7.24", operatingSystem: "linux", architecture: "amd64", machineID: "abc", systemUUID: "def", bootID: "ghi" },
      },
    });
  }

  // System namespaces
  const systemNamespaces = ["kube-system", "kube-public", "kube-node-lease", "default", "gatekeeper-system", "kyverno", "istio-system", "trivy-system", "external-secrets"];
  for (const ns of systemNamespaces) {
    const m = meta(ns, undefined, { labels: { "kubernetes.io/metadata.name": ns } });
    if (ns === "kube-system") m.uid = KUBE_SYSTEM_UID;
    add(R.namespaces, { metadata: m, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
  }

  // Control plane (kubeadm: static mirror pods with the flags the checks read)
  if (flavor === "kubeadm") {
    add(R.pods, {
      metadata: meta("kube-apiserver-node-0", "kube-system", { labels: { component: "kube-apiserver", tier: "control-plane" }, annotations: { "kubernetes.io/config.mirror": "0123456789abcdef", "kubernetes.io/config.source": "file" } }),
      spec: {
        nodeName: "node-0",
        hostNetwork: true,
        priorityClassName: "system-node-critical",
        containers: [
          {
            name: "kube-apiserver",
            image: "registry.k8s.io/kube-apiserver:v1.31.4",
            command: [
              "kube-apiserver",
              "--advertise-address=10.0.0.17",
              "--authorization-mode=Node,RBAC",
              "--anonymous-auth=false",
              "--encryption-provider-config=/etc/kubernetes/enc/enc.yaml",
              "--audit-policy-file=/etc/kubernetes/audit/policy.yaml",
              "--audit-log-path=/var/log/kubernetes/audit.log",
              "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
              `--oidc-client-secret=${CANARY_SECRETS.oidcSecret}`,
              "--etcd-servers=https://127.0.0.1:2379",
            ],
            resources: { requests: { cpu: "250m" } },
          },
        ],
      },
      status: { phase: "Running", podIP: "10.0.0.17", hostIP: "10.0.0.17", containerStatuses: [{ name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.31.4", imageID: "registry.k8s.io/kube-apiserver@sha256:" + "a".repeat(64), ready: true, restartCount: 0, started: true, lastState: {}, state: { running: { startedAt: TS } } }] },
    });
    add(R.configmaps, {
      metadata: meta("kubeadm-config", "kube-system"),
      data: {
        ClusterConfiguration: [
          "apiVersion: kubeadm.k8s.io/v1beta3",
          "kind: ClusterConfiguration",
          "kubernetesVersion: v1.31.4",
          "apiServer:",
          "  extraArgs:",
          "    authorization-mode: Node,RBAC",
          "    encryption-provider-config: /etc/kubernetes/enc/enc.yaml",
          `    oidc-client-secret: ${CANARY_SECRETS.oidcSecret}`,
          "etcd:",
          "  local:",
          "    dataDir: /var/lib/etcd",
          "",
        ].join("\n"),
      },
    });
  }
  add(R.configmaps, { metadata: meta("coredns", "kube-system"), data: { Corefile: `.:53 { forward . /etc/resolv.conf } # ${CANARY_SECRETS.configMapValue}` } });
  add(R.secrets, { metadata: meta("bootstrap-token-abcdef", "kube-system"), type: "bootstrap.kubernetes.io/token", data: { "token-secret": Buffer.from(CANARY_SECRETS.secretValue).toString("base64") } });

  // System DaemonSets and tools
  add(R.daemonsets, {
    metadata: meta("kube-proxy", "kube-system", { labels: { "k8s-app": "kube-proxy" } }),
    spec: { selector: { matchLabels: { "k8s-app": "kube-proxy" } }, template: { metadata: { labels: { "k8s-app": "kube-proxy" } }, spec: { hostNetwork: true, serviceAccountName: "kube-proxy", containers: [{ name: "kube-proxy", image: "registry.k8s.io/kube-proxy:v1.31.4", command: ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf"], securityContext: { privileged: true } }] } } },
    status: { desiredNumberScheduled: nodeCount, currentNumberScheduled: nodeCount, numberReady: nodeCount, numberAvailable: nodeCount, numberMisscheduled: 0, observedGeneration: 1 },
  });
  for (const [ns, name, image] of [
    ["gatekeeper-system", "gatekeeper-controller-manager", "openpolicyagent/gatekeeper:v3.18.0"],
    ["gatekeeper-system", "gatekeeper-audit", "openpolicyagent/gatekeeper:v3.18.0"],
    ["kyverno", "kyverno-admission-controller", "ghcr.io/kyverno/kyverno:v1.13.2"],
    ["istio-system", "istiod", "docker.io/istio/pilot:1.24.1"],
    ["trivy-system", "trivy-operator", "mirror.gcr.io/aquasec/trivy-operator:0.24.1"],
    ["external-secrets", "external-secrets", "ghcr.io/external-secrets/external-secrets:v0.12.1"],
  ] as const) {
    add(R.serviceaccounts, { metadata: meta(name, ns) });
    add(R.deployments, {
      metadata: meta(name, ns, { labels: { "app.kubernetes.io/name": name } }),
      spec: { replicas: 1, selector: { matchLabels: { "app.kubernetes.io/name": name } }, template: { metadata: { labels: { "app.kubernetes.io/name": name } }, spec: { serviceAccountName: name, securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: [{ name: "manager", image, args: ["--log-level=info"], securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } }, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } }] } } },
      status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1, conditions: [{ type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." }] },
    });
  }

  // Cluster RBAC
  add(R.clusterroles, { metadata: meta("cluster-admin", undefined, { labels: { "kubernetes.io/bootstrapping": "rbac-defaults" }, annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" } }), rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["*"] }] });
  add(R.clusterroles, { metadata: meta("view"), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } }] }, rules: [{ apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "list", "watch"] }] });
  add(R.clusterroles, { metadata: meta("ci-deployer"), rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }, { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }] });
  add(R.clusterrolebindings, { metadata: meta("cluster-admin"), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:masters" }] });
  add(R.clusterrolebindings, { metadata: meta("ci-deployer"), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "ci-deployer" }, subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: "default" }] });

  // Admission
  add(R.vwc, {
    metadata: meta("gatekeeper-validating-webhook-configuration"),
    webhooks: [{ name: "validation.gatekeeper.sh", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Ignore", clientConfig: { service: { name: "gatekeeper-webhook-service", namespace: "gatekeeper-system", path: "/v1/admit" }, caBundle: Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").toString("base64") }, rules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["*"], scope: "*" }], namespaceSelector: { matchExpressions: [{ key: "admission.gatekeeper.sh/ignore", operator: "DoesNotExist" }] } }],
  });
  add(R.vwc, {
    metadata: meta("audit-sink"),
    webhooks: [{ name: "audit.example.com", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Ignore", clientConfig: { url: `https://auditor:${CANARY_SECRETS.webhookPassword}@audit.example.com/hook` }, rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"], scope: "Namespaced" }] }],
  });
  add(R.mwc, { metadata: meta("istio-sidecar-injector"), webhooks: [{ name: "namespace.sidecar-injector.istio.io", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", clientConfig: { service: { name: "istiod", namespace: "istio-system", path: "/inject" } }, rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"], scope: "*" }], namespaceSelector: { matchLabels: { "istio-injection": "enabled" } } }] });
  add(R.vap, { metadata: meta("deny-host-network"), spec: { failurePolicy: "Fail", matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }] }, validations: [{ expression: "!has(object.spec.hostNetwork) || !object.spec.hostNetwork", message: "hostNetwork is not allowed" }] } });
  add(R.vapb, { metadata: meta("deny-host-network"), spec: { policyName: "deny-host-network", validationActions: ["Deny"] } });
  add(R.crds, { metadata: meta("constrainttemplates.templates.gatekeeper.sh"), spec: { group: "templates.gatekeeper.sh", names: { kind: "ConstraintTemplate", plural: "constrainttemplates" }, scope: "Cluster", versions: [{ name: "v1", served: true, storage: true }] } });

  // Gatekeeper
  add(R.constrainttemplates, { metadata: meta("k8srequiredlabels"), spec: { crd: { spec: { names: { kind: "K8sRequiredLabels" } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", rego: "package k8srequiredlabels\nviolation[{\"msg\": msg}] { true }\n" }] }, status: { created: true, byPod: [{ id: "gatekeeper-audit-1", observedGeneration: 1 }] } });
  add(R.constrainttemplates, { metadata: meta("k8spspprivilegedcontainer"), spec: { crd: { spec: { names: { kind: "K8sPSPPrivilegedContainer" } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", rego: "package k8spspprivileged\n" }] }, status: { created: true } });
  add(R.requiredlabels, { metadata: meta("ns-must-have-owner"), spec: { enforcementAction: "dryrun", match: { kinds: [{ apiGroups: [""], kinds: ["Namespace"] }] }, parameters: { labels: [{ key: "owner" }] } }, status: { auditTimestamp: TS, totalViolations: 3, violations: [{ enforcementAction: "dryrun", kind: "Namespace", name: "default", message: `you must provide labels: {"owner"} ${CANARY_SECRETS.annotationValue}` }] } });
  add(R.privileged, { metadata: meta("psp-privileged-container"), spec: { enforcementAction: "deny", match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], excludedNamespaces: ["kube-system"] } }, status: { auditTimestamp: TS, totalViolations: 0 } });
  add(R.gkconfigs, { metadata: meta("config", "gatekeeper-system"), spec: { match: [{ excludedNamespaces: ["kube-system"], processes: ["*"] }] } });

  // Kyverno
  add(R.clusterpolicies, { metadata: meta("require-run-as-nonroot", undefined, { annotations: { "policies.kyverno.io/title": "Require runAsNonRoot", "policies.kyverno.io/category": "Pod Security Standards (Restricted)", "policies.kyverno.io/severity": "medium" } }), spec: { background: true, rules: [{ name: "run-as-non-root", match: { any: [{ resources: { kinds: ["Pod"] } }] }, validate: { failureAction: "Enforce", message: "Running as root is not allowed.", pattern: { spec: { "=(securityContext)": { "=(runAsNonRoot)": "true" } } } } }] }, status: { conditions: [{ type: "Ready", status: "True", reason: "Succeeded", message: "Ready" }] } });
  add(R.clusterpolicies, { metadata: meta("verify-images"), spec: { validationFailureAction: "Audit", rules: [{ name: "verify-signature", match: { any: [{ resources: { kinds: ["Pod"] } }] }, verifyImages: [{ imageReferences: ["ghcr.io/acme/*"], attestors: [{ entries: [{ keyless: { subject: "https://github.com/acme/*", issuer: "https://token.actions.githubusercontent.com" } }] }], mutateDigest: true, verifyDigest: true }] }] } });

  // External Secrets
  add(R.clustersecretstores, { metadata: meta("vault"), spec: { provider: { vault: { server: `https://vault-user:${CANARY_SECRETS.urlPassword}@vault.internal:8200`, path: "secret", version: "v2", auth: { kubernetes: { mountPath: "kubernetes", role: "eso" } } } } }, status: { conditions: [{ type: "Ready", status: "True", reason: "Valid", message: "store validated" }] } });
  add(R.clustersecretstores, { metadata: meta("fake-store"), spec: { provider: { fake: { data: [{ key: "/db/password", value: CANARY_SECRETS.secretValue }] } } } });

  // Istio mesh-wide mTLS
  add(R.peerauth, { metadata: meta("default", "istio-system"), spec: { mtls: { mode: "STRICT" } } });

  // Application namespaces
  for (let n = 0; n < shape.appNamespaces; n++) {
    const ns = `team-${String(n).padStart(3, "0")}`;
    const restricted = n % 3 !== 2;
    add(R.namespaces, {
      metadata: meta(ns, undefined, { labels: { "kubernetes.io/metadata.name": ns, ...(restricted ? { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" } : { "pod-security.kubernetes.io/warn": "baseline" }), ...(n % 2 === 0 ? { "istio-injection": "enabled" } : {}) }, annotations: { "owner.example.com/contact": CANARY_SECRETS.annotationValue } }),
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
    add(R.serviceaccounts, { metadata: meta("default", ns), automountServiceAccountToken: n % 4 === 0 ? undefined : false });
    add(R.roles, { metadata: meta("app-reader", ns), rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }] });
    add(R.rolebindings, { metadata: meta("app-reader", ns), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "app-reader" }, subjects: [{ kind: "ServiceAccount", name: "app", namespace: ns }] });
    if (n % 3 !== 1) add(R.networkpolicies, { metadata: meta("default-deny", ns), spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });
    add(R.configmaps, { metadata: meta("app-settings", ns), data: { DATABASE_URL: `postgres://app:${CANARY_SECRETS.urlPassword}@db.${ns}:5432/app`, LOG_LEVEL: "info", note: CANARY_SECRETS.configMapValue }, binaryData: { blob: Buffer.from(CANARY_SECRETS.configMapValue).toString("base64") } });
    add(R.secrets, { metadata: meta("app-credentials", ns), type: "Opaque", data: { password: Buffer.from(CANARY_SECRETS.secretValue).toString("base64"), token: Buffer.from(CANARY_SECRETS.apiToken).toString("base64") } });
    add(R.policyreports, { metadata: meta(`polr-ns-${ns}`, ns), scope: { kind: "Namespace", name: ns }, summary: { pass: 10, fail: 1, warn: 0, error: 0, skip: 0 }, results: [{ policy: "require-run-as-nonroot", rule: "run-as-non-root", result: "fail", severity: "medium", category: "Pod Security", message: `validation error ${CANARY_SECRETS.annotationValue}`, resources: [{ apiVersion: "v1", kind: "Pod", name: "x", namespace: ns, uid: uid() }] }, { policy: "require-run-as-nonroot", rule: "run-as-non-root", result: "pass" }] });
    add(R.exposedsecrets, { metadata: meta(`replicaset-web-${ns}`, ns, { labels: { "trivy-operator.resource.kind": "ReplicaSet", "trivy-operator.resource.name": "web", "trivy-operator.resource.namespace": ns } }), report: { scanner: { name: "Trivy", vendor: "Aqua Security", version: "0.58.0" }, artifact: { repository: "acme/web", tag: "1.2.3" }, registry: { server: "ghcr.io" }, summary: { criticalCount: 1, highCount: 0, mediumCount: 0, lowCount: 0 }, secrets: [{ ruleID: "aws-access-key-id", category: "AWS", severity: "CRITICAL", target: "/app/.env", title: "AWS Access Key ID", match: `AWS_ACCESS_KEY_ID=${CANARY_SECRETS.awsKey} ${CANARY_SECRETS.exposedMatch}` }] } });
    if (n % 2 === 0) add(R.ingresses, { metadata: meta("web", ns, { annotations: { "nginx.ingress.kubernetes.io/auth-url": `https://user:${CANARY_SECRETS.urlPassword}@auth.example.com` } }), spec: { ingressClassName: "nginx", tls: [{ hosts: [`${ns}.example.com`], secretName: "web-tls" }], rules: [{ host: `${ns}.example.com`, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web-0", port: { number: 80 } } } }] } }] }, status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } } });
    add(R.externalsecrets, { metadata: meta("db", ns), spec: { refreshInterval: "1h", secretStoreRef: { kind: "ClusterSecretStore", name: "vault" }, target: { name: "db" }, data: [{ secretKey: "password", remoteRef: { key: `apps/${ns}/db`, property: "password" } }] }, status: { conditions: [{ type: "Ready", status: "True", reason: "SecretSynced", message: "Secret was synced" }] } });
    if (n % 5 === 0) {
      add(R.cronjobs, { metadata: meta("nightly-report", ns), spec: { schedule: "17 2 * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "report", image: "ghcr.io/acme/report:2.0", command: ["sh", "-c", `export API_TOKEN=${CANARY_SECRETS.apiToken}; /bin/report`], env: [{ name: "SMTP_PASSWORD", value: CANARY_SECRETS.dbPassword }] }] } } } } } });
    }

    for (let d = 0; d < shape.deploymentsPerNamespace; d++) {
      const app = `web-${d}`;
      const labels = { app, "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": ns };
      const hardened = (n + d) % 4 !== 3;
      const image = hardened ? `ghcr.io/acme/${app}@sha256:${(n * 1000 + d).toString(16).padStart(64, "0")}` : `docker.io/library/nginx:latest`;
      const podSpec = {
        serviceAccountName: hardened ? "app" : undefined,
        automountServiceAccountToken: hardened ? false : undefined,
        securityContext: hardened ? { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } } : {},
        containers: [
          {
            name: "app",
            image,
            args: ["--port=8080", `--db-password=${CANARY_SECRETS.dbPassword}`, `--db-url=postgres://app:${CANARY_SECRETS.urlPassword}@db:5432/app`],
            env: [
              { name: "LOG_LEVEL", value: "info" },
              { name: "SESSION_SECRET", value: CANARY_SECRETS.envValue },
              { name: "SESSION_SECRET_B64", value: Buffer.from(CANARY_SECRETS.envValue).toString("base64") },
              { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "app-credentials", key: "password" } } },
            ],
            ports: [{ containerPort: 8080, protocol: "TCP" }],
            resources: hardened ? { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } } : {},
            securityContext: hardened ? { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } : { privileged: d % 8 === 3 },
            livenessProbe: { httpGet: { path: "/healthz", port: 8080, httpHeaders: [{ name: "Authorization", value: `Bearer ${CANARY_SECRETS.headerToken}` }] } },
          },
        ],
      };
      const deployment = meta(app, ns, { labels, generation: 1, annotations: { "deployment.kubernetes.io/revision": "1", "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({ kind: "Deployment", env: CANARY_SECRETS.lastApplied }) } });
      add(R.deployments, { metadata: deployment, spec: { replicas: shape.podsPerDeployment, selector: { matchLabels: { app } }, template: { metadata: { labels }, spec: podSpec }, strategy: { type: "RollingUpdate" } }, status: { replicas: shape.podsPerDeployment, readyReplicas: shape.podsPerDeployment, availableReplicas: shape.podsPerDeployment, observedGeneration: 1, conditions: [{ type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "ok" }] } });
      const rsName = `${app}-7d4b9c8f5`;
      const rsMeta = meta(rsName, ns, { labels: { ...labels, "pod-template-hash": "7d4b9c8f5" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: app, uid: deployment.uid, controller: true, blockOwnerDeletion: true }] });
      add(R.replicasets, { metadata: rsMeta, spec: { replicas: shape.podsPerDeployment, selector: { matchLabels: { app, "pod-template-hash": "7d4b9c8f5" } }, template: { metadata: { labels }, spec: podSpec } }, status: { replicas: shape.podsPerDeployment, readyReplicas: shape.podsPerDeployment, availableReplicas: shape.podsPerDeployment } });
      for (let p = 0; p < shape.podsPerDeployment; p++) {
        add(R.pods, {
          metadata: meta(`${rsName}-${p.toString(36).padStart(5, "x")}`, ns, { labels: { ...labels, "pod-template-hash": "7d4b9c8f5" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rsName, uid: rsMeta.uid, controller: true, blockOwnerDeletion: true }], annotations: n % 2 === 0 ? { "sidecar.istio.io/status": '{"initContainers":["istio-init"]}', "kyverno.io/verify-images": "{}" } : {} }),
          spec: { ...podSpec, nodeName: `node-${p % nodeCount}`, tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }] },
          status: { phase: "Running", podIP: `10.244.${n % 250}.${p + 2}`, hostIP: "10.0.0.18", qosClass: "Burstable", conditions: [{ type: "Ready", status: "True" }], containerStatuses: [{ name: "app", image, imageID: `${image.split("@")[0]}@sha256:${"b".repeat(64)}`, ready: true, restartCount: 0, started: true, state: { running: { startedAt: TS } } }] },
        });
      }
      add(R.services, { metadata: meta(app, ns, { labels }), spec: { type: d === 0 && n % 4 === 1 ? "LoadBalancer" : "ClusterIP", clusterIP: `10.96.${n % 250}.${d + 10}`, clusterIPs: [`10.96.${n % 250}.${d + 10}`], selector: { app }, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] }, status: { loadBalancer: {} } });
      add(R.serviceaccounts, { metadata: meta(d === 0 ? "app" : `${app}-sa`, ns) });
      add(R.vulnreports, { metadata: meta(`replicaset-${rsName}-app`, ns, { labels: { "trivy-operator.resource.kind": "ReplicaSet", "trivy-operator.resource.name": rsName, "trivy-operator.resource.namespace": ns, "trivy-operator.container.name": "app" } }), report: { scanner: { name: "Trivy", vendor: "Aqua Security", version: "0.58.0" }, registry: { server: "ghcr.io" }, artifact: { repository: `acme/${app}`, digest: `sha256:${"c".repeat(64)}` }, os: { family: "debian", name: "12.8" }, updateTimestamp: TS, summary: { criticalCount: d % 3, highCount: 4, mediumCount: 9, lowCount: 20, unknownCount: 0 }, vulnerabilities: [{ vulnerabilityID: "CVE-2024-0001", severity: "HIGH", resource: "openssl", installedVersion: "3.0.1", fixedVersion: "3.0.2", title: "openssl: something", description: "long text ".repeat(20), primaryLink: "https://avd.aquasec.com/nvd/cve-2024-0001" }] } });
      add(R.configaudits, { metadata: meta(`replicaset-${rsName}`, ns), report: { scanner: { name: "Trivy" }, updateTimestamp: TS, summary: { criticalCount: 0, highCount: 1, mediumCount: 2, lowCount: 3 }, checks: [{ checkID: "KSV012", title: "Runs as root user", severity: "MEDIUM", success: hardened, messages: ["Container 'app' should set runAsNonRoot"] }] } });
    }
  }

  return { gitVersion, resources: Object.values(R) };
}

export function countObjects(cluster: FakeCluster): number {
  return cluster.resources.reduce((sum, r) => sum + r.items.length, 0);
}

/** The objects of a cluster as `kubectl get -o json` would print them (a List), for --from-file. */
export function asKubectlList(cluster: FakeCluster): { apiVersion: string; kind: string; items: unknown[] } {
  return { apiVersion: "v1", kind: "List", items: cluster.resources.flatMap((r) => r.items) };
}
