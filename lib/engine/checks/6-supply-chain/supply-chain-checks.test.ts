/** Paths of the layer-6 checks that one fail/pass fixture each cannot cover. */
import { describe, expect, it } from "vitest";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import type { Check } from "@/lib/engine/model/check";
import { imageProvenanceVerification } from "@/lib/engine/checks/6-supply-chain/image-provenance-verification";
import { gitopsSourceVerification } from "@/lib/engine/checks/6-supply-chain/gitops-source-verification";
import { gitopsProjectScope } from "@/lib/engine/checks/6-supply-chain/gitops-project-scope";
import { ciRunnerIsolation } from "@/lib/engine/checks/6-supply-chain/ci-runner-isolation";
import type { CoverageEntry } from "@/lib/engine/model/engine-input";

const run = (check: Check, yaml: string) => {
  const report = evaluate({ objects: parseManifests(yaml, "t.yaml").objects }, { now: "2026-11-01T00:00:00Z", checks: [check] });
  return { findings: report.findings.map((f) => `${f.status} ${f.resource.kind}/${f.resource.name} ${f.path}`), status: report.checks[0]!.status };
};

const cip = (mode: string) => `apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata: {name: provenance}
spec:
  mode: ${mode}
  images: [{glob: "registry.example.com/**"}]
  authorities:
    - keyless: {url: "https://fulcio.sigstore.dev"}
      attestations: [{name: p, predicateType: slsaprovenance02}]`;
const deployment = (ns: string, image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${ns}}\nspec: {template: {spec: {containers: [{name: web, image: "${image}"}]}}}`;

describe("image-provenance-verification", () => {
  it("fails an enforcing policy that reaches no running image (policy-controller: namespace not opted in)", () => {
    const r = run(imageProvenanceVerification, [cip("enforce"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}", deployment("shop", "registry.example.com/shop/web:1.0")].join("\n---\n"));
    expect(r.findings).toEqual(["fail ClusterImagePolicy/provenance spec.images"]);
  });
  it("passes once the namespace opts in", () => {
    const r = run(imageProvenanceVerification, [cip("enforce"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {policy.sigstore.dev/include: 'true'}}", deployment("shop", "registry.example.com/shop/web:1.0")].join("\n---\n"));
    expect(r).toEqual({ findings: [], status: "pass" });
  });
  it("fails the cluster when nothing verifies provenance", () => {
    expect(run(imageProvenanceVerification, deployment("shop", "nginx:1.27")).findings).toEqual(["fail Cluster/cluster metadata.name"]);
  });
  it("reads Kyverno ImageValidatingPolicy in-toto attestations", () => {
    const ivp = `apiVersion: policies.kyverno.io/v1alpha1
kind: ImageValidatingPolicy
metadata: {name: provenance}
spec:
  validationActions: [Deny]
  matchImageReferences: [{glob: "registry.example.com/*"}]
  attestors: [{name: gh, cosign: {keyless: {identities: [{issuer: "https://token.actions.githubusercontent.com", subjectRegExp: ".*"}]}}}]
  attestations: [{name: slsa, intoto: {type: "https://slsa.dev/provenance/v1"}}]`;
    expect(run(imageProvenanceVerification, [ivp, deployment("shop", "registry.example.com/shop/web:1.0")].join("\n---\n"))).toEqual({ findings: [], status: "pass" });
  });
});

describe("gitops-source-verification", () => {
  it("is not applicable without any GitOps tool", () => {
    expect(run(gitopsSourceVerification, deployment("shop", "nginx:1.27")).status).toBe("not-applicable");
  });
  it("accepts Argo CD source integrity (3.5+) instead of signature keys", () => {
    const project = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: shop, namespace: argocd}
spec:
  sourceRepos: ["*"]
  destinations: [{server: "*", namespace: shop}]
  sourceIntegrity:
    git:
      policies:
        - repos: [{url: "https://github.com/example/*"}]
          gpg: {mode: head, keys: [4AEE18F83AFDEB23]}`;
    expect(run(gitopsSourceVerification, project)).toEqual({ findings: [], status: "pass" });
  });
});

const project = (name: string, specYaml: string) => `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: ${name}, namespace: argocd}
spec:
${specYaml}`;

