/**
 * A synthetic cluster of about N objects, shaped like an agent snapshot of a large
 * multi-tenant cluster: per team namespace, Deployments with their ReplicaSets and Pods,
 * a StatefulSet with Pods, a CronJob with a Job and its Pod, Services, ServiceAccounts,
 * Roles and RoleBindings, NetworkPolicies, ConfigMaps and Trivy VulnerabilityReports;
 * cluster-wide, Nodes, DaemonSets with a Pod per node, the control plane, ClusterRoles
 * and bindings. About a third of the workloads carry typical misconfigurations, so the
 * engine produces findings at a realistic rate. Deterministic: the same N gives the
 * same snapshot.
 */
import type { SnapshotV1 } from "@/lib/snapshot/schema";

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

const TS = "2026-10-01T12:00:00Z";
const DEPLOYMENTS_PER_NAMESPACE = 10;
const PODS_PER_DEPLOYMENT = 3;
const PODS_PER_STATEFULSET = 2;

/** Objects one team namespace holds (see addNamespace). */
const PER_NAMESPACE =
  1 + 1 + // Namespace, default ServiceAccount
  DEPLOYMENTS_PER_NAMESPACE * (1 + 1 + PODS_PER_DEPLOYMENT + 1 + 1 + 1) + // Deployment, ReplicaSet, Pods, Service, SA, report
  (1 + PODS_PER_STATEFULSET + 1 + 1 + 1) + // StatefulSet, Pods, Service, SA, report
  (1 + 1 + 1 + 1 + 1) + // CronJob, Job, Pod, SA, report
  4 + 3 + 2; // Roles + RoleBindings, NetworkPolicies, ConfigMaps

class Ids {
  private n = 0;
  uid(): string {
    this.n++;
    return `00000000-0000-4000-8000-${this.n.toString(16).padStart(12, "0")}`;
  }
  /** Cheap deterministic "random" in [0, 1) from a counter. */
  rand(seed: number): number {
    let x = (seed * 2654435761) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x45d9f3b) >>> 0;
    x ^= x >>> 16;
    return x / 4294967296;
  }
}

function meta(ids: Ids, name: string, namespace: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, ...(namespace ? { namespace } : {}), uid: ids.uid(), resourceVersion: "1", creationTimestamp: TS, ...extra };
}

function digest(seed: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0").repeat(8);
}

interface Flaws {
  root: boolean;
  latest: boolean;
  noLimits: boolean;
  privileged: boolean;
  secretEnv: boolean;
}

function podSpec(app: string, sa: string, image: string, flaws: Flaws): Record<string, unknown> {
  const securityContext = flaws.root
    ? {}
    : { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } };
  const container: Record<string, unknown> = {
    name: app,
    image,
    imagePullPolicy: "IfNotPresent",
    ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
    env: [
      { name: "LOG_LEVEL", value: "info" },
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      ...(flaws.secretEnv ? [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: `${app}-db`, key: "password" } } }] : []),
    ],
    securityContext: flaws.privileged
      ? { privileged: true }
      : { allowPrivilegeEscalation: false, readOnlyRootFilesystem: !flaws.root, capabilities: { drop: ["ALL"] } },
    resources: flaws.noLimits ? { requests: { cpu: "100m", memory: "128Mi" } } : { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: "/live", port: "http" }, periodSeconds: 20 },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, { name: "config", mountPath: "/etc/app", readOnly: true }],
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
  };
  return {
    serviceAccountName: sa,
    automountServiceAccountToken: false,
    securityContext,
    containers: [container],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }, { name: "config", configMap: { name: `${app}-config` } }],
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 30,
    dnsPolicy: "ClusterFirst",
    schedulerName: "default-scheduler",
  };
}

function pod(ids: Ids, name: string, ns: string, labels: Record<string, string>, spec: Record<string, unknown>, owner: Obj, node: string): Obj {
  const containers = spec.containers as { name: string; image: string }[];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: meta(ids, name, ns, {
      labels,
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
    }),
    spec: { ...spec, nodeName: node },
    status: {
      phase: "Running",
      podIP: "10.0.0.1",
      qosClass: "Burstable",
      startTime: TS,
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: TS }],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: c.image.includes("@") ? c.image : `${c.image.replace(/:[^/:]+$/, "")}@sha256:${digest(c.image)}`,
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: TS } },
      })),
    },
  };
}

