/** Edge cases of the layer 3 checks that the pass/fail fixtures cannot show one by one. */
import { describe, expect, it } from "vitest";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import type { Check } from "@/lib/engine/model/check";
import type { CoverageEntry, EngineInput } from "@/lib/engine/model/engine-input";
import { defaultDenyEgress } from "@/lib/engine/checks/3-network/default-deny-egress";
import { defaultDenyIngress } from "@/lib/engine/checks/3-network/default-deny-ingress";
import { ciliumPolicyEnforcement } from "@/lib/engine/checks/3-network/cilium-policy-enforcement";
import { meshMtlsStrict } from "@/lib/engine/checks/3-network/mesh-mtls-strict";
import { meshNamespaceMembership } from "@/lib/engine/checks/3-network/mesh-namespace-membership";
import { meshAuthorizationPolicy } from "@/lib/engine/checks/3-network/mesh-authorization-policy";
import { serviceExposure } from "@/lib/engine/checks/3-network/service-exposure";

const NOW = "2026-11-01T00:00:00Z";
const deployment = (ns: string, name = "app", labels = "{app: app}") =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  template:\n    metadata: {labels: ${labels}}\n    spec:\n      containers: [{name: a, image: registry.example.com/a:1}]`;
const istiod = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: istiod, namespace: istio-system}\nspec:\n  template:\n    spec:\n      containers: [{name: discovery, image: docker.io/istio/pilot:1.24.1}]";

function run(check: Check, docs: string[], coverage?: CoverageEntry[]) {
  const input: EngineInput = parseManifests(docs.join("\n---\n"), "edge.yaml");
  if (coverage) input.coverage = coverage;
  return evaluate(input, { now: NOW, checks: [check] });
}

describe("default-deny-egress", () => {
  const banp = (egress: string) =>
    `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject:\n    namespaces: {}\n  egress:\n${egress}`;

  it("does not count a BaselineAdminNetworkPolicy that denies other namespaces but leaves the internet open", () => {
    const r = run(defaultDenyEgress, [deployment("shop"), banp("    - {name: deny-pods, action: Deny, to: [{namespaces: {}}]}")]);
    expect(r.checks[0]!.counts).toMatchObject({ pass: 0, fail: 1 });
  });

  it("counts one that denies every namespace and every network", () => {
    const r = run(defaultDenyEgress, [deployment("shop"), banp("    - {name: deny-all, action: Deny, to: [{namespaces: {}}, {networks: [0.0.0.0/0]}]}")]);
    expect(r.checks[0]!.counts).toMatchObject({ pass: 1, fail: 0 });
  });

  it("does not count a Calico policy that allows egress to 0.0.0.0/0", () => {
    const gnp = "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  selector: all()\n  types: [Egress]\n  egress:\n    - action: Allow\n      destination: {nets: [0.0.0.0/0]}";
    expect(run(defaultDenyEgress, [deployment("shop"), gnp]).checks[0]!.counts).toMatchObject({ fail: 1 });
  });

  it("counts a Cilium rule to the world limited to some ports as a deny", () => {
    const cnp = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {}\n  egress:\n    - toEntities: [world]\n      toPorts: [{ports: [{port: "443", protocol: TCP}]}]';
    expect(run(defaultDenyEgress, [deployment("shop"), cnp]).checks[0]!.counts).toMatchObject({ pass: 1 });
  });

  it("leaves ingress unchanged: 0.0.0.0/0 with excepts still counts as a deny there", () => {
    const np = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]";
    expect(run(defaultDenyIngress, [deployment("shop"), np]).checks[0]!.counts).toMatchObject({ pass: 1 });
  });
});

describe("cilium-policy-enforcement", () => {
  const agent = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  template:\n    spec:\n      containers: [{name: agent, image: quay.io/cilium/cilium:v1.16.4}]";
  const config = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: ${data}`;

  it("fails policy audit mode: verdicts are logged, traffic flows", () => {
    const r = run(ciliumPolicyEnforcement, [agent, config('{enable-policy: default, policy-audit-mode: "true"}')]);
    expect(r.findings).toEqual([expect.objectContaining({ status: "fail", path: 'data["policy-audit-mode"]' })]);
  });

  it("passes when enable-policy is absent (Cilium's default mode)", () => {
    expect(run(ciliumPolicyEnforcement, [agent, config("{cluster-name: prod}")]).checks[0]!.counts).toMatchObject({ pass: 1 });
  });

  it("is not applicable without Cilium, and unknown when the agent runs but its config is not in the input", () => {
    expect(run(ciliumPolicyEnforcement, [deployment("shop")]).checks[0]!.counts).toMatchObject({ pass: 0, fail: 0, unknown: 0, notApplicable: 1 });
    expect(run(ciliumPolicyEnforcement, [agent]).checks[0]!.counts).toMatchObject({ unknown: 1 });
  });

  it("reports unknown when the agent redacted the mode", () => {
    expect(run(ciliumPolicyEnforcement, [agent, config('{enable-policy: "<redacted-by-ramparts>"}')]).checks[0]!.counts).toMatchObject({ unknown: 1, fail: 0 });
  });
});

