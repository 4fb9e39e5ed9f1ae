/** Paths of the layer-6 checks that one fail/pass fixture each cannot cover. */
import { describe, expect, it } from "vitest";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import type { Check } from "@/lib/engine/model/check";
import { imageProvenanceVerification } from "@/lib/engine/checks/6-supply-chain/image-provenance-verification";
import { gitopsSourceVerification } from "@/lib/engine/checks/6-supply-chain/gitops-source-verification";

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