function vulnReport(ids: Ids, ns: string, kind: string, name: string, container: string, image: string, bad: boolean): Obj {
  // What Trivy records: the repository and tag as referenced, and the digest that runs.
  const named = image.split("@")[0]!;
  const tagMatch = /:([^/:]+)$/.exec(named);
  const repo = tagMatch ? named.slice(0, -tagMatch[0].length) : named;
  const runningDigest = image.includes("@") ? image.slice(image.indexOf("@") + 1) : `sha256:${digest(image)}`;
  return {
    apiVersion: "aquasecurity.github.io/v1alpha1",
    kind: "VulnerabilityReport",
    metadata: meta(ids, `${kind.toLowerCase()}-${name}-${container}`, ns, {
      labels: { "trivy-operator.resource.kind": kind, "trivy-operator.resource.name": name, "trivy-operator.resource.namespace": ns, "trivy-operator.container.name": container },
    }),
    report: {
      updateTimestamp: TS,
      scanner: { name: "Trivy", vendor: "Aqua Security", version: "0.56.2" },
      registry: { server: repo.startsWith("docker.io/") ? "index.docker.io" : "registry.example.com" },
      artifact: { repository: repo.replace(/^(registry\.example\.com|docker\.io)\//, ""), tag: tagMatch?.[1] ?? "latest", digest: runningDigest },
      os: { family: "debian", name: "12.7" },
      summary: bad ? { criticalCount: 2, highCount: 9, mediumCount: 20, lowCount: 31, unknownCount: 0 } : { criticalCount: 0, highCount: 0, mediumCount: 1, lowCount: 4, unknownCount: 0 },
      vulnerabilities: [],
    },
  };
}

function addNamespace(out: Obj[], ids: Ids, index: number, nodes: string[]): void {
  const ns = `team-${String(index).padStart(4, "0")}`;
  const hardenedNs = index % 3 !== 0;
  out.push({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: meta(ids, ns, undefined, {
      labels: { "kubernetes.io/metadata.name": ns, ...(hardenedNs ? { "pod-security.kubernetes.io/enforce": "restricted", "istio-injection": "enabled" } : { "pod-security.kubernetes.io/warn": "baseline" }) },
    }),
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  });
  out.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(ids, "default", ns), automountServiceAccountToken: false });
  const flawsOf = (seed: number): Flaws => {
    const r = ids.rand(seed);
    const bad = r < 0.33;
    return { root: bad, latest: bad && r < 0.15, noLimits: r < 0.25, privileged: r < 0.01, secretEnv: bad && r < 0.2 };
  };
  let nodeIndex = index;
  const nextNode = () => nodes[nodeIndex++ % nodes.length]!;

  for (let d = 0; d < DEPLOYMENTS_PER_NAMESPACE; d++) {
    const app = `svc-${d}`;
    const flaws = flawsOf(index * 100 + d);
    const image = flaws.latest ? `docker.io/library/nginx:latest` : `registry.example.com/${ns}/${app}:1.${d}.0@sha256:${digest(ns + app)}`;
    const labels = { "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": ns };
    out.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(ids, app, ns), automountServiceAccountToken: false });
    const spec = podSpec(app, app, image, flaws);
    const dep: Obj = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(ids, app, ns, { labels, annotations: { "deployment.kubernetes.io/revision": "3" }, generation: 3 }),
      spec: { replicas: PODS_PER_DEPLOYMENT, selector: { matchLabels: { "app.kubernetes.io/name": app } }, strategy: { type: "RollingUpdate" }, template: { metadata: { labels }, spec } },
      status: { replicas: PODS_PER_DEPLOYMENT, readyReplicas: PODS_PER_DEPLOYMENT, availableReplicas: PODS_PER_DEPLOYMENT, observedGeneration: 3 },
    };
    out.push(dep);
    const hash = digest(ns + app + "rs").slice(0, 10);
    const rsLabels = { ...labels, "pod-template-hash": hash };
    const rs: Obj = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: meta(ids, `${app}-${hash}`, ns, { labels: rsLabels, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: app, uid: dep.metadata.uid, controller: true }] }),
      spec: { replicas: PODS_PER_DEPLOYMENT, selector: { matchLabels: { "app.kubernetes.io/name": app, "pod-template-hash": hash } }, template: { metadata: { labels: rsLabels }, spec } },
      status: { replicas: PODS_PER_DEPLOYMENT, readyReplicas: PODS_PER_DEPLOYMENT },
    };
    out.push(rs);
    for (let p = 0; p < PODS_PER_DEPLOYMENT; p++) out.push(pod(ids, `${app}-${hash}-${digest(String(p)).slice(0, 5)}`, ns, rsLabels, spec, rs, nextNode()));
    out.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(ids, app, ns, { labels }),
      spec: { type: d === 0 && !hardenedNs ? "LoadBalancer" : "ClusterIP", selector: { "app.kubernetes.io/name": app }, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }], clusterIP: "10.96.0.10" },
    });
    out.push(vulnReport(ids, ns, "ReplicaSet", `${app}-${hash}`, app, image, flaws.root));
  }

  {
    const app = "db";
    const flaws = flawsOf(index * 100 + 50);
    const image = `registry.example.com/mirror/postgres:16.4@sha256:${digest("postgres")}`;
    const labels = { "app.kubernetes.io/name": app };
    out.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(ids, app, ns), automountServiceAccountToken: false });
    const spec = podSpec(app, app, image, flaws);
    const sts: Obj = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(ids, app, ns, { labels }),
      spec: {
        serviceName: app,
        replicas: PODS_PER_STATEFULSET,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } }],
      },
      status: { replicas: PODS_PER_STATEFULSET, readyReplicas: PODS_PER_STATEFULSET },
    };
    out.push(sts);
    for (let p = 0; p < PODS_PER_STATEFULSET; p++) out.push(pod(ids, `${app}-${p}`, ns, { ...labels, "statefulset.kubernetes.io/pod-name": `${app}-${p}` }, spec, sts, nextNode()));
    out.push({ apiVersion: "v1", kind: "Service", metadata: meta(ids, app, ns, { labels }), spec: { clusterIP: "None", selector: labels, ports: [{ name: "pg", port: 5432 }] } });
    out.push(vulnReport(ids, ns, "StatefulSet", app, app, image, flaws.root));
  }

  {
    const app = "nightly";
    const flaws = flawsOf(index * 100 + 60);
    const image = `registry.example.com/${ns}/jobs:2.0.0@sha256:${digest(ns + "jobs")}`;
    const labels = { "app.kubernetes.io/name": app };
    out.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(ids, app, ns), automountServiceAccountToken: false });
    const spec = { ...podSpec(app, app, image, flaws), restartPolicy: "Never" };
    const cron: Obj = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta(ids, app, ns, { labels }),
      spec: { schedule: "0 2 * * *", concurrencyPolicy: "Forbid", jobTemplate: { spec: { backoffLimit: 2, template: { metadata: { labels }, spec } } } },
      status: { lastScheduleTime: TS },
    };
    out.push(cron);
    const job: Obj = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: meta(ids, `${app}-29300000`, ns, { labels, ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: app, uid: cron.metadata.uid, controller: true }] }),
      spec: { backoffLimit: 2, template: { metadata: { labels }, spec } },
      status: { succeeded: 1 },
    };
    out.push(job);
    out.push(pod(ids, `${app}-29300000-abcde`, ns, labels, spec, job, nextNode()));
    out.push(vulnReport(ids, ns, "CronJob", app, app, image, flaws.root));
  }

  const rbac = "rbac.authorization.k8s.io/v1";
  out.push({ apiVersion: rbac, kind: "Role", metadata: meta(ids, "developer", ns), rules: [{ apiGroups: ["", "apps"], resources: ["pods", "pods/log", "deployments", "services", "configmaps"], verbs: ["get", "list", "watch"] }, { apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }] });
  out.push({ apiVersion: rbac, kind: "RoleBinding", metadata: meta(ids, "developers", ns), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "developer" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: `oidc:${ns}-developers` }] });
  out.push({
    apiVersion: rbac,
    kind: "Role",
    metadata: meta(ids, "ci", ns),
    rules: hardenedNs ? [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch"] }] : [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
  });
  out.push({ apiVersion: rbac, kind: "RoleBinding", metadata: meta(ids, "ci", ns), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "ci" }, subjects: [{ kind: "ServiceAccount", name: "svc-0", namespace: ns }] });

  const np = "networking.k8s.io/v1";
  if (hardenedNs) out.push({ apiVersion: np, kind: "NetworkPolicy", metadata: meta(ids, "default-deny", ns), spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });
  else out.push({ apiVersion: np, kind: "NetworkPolicy", metadata: meta(ids, "allow-all", ns), spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] } });
  out.push({ apiVersion: np, kind: "NetworkPolicy", metadata: meta(ids, "allow-dns", ns), spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }] }] } });
  out.push({ apiVersion: np, kind: "NetworkPolicy", metadata: meta(ids, "allow-web", ns), spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "svc-0" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 8080 }] }] } });

  out.push({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(ids, "svc-0-config", ns), data: { LOG_LEVEL: "info", FEATURES: "a,b,c" } });
  out.push({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(ids, "kube-root-ca.crt", ns), data: { "ca.crt": "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n" } });
}