describe("mesh-mtls-strict", () => {
  const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {istio-injection: enabled}}`;
  const pa = (namespace: string, mode: string, name = "default") => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  mtls: {mode: ${mode}}`;

  it("lets a namespace STRICT policy override a PERMISSIVE mesh-wide one", () => {
    const r = run(meshMtlsStrict, [istiod, pa("istio-system", "PERMISSIVE"), ns("shop"), deployment("shop"), pa("shop", "STRICT")]);
    expect(r.checks[0]!.counts).toMatchObject({ pass: 1, fail: 0 });
  });

  it("fails a meshed namespace with no PeerAuthentication at all (Istio defaults to PERMISSIVE)", () => {
    const r = run(meshMtlsStrict, [istiod, ns("shop"), deployment("shop")]);
    expect(r.findings).toEqual([expect.objectContaining({ status: "fail", path: "metadata.name", message: expect.stringMatching(/PERMISSIVE accepts plaintext/) })]);
  });

  it("does nothing without Istio-meshed namespaces", () => {
    expect(run(meshMtlsStrict, [deployment("shop"), pa("shop", "DISABLE")]).checks[0]!.counts).toMatchObject({ pass: 0, fail: 0, unknown: 0 });
  });

  it("is unknown when PeerAuthentications could not be listed", () => {
    const coverage: CoverageEntry[] = [
      { group: "", version: "v1", resource: "namespaces", status: "ok" },
      { group: "security.istio.io", version: "v1", resource: "peerauthentications", status: "forbidden" },
    ];
    expect(run(meshMtlsStrict, [ns("shop"), deployment("shop")], coverage).checks[0]!.counts).toMatchObject({ unknown: 1, fail: 0 });
  });
});

describe("mesh-namespace-membership", () => {
  it("points at the Linkerd annotation when Linkerd is the mesh", () => {
    const linkerd = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: linkerd-destination, namespace: linkerd}\nspec:\n  template:\n    spec:\n      containers: [{name: policy, image: cr.l5d.io/linkerd/policy-controller:edge-24.11.1}]";
    const r = run(meshNamespaceMembership, [linkerd, deployment("shop")]);
    expect(r.findings).toEqual([expect.objectContaining({ status: "fail", path: 'metadata.annotations["linkerd.io/inject"]' })]);
  });

  it("is not applicable when no mesh is installed", () => {
    expect(run(meshNamespaceMembership, [deployment("shop")]).checks[0]!.counts).toMatchObject({ fail: 0, pass: 0, notApplicable: 1 });
  });
});

describe("mesh-authorization-policy with Linkerd", () => {
  const ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, annotations: {linkerd.io/inject: enabled}}";
  const control = (policy: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: linkerd-destination, namespace: linkerd}\nspec:\n  template:\n    spec:\n      containers: [{name: policy, image: cr.l5d.io/linkerd/policy-controller:edge-24.11.1, args: [--cluster-domain=cluster.local, --default-policy=${policy}]}]`;

  it("reads the cluster default inbound policy from the policy controller", () => {
    expect(run(meshAuthorizationPolicy, [ns, deployment("shop"), control("deny")]).checks[0]!.counts).toMatchObject({ pass: 1 });
    const open = run(meshAuthorizationPolicy, [ns, deployment("shop"), control("all-unauthenticated")]);
    expect(open.findings).toEqual([expect.objectContaining({ status: "fail", message: expect.stringMatching(/all-unauthenticated \(cluster default\)/) })]);
  });

  it("is unknown when the namespace relies on a cluster default that is not in the input", () => {
    expect(run(meshAuthorizationPolicy, [ns, deployment("shop")]).checks[0]!.counts).toMatchObject({ unknown: 1, fail: 0 });
  });

  it("counts an Istio mesh-wide allow-nothing policy in the root namespace", () => {
    const meshNs = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}";
    const allowNothing = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-nothing, namespace: istio-system}\nspec: {}";
    expect(run(meshAuthorizationPolicy, [istiod, meshNs, deployment("shop"), allowNothing]).checks[0]!.counts).toMatchObject({ pass: 1 });
  });
});

describe("service-exposure", () => {
  it("counts the legacy source-ranges annotation", () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: admin\n  namespace: shop\n  annotations: {service.beta.kubernetes.io/load-balancer-source-ranges: "203.0.113.0/24, 198.51.100.0/24"}\nspec:\n  type: LoadBalancer\n  selector: {app: admin}\n  ports: [{port: 443}]';
    expect(run(serviceExposure, [svc]).checks[0]!.counts).toMatchObject({ pass: 1 });
  });

  it("knows that the AWS Load Balancer Controller makes internal load balancers unless told internet-facing", () => {
    const svc = (annotations: string) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\n  annotations: ${annotations}\nspec:\n  type: LoadBalancer\n  loadBalancerClass: service.k8s.aws/nlb\n  selector: {app: api}\n  ports: [{port: 443}]`;
    expect(run(serviceExposure, [svc("{}")]).checks[0]!.counts).toMatchObject({ pass: 1 });
    expect(run(serviceExposure, [svc("{service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing}")]).checks[0]!.counts).toMatchObject({ fail: 1 });
  });

  it("passes restricted source ranges even when the agent redacted an internal-LB annotation", () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\n  annotations: {networking.gke.io/load-balancer-type: "<redacted-by-ramparts>"}\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  selector: {app: api}\n  ports: [{port: 443}]';
    expect(run(serviceExposure, [svc]).checks[0]!.counts).toMatchObject({ pass: 1, unknown: 0 });
  });

  it("does not treat a LoadBalancer without selector as a front door", () => {
    const svc = "apiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: shop}\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]";
    expect(run(serviceExposure, [svc]).findings).toEqual([expect.objectContaining({ status: "fail", path: "spec.type" })]);
  });
});