describe("gitops-project-scope", () => {
  it("fails the unchanged default project at its whitelist entry, saying it is the built-in default", () => {
    const yaml = project("default", `  sourceRepos: ['*']
  destinations: [{namespace: '*', server: '*'}]
  clusterResourceWhitelist: [{group: '*', kind: '*'}]`);
    const report = evaluate({ objects: parseManifests(yaml, "t.yaml").objects }, { now: "2026-11-01T00:00:00Z", checks: [gitopsProjectScope] });
    expect(report.findings.map((f) => `${f.status} ${f.resource.name} ${f.path}`)).toEqual(["fail default spec.clusterResourceWhitelist[0]"]);
    expect(report.findings[0]!.message).toContain("built-in default project is unchanged");
  });
  it("passes a project restricted to its repository and namespace", () => {
    const yaml = project("shop", `  sourceRepos: ["https://github.com/example/shop-deploy"]
  destinations: [{server: "https://kubernetes.default.svc", namespace: shop}]`);
    expect(run(gitopsProjectScope, yaml)).toEqual({ findings: [], status: "pass" });
  });
  it("fails a project named default once it is no longer the stock one, with the general message", () => {
    const yaml = project("default", `  sourceRepos: ['*']
  destinations: [{namespace: shop, server: "https://kubernetes.default.svc"}]
  clusterResourceWhitelist: [{group: '*', kind: '*'}]`);
    const report = evaluate({ objects: parseManifests(yaml, "t.yaml").objects }, { now: "2026-11-01T00:00:00Z", checks: [gitopsProjectScope] });
    expect(report.findings[0]!.message).toMatch(/^AppProject default lets any repository/);
  });
  it("reads whitelist groups as globs (rbac.* covers ClusterRoleBindings)", () => {
    const yaml = project("infra", `  sourceRepos: ['*']
  destinations: [{name: in-cluster, namespace: infra}]
  clusterResourceWhitelist: [{group: '', kind: Namespace}, {group: 'rbac.*', kind: 'Cluster*'}]`);
    expect(run(gitopsProjectScope, yaml).findings).toEqual(["fail AppProject/infra spec.clusterResourceWhitelist[1]"]);
  });
  it("passes wildcard repositories and destinations without cluster-scoped RBAC, and wildcard kinds from listed repositories", () => {
    const open = project("sandbox", `  sourceRepos: ['*']
  destinations: [{server: '*', namespace: '*'}]`);
    const platform = project("platform", `  sourceRepos: ["https://github.com/example/platform"]
  destinations: [{server: '*', namespace: '*'}]
  clusterResourceWhitelist: [{group: '*', kind: '*'}]`);
    expect(run(gitopsProjectScope, [open, platform].join("\n---\n"))).toEqual({ findings: [], status: "pass" });
  });
  it("is not applicable to a project that deploys nothing, and without any AppProject", () => {
    const locked = project("default", `  sourceRepos: ['*']
  destinations: []
  clusterResourceWhitelist: [{group: '*', kind: '*'}]`);
    expect(run(gitopsProjectScope, locked).status).toBe("not-applicable");
    expect(run(gitopsProjectScope, deployment("shop", "nginx:1.27")).status).toBe("not-applicable");
  });
  it("is unknown when AppProjects could not be listed, not applicable when the API is absent", () => {
    const live = (status: CoverageEntry["status"]) =>
      evaluate(
        { objects: parseManifests(deployment("shop", "nginx:1.27"), "t.yaml").objects, coverage: [{ group: "", version: "v1", resource: "pods", status: "ok" }, { group: "argoproj.io", version: "v1alpha1", resource: "appprojects", status }] },
        { now: "2026-11-01T00:00:00Z", checks: [gitopsProjectScope] },
      ).checks[0]!.status;
    expect(live("forbidden")).toBe("unknown");
    expect(live("absent")).toBe("not-applicable");
  });
});

const runnerPod = (name: string, specYaml: string, labels = "{actions-ephemeral-runner: 'True'}") => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: arc-runners, labels: ${labels}}
spec:
${specYaml}`;
const crb = (name: string, role: string, subject: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: [${subject}]`;