function addClusterObjects(out: Obj[], ids: Ids, nodes: string[]): void {
  for (const name of nodes) {
    out.push({
      apiVersion: "v1",
      kind: "Node",
      metadata: meta(ids, name, undefined, { labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "topology.kubernetes.io/zone": `zone-${name.length % 3}` } }),
      spec: { podCIDR: "10.244.0.0/24", providerID: `kubeadm://${name}` },
      status: { nodeInfo: { kubeletVersion: "v1.31.2", containerRuntimeVersion: "containerd://1.7.22", operatingSystem: "linux", architecture: "amd64" }, conditions: [{ type: "Ready", status: "True" }] },
    });
  }
  for (const name of ["kube-system", "kube-public", "kube-node-lease", "default", "ingress-nginx", "falco"]) {
    out.push({ apiVersion: "v1", kind: "Namespace", metadata: meta(ids, name, undefined, { labels: { "kubernetes.io/metadata.name": name } }), status: { phase: "Active" } });
  }
  const apiserver: Obj = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: meta(ids, "kube-apiserver-cp-1", "kube-system", { labels: { component: "kube-apiserver", tier: "control-plane" }, annotations: { "kubernetes.io/config.mirror": "x" } }),
    spec: { nodeName: nodes[0], hostNetwork: true, containers: [{ name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:v1.31.2", command: ["kube-apiserver", "--encryption-provider-config=/etc/kubernetes/enc.yaml", "--audit-policy-file=/etc/kubernetes/audit.yaml", "--authorization-mode=Node,RBAC"] }] },
    status: { phase: "Running" },
  };
  out.push(apiserver);
  const daemonSets: [string, string, string][] = [
    ["kube-system", "kube-proxy", "registry.k8s.io/kube-proxy:v1.31.2"],
    ["kube-system", "cilium", `quay.io/cilium/cilium:v1.16.3@sha256:${digest("cilium")}`],
    ["falco", "falco", `docker.io/falcosecurity/falco:0.39.1@sha256:${digest("falco")}`],
  ];
  for (const [ns, name, image] of daemonSets) {
    const labels = { "app.kubernetes.io/name": name };
    const spec = { serviceAccountName: name, hostNetwork: name !== "falco", tolerations: [{ operator: "Exists" }], containers: [{ name, image, securityContext: { privileged: true } }] };
    const ds: Obj = {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: meta(ids, name, ns, { labels }),
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
      status: { desiredNumberScheduled: nodes.length, currentNumberScheduled: nodes.length, numberReady: nodes.length, numberAvailable: nodes.length },
    };
    out.push(ds);
    out.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: meta(ids, name, ns) });
    nodes.forEach((node, i) => out.push(pod(ids, `${name}-${i.toString(36).padStart(5, "0")}`, ns, labels, spec, ds, node)));
  }
  const rbac = "rbac.authorization.k8s.io/v1";
  out.push({ apiVersion: rbac, kind: "ClusterRole", metadata: meta(ids, "cluster-admin", undefined), rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["*"] }] });
  out.push({ apiVersion: rbac, kind: "ClusterRoleBinding", metadata: meta(ids, "cluster-admin", undefined), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:masters" }] });
  out.push({ apiVersion: rbac, kind: "ClusterRoleBinding", metadata: meta(ids, "oncall-admin", undefined), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "oncall@example.com" }] });
  for (let i = 0; i < 40; i++) {
    out.push({ apiVersion: rbac, kind: "ClusterRole", metadata: meta(ids, `operator-${i}`, undefined), rules: [{ apiGroups: ["", "apps"], resources: ["pods", "deployments", "configmaps", ...(i % 10 === 0 ? ["secrets"] : [])], verbs: ["get", "list", "watch"] }] });
    out.push({ apiVersion: rbac, kind: "ClusterRoleBinding", metadata: meta(ids, `operator-${i}`, undefined), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `operator-${i}` }, subjects: [{ kind: "ServiceAccount", name: "default", namespace: `team-${String(i).padStart(4, "0")}` }] });
  }
}

