/**
 * Edge cases of the layer 1 image checks that a single pass/fail fixture cannot show:
 * the whole-cluster outcomes of vulnerability-scanning, options, live pod status,
 * verification modes that depend on the namespace.
 */
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import type { Check } from "@/lib/engine/model/check";
import type { CoverageEntry } from "@/lib/engine/model/engine-input";
import type { KubeObject } from "@/lib/snapshot/schema";
import { allowedRegistries } from "@/lib/engine/checks/1-images/allowed-registries";
import { vulnerabilityScanning } from "@/lib/engine/checks/1-images/vulnerability-scanning";
import { criticalVulnerabilities } from "@/lib/engine/checks/1-images/critical-vulnerabilities";
import { imageSignatureVerification } from "@/lib/engine/checks/1-images/image-signature-verification";
import { minimalBaseImage } from "@/lib/engine/checks/1-images/minimal-base-image";
import { privilegeEscalation } from "@/lib/engine/checks/1-images/privilege-escalation";

const NOW = "2026-11-01T00:00:00Z";
const DIGEST = "sha256:" + "4f".repeat(32);

function objects(yaml: string): KubeObject[] {
  return yaml
    .split(/^---$/m)
    .map((doc) => parseYaml(doc) as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

function run(check: Check, yaml: string, extra: { coverage?: CoverageEntry[]; allowedRegistries?: string[] } = {}) {
  const input = { objects: objects(yaml), ...(extra.coverage ? { coverage: extra.coverage } : {}) };
  const report = evaluate(input, { now: NOW, checks: [check], allowedRegistries: extra.allowedRegistries });
  return { findings: report.findings, counts: report.checks[0]!.counts };
}

const ok = (group: string, resource: string, version = "v1"): CoverageEntry => ({ group, version, resource, status: "ok" });
const absent = (group: string, resource: string): CoverageEntry => ({ group, version: "v1", resource, status: "absent" });

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
        - {name: app, image: "registry.example.com/shop/web:1.27.1"}
`;

describe("vulnerability-scanning", () => {
  it("fails once for the whole cluster when no scanner and no report exist", () => {
    const { findings, counts } = run(vulnerabilityScanning, WEB);
    expect(counts).toMatchObject({ fail: 1, pass: 0 });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: "fail", resource: { kind: "Cluster" }, path: "metadata.name" });
  });

  it("fails on the operator when it runs in a live cluster but wrote no report", () => {
    const operator = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: trivy-operator, namespace: trivy-system}
spec:
  template:
    spec:
      containers:
        - {name: operator, image: "ghcr.io/aquasecurity/trivy-operator:0.24.1"}
`;
    const coverage = [ok("", "pods"), ok("apps", "deployments"), ok("aquasecurity.github.io", "vulnerabilityreports", "v1alpha1")];
    const { findings } = run(vulnerabilityScanning, `${WEB}---${operator}`, { coverage });
    expect(findings).toEqual([expect.objectContaining({ status: "fail", resource: expect.objectContaining({ name: "trivy-operator" }) })]);
  });

  it("is unknown, never failed, when the reports could not be listed", () => {
    const coverage: CoverageEntry[] = [ok("", "pods"), { group: "aquasecurity.github.io", version: "v1alpha1", resource: "vulnerabilityreports", status: "forbidden" }];
    const { findings, counts } = run(vulnerabilityScanning, WEB, { coverage });
    expect(counts).toMatchObject({ fail: 0, pass: 0, unknown: 1 });
    expect(findings[0]!.message).toContain("vulnerabilityreports.aquasecurity.github.io could not be listed (forbidden)");
  });

  it("matches a report for the digest a pod is running, when the spec names only a tag", () => {
    const yaml = `${WEB}---
apiVersion: v1
kind: Pod
metadata:
  name: web-abc
  namespace: shop
  labels: {pod-template-hash: 5d4f8c9b7}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f8c9b7, controller: true}]
spec:
  containers:
    - {name: app, image: "registry.example.com/shop/web:1.27.1"}
status:
  containerStatuses:
    - {name: app, image: "registry.example.com/shop/web:1.27.1", imageID: "registry.example.com/shop/web@${DIGEST}"}
---
apiVersion: aquasecurity.github.io/v1alpha1
kind: VulnerabilityReport
metadata: {name: pod-other-app, namespace: staging}
report:
  registry: {server: registry.example.com}
  artifact: {repository: shop/web, digest: "${DIGEST}"}
  summary: {criticalCount: 1, highCount: 0, mediumCount: 0, lowCount: 0, unknownCount: 0}
`;
    expect(run(vulnerabilityScanning, yaml).counts).toMatchObject({ pass: 1, fail: 0 });
    const critical = run(criticalVulnerabilities, yaml);
    expect(critical.findings).toEqual([expect.objectContaining({ status: "fail", container: "app", path: "spec.template.spec.containers[0].image" })]);
    expect(critical.findings[0]!.message).toContain("VulnerabilityReport staging/pod-other-app");
  });

  it("reports a summary without the count as unknown for the CVE checks", () => {
    const yaml = `${WEB}---
apiVersion: aquasecurity.github.io/v1alpha1
kind: VulnerabilityReport
metadata:
  name: replicaset-web-5d4f8c9b7-app
  namespace: shop
  labels: {trivy-operator.resource.kind: ReplicaSet, trivy-operator.resource.name: web-5d4f8c9b7, trivy-operator.container.name: app}
report:
  artifact: {repository: shop/web, tag: "1.27.1"}
  registry: {server: registry.example.com}
`;
    expect(run(criticalVulnerabilities, yaml).counts).toMatchObject({ unknown: 1, fail: 0, pass: 0 });
  });
});

