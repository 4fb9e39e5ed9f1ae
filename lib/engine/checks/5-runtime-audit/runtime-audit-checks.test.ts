/** Paths of the layer-5 checks that one fail/pass/unknown fixture each cannot cover. */
import { describe, expect, it } from "vitest";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import type { Check } from "@/lib/engine/model/check";
import type { EngineInput } from "@/lib/engine/model/engine-input";
import { networkFlowVisibility } from "@/lib/engine/checks/5-runtime-audit/network-flow-visibility";
import { auditLogging } from "@/lib/engine/checks/5-runtime-audit/audit-logging";
import { runtimeDetectionPolicies } from "@/lib/engine/checks/5-runtime-audit/runtime-detection-policies";

const run = (check: Check, yaml: string, extra: Partial<EngineInput> = {}) => {
  const report = evaluate({ objects: parseManifests(yaml, "t.yaml").objects, ...extra }, { now: "2026-11-01T00:00:00Z", checks: [check] });
  return report.findings.map((f) => `${f.status} ${f.resource.kind}/${f.resource.name} ${f.path}`).concat(report.checks[0]!.counts.pass > 0 ? [`pass x${report.checks[0]!.counts.pass}`] : []);
};

const cilium = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: cilium, namespace: kube-system}\nspec: {template: {spec: {containers: [{name: a, image: quay.io/cilium/cilium:v1.16.3}]}}}";
const config = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: ${data}`;
const relay = (status: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: hubble-relay, namespace: kube-system}\nspec: {template: {spec: {containers: [{name: r, image: quay.io/cilium/hubble-relay:v1.16.3}]}}}\nstatus: ${status}`;

describe("network-flow-visibility", () => {
  it("fails the cluster when nothing records flows", () => {
    expect(run(networkFlowVisibility, "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}")).toEqual(["fail Cluster/cluster metadata.name"]);
  });
  it("fails Hubble without relay or export, passes with a flow export file", () => {
    expect(run(networkFlowVisibility, [cilium, config('{enable-hubble: "true"}')].join("\n---\n"))).toEqual(["fail ConfigMap/cilium-config metadata.name"]);
    expect(run(networkFlowVisibility, [cilium, config('{enable-hubble: "true", hubble-export-file-path: /var/run/cilium/hubble/events.log}')].join("\n---\n"))).toEqual(["pass x1"]);
  });
  it("fails a relay with no ready replica", () => {
    expect(run(networkFlowVisibility, [cilium, config('{enable-hubble: "true"}'), relay("{replicas: 1, readyReplicas: 0}")].join("\n---\n"))).toEqual(["fail Deployment/hubble-relay status.readyReplicas"]);
  });
  it("recognizes other flow tools and a managed Hubble relay without a Cilium DaemonSet", () => {
    expect(run(networkFlowVisibility, "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: retina-agent, namespace: kube-system}\nspec: {template: {spec: {containers: [{name: r, image: mcr.microsoft.com/containernetworking/retina-agent:v0.0.16}]}}}")).toEqual(["pass x1"]);
    expect(run(networkFlowVisibility, relay("{replicas: 1, readyReplicas: 1}"))).toEqual(["pass x1"]);
  });
  it("is unknown when the agent redacted enable-hubble", () => {
    expect(run(networkFlowVisibility, [cilium, config('{enable-hubble: "<redacted-by-ramparts>"}')].join("\n---\n"))).toEqual(['unknown ConfigMap/cilium-config data["enable-hubble"]']);
  });
});

describe("audit-logging", () => {
  it("reads the OpenShift audit profile", () => {
    const apiServer = (profile: string) => `apiVersion: config.openshift.io/v1\nkind: APIServer\nmetadata: {name: cluster}\nspec: {audit: {profile: ${profile}}}`;
    expect(run(auditLogging, apiServer("None"))).toEqual(["fail APIServer/cluster spec.audit.profile"]);
    expect(run(auditLogging, apiServer("WriteRequestBodies"))).toEqual(["pass x1"]);
  });
  it("passes k3s servers whose node-args carry the audit flags, and is unknown when they do not show them", () => {
    const node = (args: string) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: server-1\n  annotations:\n    k3s.io/node-args: '${args}'`;
    expect(run(auditLogging, node('["server","--kube-apiserver-arg=audit-policy-file=/etc/audit.yaml","--kube-apiserver-arg=audit-log-path=/var/log/audit.log"]'))).toEqual(["pass x1"]);
    expect(run(auditLogging, node('["server","--cluster-init"]'))).toEqual(['unknown Node/server-1 metadata.annotations["k3s.io/node-args"]']);
  });
  it("is unknown, not failed, when the API server cannot be seen", () => {
    expect(run(auditLogging, "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}")).toEqual(["unknown Cluster/cluster null"]);
  });
});

describe("runtime-detection-policies", () => {
  it("passes Falco on its shipped rules and leaves the other detectors aside", () => {
    const yaml = [
      "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: falco, namespace: falco}\nspec: {template: {spec: {containers: [{name: f, image: falcosecurity/falco:0.39.1}]}}}",
      "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: tetragon, namespace: kube-system}\nspec: {template: {spec: {containers: [{name: t, image: quay.io/cilium/tetragon:v1.2.0}]}}}",
    ].join("\n---\n");
    expect(run(runtimeDetectionPolicies, yaml)).toEqual(["pass x1"]);
  });
  it("is not applicable without a detector (runtime-detector reports that)", () => {
    const report = evaluate({ objects: [] }, { now: "2026-11-01T00:00:00Z", checks: [runtimeDetectionPolicies] });
    expect(report.checks[0]!.status).toBe("not-applicable");
  });
});