const COVERAGE: [string, string, string][] = [
  ["", "v1", "namespaces"], ["", "v1", "pods"], ["", "v1", "nodes"], ["", "v1", "services"], ["", "v1", "serviceaccounts"], ["", "v1", "configmaps"],
  ["apps", "v1", "deployments"], ["apps", "v1", "replicasets"], ["apps", "v1", "statefulsets"], ["apps", "v1", "daemonsets"],
  ["batch", "v1", "jobs"], ["batch", "v1", "cronjobs"],
  ["networking.k8s.io", "v1", "networkpolicies"], ["networking.k8s.io", "v1", "ingresses"],
  ["rbac.authorization.k8s.io", "v1", "roles"], ["rbac.authorization.k8s.io", "v1", "rolebindings"], ["rbac.authorization.k8s.io", "v1", "clusterroles"], ["rbac.authorization.k8s.io", "v1", "clusterrolebindings"],
  ["admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations"], ["admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations"],
  ["admissionregistration.k8s.io", "v1", "validatingadmissionpolicies"], ["admissionregistration.k8s.io", "v1", "validatingadmissionpolicybindings"],
  ["aquasecurity.github.io", "v1alpha1", "vulnerabilityreports"],
];
const ABSENT: [string, string, string][] = [
  ["cilium.io", "v2", "ciliumnetworkpolicies"], ["cilium.io", "v2", "ciliumclusterwidenetworkpolicies"], ["cilium.io", "v1alpha1", "tracingpolicies"],
  ["crd.projectcalico.org", "v1", "networkpolicies"], ["crd.projectcalico.org", "v1", "globalnetworkpolicies"], ["projectcalico.org", "v3", "networkpolicies"], ["projectcalico.org", "v3", "globalnetworkpolicies"],
  ["policy.networking.k8s.io", "v1alpha1", "adminnetworkpolicies"], ["policy.networking.k8s.io", "v1alpha1", "baselineadminnetworkpolicies"],
  ["kyverno.io", "v1", "clusterpolicies"], ["kyverno.io", "v1", "policies"], ["templates.gatekeeper.sh", "v1", "constrainttemplates"],
  ["security.istio.io", "v1", "peerauthentications"], ["security.istio.io", "v1", "authorizationpolicies"],
  ["external-secrets.io", "v1", "externalsecrets"], ["external-secrets.io", "v1", "clustersecretstores"], ["secrets-store.csi.x-k8s.io", "v1", "secretproviderclasses"],
  ["source.toolkit.fluxcd.io", "v1", "gitrepositories"], ["source.toolkit.fluxcd.io", "v1", "ocirepositories"], ["argoproj.io", "v1alpha1", "appprojects"],
  ["policy.sigstore.dev", "v1beta1", "clusterimagepolicies"],
];