describe("allowed-registries", () => {
  it("does not apply without a configured list", () => {
    const { findings, counts } = run(allowedRegistries, WEB);
    expect(findings).toEqual([]);
    expect(counts).toMatchObject({ pass: 0, fail: 0, notApplicable: 1 });
  });
  it("applies once a list is configured", () => {
    expect(run(allowedRegistries, WEB, { allowedRegistries: ["ghcr.io/acme"] }).counts).toMatchObject({ fail: 1 });
    expect(run(allowedRegistries, WEB, { allowedRegistries: ["registry.example.com/shop"] }).counts).toMatchObject({ pass: 1 });
  });
});

describe("image-signature-verification", () => {
  const policy = (extra: string) => `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: verify}
spec:
  validationFailureAction: Enforce
${extra}
  rules:
    - name: check
      match:
        any:
          - resources: {kinds: [Pod]}
      verifyImages:
        - imageReferences: ["registry.example.com/*"]
          attestors: [{entries: [{keyless: {subject: "x", issuer: "y"}}]}]
`;
  it("follows validationFailureActionOverrides per namespace", () => {
    const yaml = `${WEB}---${policy(`  validationFailureActionOverrides:
    - {action: Audit, namespaces: ["sh*"]}`)}`;
    const { findings } = run(imageSignatureVerification, yaml);
    expect(findings).toEqual([expect.objectContaining({ status: "fail" })]);
    expect(findings[0]!.message).toContain("(Audit)");
    const other = `${WEB.replace("namespace: shop", "namespace: billing")}---${policy(`  validationFailureActionOverrides:
    - {action: Audit, namespaces: ["sh*"]}`)}`;
    expect(run(imageSignatureVerification, other).counts).toMatchObject({ pass: 1, fail: 0 });
  });

  it("does not count a policy Kyverno reports as not ready", () => {
    const yaml = `${WEB}---${policy("")}
status:
  conditions: [{type: Ready, status: "False", reason: Failed}]
`;
    expect(run(imageSignatureVerification, yaml).findings[0]!.message).toContain("policy not ready");
  });

  it("is evaluated (not unknown) when the verifier APIs are absent from the cluster", () => {
    const coverage = [
      ok("", "pods"),
      ok("", "namespaces"),
      absent("kyverno.io", "clusterpolicies"),
      absent("kyverno.io", "policies"),
      absent("policies.kyverno.io", "imagevalidatingpolicies"),
      absent("policy.sigstore.dev", "clusterimagepolicies"),
      absent("templates.gatekeeper.sh", "constrainttemplates"),
    ];
    expect(run(imageSignatureVerification, WEB, { coverage }).counts).toMatchObject({ fail: 1, unknown: 0 });
  });
});

describe("minimal-base-image", () => {
  it("never fails an image it has no evidence about", () => {
    const { counts } = run(minimalBaseImage, WEB);
    expect(counts).toMatchObject({ fail: 0, pass: 0, unknown: 1 });
  });
});

describe("privilege-escalation", () => {
  it("does not apply to Windows pods", () => {
    const win = `
apiVersion: v1
kind: Pod
metadata: {name: win, namespace: shop}
spec:
  os: {name: windows}
  containers:
    - {name: iis, image: "mcr.microsoft.com/windows/servercore/iis:ltsc2022"}
`;
    expect(run(privilegeEscalation, win).counts).toMatchObject({ fail: 0, pass: 0, notApplicable: 1 });
  });
});