describe("ci-runner-isolation", () => {
  it("fails a Docker-in-Docker runner at the sidecar's privileged field, naming DinD", () => {
    const yaml = runnerPod("dind", `  automountServiceAccountToken: false
  containers:
    - {name: runner, image: ghcr.io/actions/actions-runner:2.321.0}
    - {name: dind, image: "docker:27.3.1-dind-alpine3.20", securityContext: {privileged: true}}`);
    const report = evaluate({ objects: parseManifests(yaml, "t.yaml").objects }, { now: "2026-11-01T00:00:00Z", checks: [ciRunnerIsolation] });
    expect(report.findings.map((f) => `${f.status} ${f.path}`)).toEqual(["fail spec.containers[1].securityContext.privileged"]);
    expect(report.findings[0]!.message).toContain("Docker-in-Docker");
  });
  it("passes a runner whose only volume is an emptyDir workspace", () => {
    const yaml = runnerPod("plain", `  automountServiceAccountToken: false
  containers:
    - name: runner
      image: ghcr.io/actions/actions-runner:2.321.0
      volumeMounts: [{name: work, mountPath: /home/runner/_work}]
  volumes: [{name: work, emptyDir: {}}]`);
    expect(run(ciRunnerIsolation, yaml)).toEqual({ findings: [], status: "pass" });
  });
  it("leaves privileged workloads that are not runners (and runner controllers) to the other checks", () => {
    const controller = `apiVersion: apps/v1
kind: Deployment
metadata: {name: controller, namespace: actions-runner-system}
spec: {template: {spec: {hostNetwork: true, containers: [{name: manager, image: "summerwind/actions-runner-controller:v0.27.6", securityContext: {privileged: true}}]}}}`;
    const dind = `apiVersion: apps/v1
kind: Deployment
metadata: {name: builder, namespace: tools}
spec: {template: {spec: {containers: [{name: dind, image: "docker:dind", securityContext: {privileged: true}}]}}}`;
    expect(run(ciRunnerIsolation, [controller, dind].join("\n---\n"))).toEqual({ findings: [], status: "not-applicable" });
  });
  it("recognizes runner images behind a mirror, and Jenkins agents only under their owner", () => {
    const mirrored = `apiVersion: apps/v1
kind: Deployment
metadata: {name: gl, namespace: ci}
spec: {template: {spec: {automountServiceAccountToken: false, hostPID: true, containers: [{name: runner, image: "registry.example.com/mirror/gitlab/gitlab-runner:v17.5.0"}]}}}`;
    const notJenkins = `apiVersion: apps/v1
kind: Deployment
metadata: {name: agent, namespace: monitoring}
spec: {template: {spec: {hostPID: true, containers: [{name: agent, image: "datadog/agent:7"}]}}}`;
    expect(run(ciRunnerIsolation, [mirrored, notJenkins].join("\n---\n")).findings).toEqual(["fail Deployment/gl spec.template.spec.hostPID"]);
  });
  it("flags runtime sockets and the directories that hold them, not other host paths", () => {
    const yaml = runnerPod("sockets", `  automountServiceAccountToken: false
  containers: [{name: runner, image: ghcr.io/actions/actions-runner:2.321.0}]
  volumes:
    - {name: a, hostPath: {path: /var/run}}
    - {name: b, hostPath: {path: /}}
    - {name: c, hostPath: {path: /var/run/crio/crio.sock}}
    - {name: d, hostPath: {path: /var/lib/docker}}
    - {name: e, hostPath: {path: /run/k3s/containerd/containerd.sock}}
    - {name: f, hostPath: {path: /srv/runner-cache}}`);
    expect(run(ciRunnerIsolation, yaml).findings).toEqual([
      "fail Pod/sockets spec.volumes[0].hostPath.path",
      "fail Pod/sockets spec.volumes[1].hostPath.path",
      "fail Pod/sockets spec.volumes[2].hostPath.path",
      "fail Pod/sockets spec.volumes[4].hostPath.path",
    ]);
  });
  it("fails a runner that mounts a token made cluster-admin through the service-account groups", () => {
    const yaml = [runnerPod("admin", `  serviceAccountName: runner
  containers: [{name: runner, image: ghcr.io/actions/actions-runner:2.321.0}]`), crb("all-sa-admin", "cluster-admin", "{kind: Group, name: 'system:serviceaccounts:arc-runners', apiGroup: rbac.authorization.k8s.io}")].join("\n---\n");
    expect(run(ciRunnerIsolation, yaml).findings).toEqual(["fail Pod/admin spec.serviceAccountName"]);
  });
  it("passes when the cluster-admin ServiceAccount's token is not mounted, or cluster-admin is only bound in one namespace", () => {
    const sa = "{kind: ServiceAccount, name: runner, namespace: arc-runners}";
    const noToken = [runnerPod("no-token", `  serviceAccountName: runner
  automountServiceAccountToken: false
  containers: [{name: runner, image: ghcr.io/actions/actions-runner:2.321.0}]`), crb("runner-admin", "cluster-admin", sa)].join("\n---\n");
    expect(run(ciRunnerIsolation, noToken)).toEqual({ findings: [], status: "pass" });
    const namespaced = [runnerPod("ns-admin", `  serviceAccountName: runner
  containers: [{name: runner, image: ghcr.io/actions/actions-runner:2.321.0}]`), `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: runner-admin, namespace: arc-runners}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [${sa}]`].join("\n---\n");
    expect(run(ciRunnerIsolation, namespaced)).toEqual({ findings: [], status: "pass" });
  });
  it("is unknown, not pass, when the role a runner is bound to could not be read", () => {
    const yaml = [runnerPod("unseen", `  serviceAccountName: runner
  containers: [{name: runner, image: ghcr.io/actions/actions-runner:2.321.0}]`), crb("runner-ops", "ops", "{kind: ServiceAccount, name: runner, namespace: arc-runners}")].join("\n---\n");
    const coverage: CoverageEntry[] = [
      { group: "", version: "v1", resource: "pods", status: "ok" },
      { group: "", version: "v1", resource: "serviceaccounts", status: "ok" },
      { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterrolebindings", status: "ok" },
      { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", status: "forbidden" },
    ];
    const report = evaluate({ objects: parseManifests(yaml, "t.yaml").objects, coverage }, { now: "2026-11-01T00:00:00Z", checks: [ciRunnerIsolation] });
    expect(report.findings.map((f) => `${f.status} ${f.path}`)).toEqual(["unknown spec.serviceAccountName"]);
  });
});
