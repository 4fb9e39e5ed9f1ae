/** Edge cases of the layer 4 checks, including what survives the agent's redaction. */
import { describe, expect, it } from "vitest";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import type { Check } from "@/lib/engine/model/check";
import type { CoverageEntry, EngineInput } from "@/lib/engine/model/engine-input";
import type { KubeObject } from "@/lib/snapshot/schema";
import { redactObject } from "@/agents/src/redact/redact-object";
import { hardcodedEnvSecret } from "@/lib/engine/checks/4-secrets/hardcoded-env-secret";
import { configmapSensitiveKeys } from "@/lib/engine/checks/4-secrets/configmap-sensitive-keys";
import { externalSecretManager } from "@/lib/engine/checks/4-secrets/external-secret-manager";
import { legacyServiceAccountToken } from "@/lib/engine/checks/4-secrets/legacy-service-account-token";
import { clustersecretstoreScope } from "@/lib/engine/checks/4-secrets/clustersecretstore-scope";
import { serviceaccountTokenMinting } from "@/lib/engine/checks/4-secrets/serviceaccount-token-minting";

const NOW = "2026-11-01T00:00:00Z";

function run(check: Check, docs: string[], extra: Partial<EngineInput> = {}) {
  const input = { ...parseManifests(docs.join("\n---\n"), "edge.yaml"), ...extra };
  return evaluate(input, { now: NOW, checks: [check] });
}

/** As the agent sends it: every object through the agent's own redaction. */
function redacted(docs: string[]): EngineInput {
  const parsed = parseManifests(docs.join("\n---\n"), "edge.yaml");
  return { objects: parsed.objects.map((o) => redactObject(o)).filter((o): o is KubeObject => o !== null) };
}