/** Objects for one namespace: used to size the cluster. */
export const OBJECTS_PER_NAMESPACE = PER_NAMESPACE;

/** A snapshot of about `target` objects (within one namespace's worth). */
export function buildSyntheticSnapshot(target: number): SnapshotV1 {
  const ids = new Ids();
  const nodeCount = Math.max(3, Math.round(target / 1000));
  const nodes = Array.from({ length: nodeCount }, (_, i) => `node-${String(i).padStart(4, "0")}`);
  const out: Obj[] = [];
  addClusterObjects(out, ids, nodes);
  const namespaces = Math.max(1, Math.round((target - out.length) / PER_NAMESPACE));
  for (let i = 0; i < namespaces; i++) addNamespace(out, ids, i, nodes);
  return {
    schemaVersion: "1.0",
    agent: { version: "bench", mode: "cluster" },
    cluster: { uid: "bench-cluster", kubernetesVersion: "v1.31.2", provider: { name: "self-managed", evidence: ["kube-apiserver mirror pod"] } },
    collectedAt: TS,
    coverage: [
      ...COVERAGE.map(([group, version, resource]) => ({ group, version, resource, status: "ok" as const })),
      ...ABSENT.map(([group, version, resource]) => ({ group, version, resource, status: "absent" as const })),
    ],
    objects: out as SnapshotV1["objects"],
  };
}

/**
 * The same cluster some time later, with churn: every `1 / fraction`-th team namespace recreated
 * under a new name (all its objects, and whatever in them names it). Its findings resolve and as
 * many new ones appear, as between two snapshots of a busy cluster; the rest is unchanged.
 */
export function withChurn(snapshot: SnapshotV1, fraction: number, collectedAt: string): SnapshotV1 {
  const every = Math.max(1, Math.round(1 / fraction));
  const renamed = (ns: string) => {
    const match = /^team-(\d{4})$/.exec(ns);
    return match !== null && Number(match[1]) % every === 0;
  };
  const objects = snapshot.objects.map((object) => {
    const o = object as Obj;
    const ns = (o.kind === "Namespace" ? o.metadata.name : o.metadata.namespace) as string | undefined;
    if (!ns || !renamed(ns)) return object;
    return JSON.parse(JSON.stringify(object).replaceAll(`"${ns}"`, `"${ns}-r"`)) as typeof object;
  });
  return { ...snapshot, collectedAt, objects };
}