const withEnv = (env: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/api:1\n          env: ${env}`;

describe("hardcoded-env-secret after the agent's redaction", () => {
  it("still finds a literal credential by its name, without the value reaching the report", () => {
    const input = redacted([withEnv('[{name: DB_PASSWORD, value: "hunter2"}, {name: LOG_LEVEL, value: debug}]')]);
    const r = evaluate(input, { now: NOW, checks: [hardcodedEnvSecret] });
    expect(r.findings).toEqual([expect.objectContaining({ status: "fail", path: "spec.template.spec.containers[0].env[0].value", message: expect.stringMatching(/redacted by the agent/) })]);
    expect(JSON.stringify(r)).not.toContain("hunter2");
  });

  it("does not flag an empty value, which the agent keeps empty", () => {
    const input = redacted([withEnv('[{name: DB_PASSWORD, value: ""}]')]);
    expect(evaluate(input, { now: NOW, checks: [hardcodedEnvSecret] }).checks[0]!.counts).toMatchObject({ pass: 1, fail: 0 });
  });

  it("never echoes a visible value in manifests either", () => {
    const r = run(hardcodedEnvSecret, [withEnv('[{name: GITHUB_TOKEN, value: "ghp_abcdefghijklmnopqrstuvwxyz0123456789"}]')]);
    expect(r.findings).toHaveLength(1);
    expect(JSON.stringify(r)).not.toContain("ghp_abc");
  });
});

describe("configmap-sensitive-keys", () => {
  const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata: {db.password: hunter2, mode: prod}";
  const liveCoverage: CoverageEntry[] = [
    { group: "", version: "v1", resource: "pods", status: "ok" },
    { group: "", version: "v1", resource: "configmaps", namespace: "kube-system", name: "cilium-config", status: "ok", count: 1 },
  ];

  it("is not applicable on a live snapshot that carries no ConfigMap outside system namespaces", () => {
    const cilium = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {enable-policy: default}";
    const r = run(configmapSensitiveKeys, [cilium], { coverage: liveCoverage });
    expect(r.checks[0]!.counts).toMatchObject({ pass: 0, fail: 0, unknown: 0, notApplicable: 1 });
  });

  it("judges a ConfigMap the agent read by name, from its key names", () => {
    const input = { ...redacted([cm]), coverage: liveCoverage };
    const r = evaluate(input, { now: NOW, checks: [configmapSensitiveKeys] });
    expect(r.findings).toEqual([expect.objectContaining({ status: "fail", path: 'data["db.password"]' })]);
    expect(JSON.stringify(r)).not.toContain("hunter2");
  });
});

describe("external-secret-manager", () => {
  const consumer = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: registry.example.com/api:1}]\n      volumes: [{name: db, secret: {secretName: db}}]";
  const es = (status: string) =>
    `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: db, namespace: shop}\nspec:\n  secretStoreRef: {kind: ClusterSecretStore, name: vault}\n  target: {name: db}\n${status}`;

  it("fails when every ExternalSecret reports not Ready", () => {
    const r = run(externalSecretManager, [consumer, es('status:\n  conditions: [{type: Ready, status: "False", reason: SecretSyncedError}]')]);
    expect(r.findings).toEqual([expect.objectContaining({ status: "fail", path: "status.conditions", resource: expect.objectContaining({ kind: "ExternalSecret" }) })]);
  });

  it("counts Vault Agent injection on a pod template and Secrets Store CSI volumes", () => {
    const vault =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    metadata:\n      annotations: {vault.hashicorp.com/agent-inject: "true", vault.hashicorp.com/role: api}\n    spec:\n      containers: [{name: app, image: registry.example.com/api:1}]';
    expect(run(externalSecretManager, [consumer, vault.replace("name: api,", "name: api2,")]).checks[0]!.counts).toMatchObject({ pass: 1 });
    const csi =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: registry.example.com/api:1}]\n      volumes: [{name: s, csi: {driver: secrets-store.csi.k8s.io, readOnly: true, volumeAttributes: {secretProviderClass: aws}}}]";
    expect(run(externalSecretManager, [csi]).checks[0]!.counts).toMatchObject({ pass: 1 });
  });

  it("does not take an ExternalSecret without status as Ready in a live snapshot", () => {
    const coverage: CoverageEntry[] = [
      { group: "", version: "v1", resource: "pods", status: "ok" },
      { group: "external-secrets.io", version: "v1", resource: "externalsecrets", status: "ok" },
      { group: "external-secrets.io", version: "v1", resource: "clusterexternalsecrets", status: "ok" },
      { group: "secrets.hashicorp.com", version: "v1beta1", resource: "vaultstaticsecrets", status: "absent" },
      { group: "secrets.hashicorp.com", version: "v1beta1", resource: "vaultdynamicsecrets", status: "absent" },
    ];
    expect(run(externalSecretManager, [consumer, es("")], { coverage }).checks[0]!.counts).toMatchObject({ fail: 1 });
  });

  it("is not applicable when no workload reads a Secret", () => {
    const plain = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: registry.example.com/web:1}]";
    expect(run(externalSecretManager, [plain]).checks[0]!.counts).toMatchObject({ pass: 0, fail: 0, notApplicable: 1 });
  });
});

describe("legacy-service-account-token before Kubernetes 1.24", () => {
  const docs = [
    "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api, namespace: shop}\nsecrets: [{name: api-token-ab12c}]",
    "apiVersion: v1\nkind: Secret\nmetadata: {name: api-token-ab12c, namespace: shop, annotations: {kubernetes.io/service-account.name: api}}\ntype: kubernetes.io/service-account-token",
    "apiVersion: v1\nkind: Secret\nmetadata: {name: ci-forever, namespace: shop, annotations: {kubernetes.io/service-account.name: ci}}\ntype: kubernetes.io/service-account-token",
  ];

  it("reports only the token created by hand: the generated ones were unavoidable", () => {
    const r = run(legacyServiceAccountToken, docs, { cluster: { kubernetesVersion: "v1.23.17" } });
    expect(r.findings.map((f) => `${f.status} ${f.resource.name}`)).toEqual(["fail ci-forever"]);
  });

  it("reports both on 1.24 and later, and never reads token Secrets the input could not list", () => {
    expect(run(legacyServiceAccountToken, docs, { cluster: { kubernetesVersion: "v1.29.4" } }).checks[0]!.counts).toMatchObject({ fail: 2 });
    const coverage: CoverageEntry[] = [{ group: "", version: "v1", resource: "serviceaccounts", status: "ok" }];
    const live = run(legacyServiceAccountToken, [docs[0]!], { coverage, cluster: { kubernetesVersion: "v1.29.4" } });
    expect(live.findings).toEqual([expect.objectContaining({ status: "fail", path: "secrets[0]" })]);
  });
});

describe("clustersecretstore-scope", () => {
  const store = (spec: string) => `apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata: {name: vault}\nspec:\n${spec}`;
  const tokenAuth = "  provider:\n    vault:\n      server: https://vault.example.com\n      auth:\n        tokenSecretRef: {name: vault-token, key: token, namespace: external-secrets}";
  const paths = (spec: string) => run(clustersecretstoreScope, [store(spec)]).findings.map((f) => `${f.status} ${f.path ?? ""}`);

  it("fails an empty namespaceSelector and an empty conditions list: both admit every namespace", () => {
    expect(paths(`  conditions:\n    - namespaceSelector: {}\n${tokenAuth}`)).toEqual(["fail spec.conditions[0].namespaceSelector"]);
    expect(paths(`  conditions: []\n${tokenAuth}`)).toEqual(["fail spec.conditions"]);
    expect(paths(`  conditions:\n    - namespaceSelector: {matchLabels: {}, matchExpressions: []}\n${tokenAuth}`)).toEqual(["fail spec.conditions[0].namespaceSelector"]);
  });

  it("fails a selector that only excludes and a catch-all regex, passes narrow ones", () => {
    const notIn = "  conditions:\n    - namespaceSelector:\n        matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}]\n";
    expect(paths(notIn + tokenAuth)).toEqual(["fail spec.conditions[0].namespaceSelector"]);
    expect(paths(`  conditions:\n    - namespaceRegexes: [".+"]\n${tokenAuth}`)).toEqual(["fail spec.conditions[0].namespaceRegexes[0]"]);
    const narrow = "  conditions:\n    - namespaceSelector: {matchLabels: {team: shop}}\n    - namespaceRegexes: [\"^shop-.*$\", \"(?i)billing\"]\n";
    const r = run(clustersecretstoreScope, [store(narrow + tokenAuth)]);
    expect(r.checks[0]!.counts).toMatchObject({ pass: 1, fail: 0 });
  });

  it("accepts referent authentication, but not once a credential reference names a namespace", () => {
    const referent = "  provider:\n    vault:\n      server: https://vault.example.com\n      caProvider: {type: Secret, name: ca, key: ca.crt, namespace: vault}\n      auth:\n        kubernetes: {role: team, serviceAccountRef: {name: vault-reader}}";
    expect(paths(referent)).toEqual([]);
    expect(run(clustersecretstoreScope, [store(referent)]).checks[0]!.counts).toMatchObject({ pass: 1 });
    expect(paths(referent.replace("{name: vault-reader}", "{name: vault-reader, namespace: vault}"))).toEqual(["fail spec.conditions"]);
    // No credential reference at all: the controller's own identity (IRSA, workload identity) is used.
    expect(paths("  provider:\n    aws: {service: SecretsManager, region: eu-west-1}")).toEqual(["fail spec.conditions"]);
  });

  it("is not applicable without a store (ESO absent), unknown when stores could not be listed", () => {
    const absent: CoverageEntry[] = [{ group: "external-secrets.io", version: "v1", resource: "clustersecretstores", status: "absent" }];
    expect(run(clustersecretstoreScope, [], { coverage: absent }).checks[0]!.counts).toMatchObject({ notApplicable: 1, unknown: 0 });
    const forbidden: CoverageEntry[] = [{ group: "external-secrets.io", version: "v1", resource: "clustersecretstores", status: "forbidden" }];
    expect(run(clustersecretstoreScope, [], { coverage: forbidden }).checks[0]!.counts).toMatchObject({ unknown: 1, fail: 0, pass: 0 });
  });
});

describe("serviceaccount-token-minting", () => {
  const role = (rule: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: minter}\nrules:\n  - ${rule}`;
  const crb = (subject = "{kind: ServiceAccount, name: ctrl, namespace: tools}") =>
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: minter}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: minter}\nsubjects: [${subject}]`;
  const rb = (ns: string) =>
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: minter, namespace: ${ns}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: minter}\nsubjects: [{kind: User, name: alice@example.com}]`;
  const token = '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}';

  it("does not report a rule limited by resourceNames, even cluster-wide; the same rule without them fails", () => {
    const named = '{apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [external-secrets-shop], verbs: [create]}';
    expect(run(serviceaccountTokenMinting, [role(named), crb()]).checks[0]!.counts).toMatchObject({ pass: 1, fail: 0 });
    const r = run(serviceaccountTokenMinting, [role(token), crb()]);
    expect(r.findings).toEqual([
      expect.objectContaining({ status: "fail", path: "rules[0].verbs", resource: expect.objectContaining({ kind: "ClusterRole", name: "minter" }), message: expect.stringContaining("ServiceAccount tools/ctrl (ClusterRoleBinding minter, cluster-wide)") }),
    ]);
  });

  it("reports a RoleBinding in kube-system, not one in an application namespace", () => {
    expect(run(serviceaccountTokenMinting, [role(token), rb("shop")]).findings).toEqual([]);
    expect(run(serviceaccountTokenMinting, [role(token), rb("kube-system")]).findings).toEqual([expect.objectContaining({ status: "fail", path: "rules[0].verbs" })]);
  });

  it("counts wildcards the way the API server does: *, */token and * verbs, not serviceaccounts/*", () => {
    const star = run(serviceaccountTokenMinting, [role('{apiGroups: ["*"], resources: [serviceaccounts/token], verbs: ["*"]}'), crb()]);
    expect(star.findings).toEqual([expect.objectContaining({ message: expect.stringContaining("all verbs (*) on serviceaccounts/token") })]);
    const sub = run(serviceaccountTokenMinting, [role('{apiGroups: [""], resources: ["*/token"], verbs: [create]}'), crb()]);
    expect(sub.findings).toEqual([expect.objectContaining({ message: expect.stringContaining("(resources: */token)") })]);
    expect(run(serviceaccountTokenMinting, [role('{apiGroups: [""], resources: ["serviceaccounts/*"], verbs: [create]}'), crb()]).findings).toEqual([]);
    expect(run(serviceaccountTokenMinting, [role('{apiGroups: [apps], resources: ["*"], verbs: [create]}'), crb()]).findings).toEqual([]);
  });

  it("skips Kubernetes' own identities but not the groups that stand for everyone", () => {
    expect(run(serviceaccountTokenMinting, [role(token), crb("{kind: Group, name: \"system:serviceaccounts:kube-system\"}")]).findings).toEqual([]);
    expect(run(serviceaccountTokenMinting, [role(token), crb("{kind: User, name: \"system:kube-controller-manager\"}")]).findings).toEqual([]);
    expect(run(serviceaccountTokenMinting, [role(token), crb("{kind: Group, name: \"system:authenticated\"}")]).findings).toHaveLength(1);
  });
});
