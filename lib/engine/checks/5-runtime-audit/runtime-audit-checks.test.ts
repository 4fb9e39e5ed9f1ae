/** Paths of the layer-5 checks that one fail/pass/unknown fixture each cannot cover. */
import { describe, expect, it } from "vitest";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import type { Check } from "@/lib/engine/model/check";
import type { EngineInput } from "@/lib/engine/model/engine-input";
import { networkFlowVisibility } from "@/lib/engine/checks/5-runtime-audit/network-flow-visibility";
import { auditLogging } from "@/lib/engine/checks/5-runtime-audit/audit-logging";
import { runtimeDetectionPolicies } from "@/lib/engine/checks/5-runtime-audit/runtime-detection-policies";
import { runtimeDetectorCoverage } from "@/lib/engine/checks/5-runtime-audit/runtime-detector-coverage";

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

describe("runtime-detector-coverage", () => {
  const node = (name: string, extra = "") => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}, labels: {kubernetes.io/os: linux}}\n${extra}`;
  const tainted = (name: string, taint: string, labels = "kubernetes.io/os: linux") =>
    `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}, labels: {${labels}}}\nspec: {taints: [${taint}]}`;
  const gpu = (name: string) => tainted(name, "{key: nvidia.com/gpu, value: present, effect: NoSchedule}");
  const falco = (podSpec: string, status: string) =>
    `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: falco, namespace: falco, uid: ds-1}\nspec: {template: {spec: {${podSpec}containers: [{name: f, image: falcosecurity/falco:0.39.1}]}}}\nstatus: ${status}`;
  const ready = (n: number) => `{desiredNumberScheduled: ${n}, currentNumberScheduled: ${n}, numberReady: ${n}, numberAvailable: ${n}}`;
  const fargate = tainted("fargate-ip-10-0-1-7", "{key: eks.amazonaws.com/compute-type, value: fargate, effect: NoSchedule}", "kubernetes.io/os: linux, eks.amazonaws.com/compute-type: fargate");
  const windows = tainted("win-1", "{key: os, value: windows, effect: NoSchedule}", "kubernetes.io/os: windows");
  const live = (extra: { resource: string; status?: "ok" | "forbidden" }[] = []) => ({
    coverage: [
      { group: "apps", version: "v1", resource: "daemonsets", status: "ok" as const },
      ...extra.map((e) => ({ group: "", version: "v1", resource: e.resource, status: e.status ?? ("ok" as const) })),
    ],
  });
  const check = (docs: string[], extra: Partial<EngineInput> = {}) => {
    const report = evaluate({ objects: parseManifests(docs.join("\n---\n"), "t.yaml").objects, ...extra }, { now: "2026-11-01T00:00:00Z", checks: [runtimeDetectorCoverage] });
    const counts = report.checks[0]!.counts;
    return {
      lines: report.findings.map((f) => `${f.status} ${f.resource.kind}/${f.resource.name} ${f.path}`).concat(counts.pass > 0 ? [`pass x${counts.pass}`] : []),
      messages: report.findings.map((f) => f.message),
      status: report.checks[0]!.status,
    };
  };

  it("fails a tainted GPU pool the detector does not tolerate, naming the nodes and the taint", () => {
    const r = check([node("worker-1"), gpu("gpu-1"), gpu("gpu-2"), falco("", ready(1))]);
    expect(r.lines).toEqual(["fail DaemonSet/falco spec.template.spec.tolerations"]);
    expect(r.messages[0]).toBe("Falco does not run on 2 of 3 schedulable Linux nodes: taint nvidia.com/gpu=present:NoSchedule not tolerated on gpu-1, gpu-2");
  });
  it("passes `operator: Exists` and a specific toleration of the pool's taint", () => {
    expect(check([node("worker-1"), gpu("gpu-1"), falco("tolerations: [{operator: Exists}], ", ready(2))]).lines).toEqual(["pass x1"]);
    expect(check([node("worker-1"), gpu("gpu-1"), falco("tolerations: [{key: nvidia.com/gpu, operator: Equal, value: present}], ", ready(2))]).lines).toEqual(["pass x1"]);
    // Wrong value or effect: still not tolerated.
    expect(check([node("worker-1"), gpu("gpu-1"), falco("tolerations: [{key: nvidia.com/gpu, operator: Equal, value: absent}], ", ready(1))]).lines).toEqual(["fail DaemonSet/falco spec.template.spec.tolerations"]);
    expect(check([node("worker-1"), gpu("gpu-1"), falco("tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoExecute}], ", ready(1))]).lines).toEqual(["fail DaemonSet/falco spec.template.spec.tolerations"]);
  });
  it("leaves Windows and Fargate nodes aside, also when an Exists toleration leaves pending pods for them", () => {
    expect(check([node("worker-1"), windows, fargate, falco("", ready(1))]).lines).toEqual(["pass x1"]);
    // Tolerating everything, the controller wants a pod on the Fargate and Windows nodes too: they never become ready.
    const pending = "{desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 1, numberAvailable: 1}";
    expect(check([node("worker-1"), windows, fargate, falco("tolerations: [{operator: Exists}], ", pending)]).lines).toEqual(["pass x1"]);
    // A real gap next to them says the Fargate node was left aside.
    const r = check([node("worker-1"), gpu("gpu-1"), fargate, falco("", ready(1))]);
    expect(r.lines).toEqual(["fail DaemonSet/falco spec.template.spec.tolerations"]);
    expect(r.messages[0]).toContain("1 Fargate/virtual node left aside (DaemonSets cannot run there)");
  });
  it("is unknown on a cluster whose only Linux nodes are Fargate, not applicable on Windows-only nodes", () => {
    const onlyFargate = check([fargate, falco("", ready(0))]);
    expect(onlyFargate.lines).toEqual(["unknown DaemonSet/falco null"]);
    expect(onlyFargate.messages[0]).toContain("Fargate/virtual node (1), where DaemonSets cannot run");
    expect(check([windows, falco("", ready(0))]).status).toBe("not-applicable");
  });
  it("fails a DaemonSet with fewer ready pods than desired, and names the nodes when pods were listed", () => {
    const status = "{desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, numberAvailable: 2}";
    expect(check([node("worker-1"), node("worker-2"), node("worker-3"), falco("", status)]).lines).toEqual(["fail DaemonSet/falco status.numberReady"]);
    // Fewer available than ready (minReadySeconds, a restarting pod) is a gap too.
    expect(check([node("worker-1"), falco("", "{desiredNumberScheduled: 1, numberReady: 1, numberAvailable: 0}")]).lines).toEqual(["fail DaemonSet/falco status.numberReady"]);
    const pod = (name: string, nodeName: string, ok: boolean) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: falco, ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: falco, uid: ds-1, controller: true}]}\nspec: {nodeName: ${nodeName}, containers: [{name: f, image: falcosecurity/falco:0.39.1}]}\nstatus: {phase: Running, containerStatuses: [{name: f, ready: ${ok}}]}`;
    const r = check(
      [node("worker-1"), node("worker-2"), node("worker-3"), falco("", status), pod("falco-a", "worker-1", true), pod("falco-b", "worker-2", true), pod("falco-c", "worker-3", false)],
      live([{ resource: "nodes" }, { resource: "pods" }]),
    );
    expect(r.lines).toEqual(["fail DaemonSet/falco status.numberReady"]);
    expect(r.messages[0]).toBe("Falco is ready on 2 of the 3 nodes it is scheduled on: not ready on worker-3");
  });
  it("skips a control-plane node with its standard taint only when the detector does not claim it", () => {
    const cp = tainted("cp-1", "{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}", "kubernetes.io/os: linux, node-role.kubernetes.io/control-plane: ''");
    expect(check([cp, node("worker-1"), falco("", ready(1))]).lines).toEqual(["pass x1"]);
    // Claimed (tolerated) but not ready there: a gap like any other.
    expect(check([cp, node("worker-1"), falco("tolerations: [{operator: Exists}], ", "{desiredNumberScheduled: 2, numberReady: 1}")]).lines).toEqual(["fail DaemonSet/falco status.numberReady"]);
    // A control-plane node with another untolerated taint, or an untainted one, must be covered.
    const critical = tainted("cp-2", "{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}, {key: CriticalAddonsOnly, value: 'true', effect: NoExecute}");
    expect(check([critical, node("worker-1"), falco("", ready(1))]).lines).toEqual(["fail DaemonSet/falco spec.template.spec.tolerations"]);
  });
  it("skips a cordoned node the detector does not claim, and a node still initializing", () => {
    const draining = "apiVersion: v1\nkind: Node\nmetadata: {name: old-1, labels: {kubernetes.io/os: linux}}\nspec: {unschedulable: true, taints: [{key: dedicated, value: batch, effect: NoSchedule}]}";
    const joining = tainted("new-1", "{key: node.cloudprovider.kubernetes.io/uninitialized, value: 'true', effect: NoSchedule}");
    expect(check([draining, joining, node("worker-1"), falco("", ready(1))]).lines).toEqual(["pass x1"]);
  });
  it("leaves a NotReady node to node health, not to the detector", () => {
    const down = "apiVersion: v1\nkind: Node\nmetadata: {name: down-1, labels: {kubernetes.io/os: linux}}\nstatus: {conditions: [{type: Ready, status: Unknown}]}";
    expect(check([down, node("worker-1"), falco("", "{desiredNumberScheduled: 2, numberReady: 1}")]).lines).toEqual(["pass x1"]);
  });
  it("fails a nodeSelector or required node affinity that leaves a pool out", () => {
    const labelled = (name: string, pool: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}, labels: {kubernetes.io/os: linux, pool: ${pool}}}`;
    const nodes = [labelled("general-1", "general"), labelled("batch-1", "batch")];
    expect(check([...nodes, falco("nodeSelector: {pool: general}, ", ready(1))]).lines).toEqual(["fail DaemonSet/falco spec.template.spec.nodeSelector"]);
    const affinity = (op: string) => `affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: ${op}, values: [batch]}]}]}}}, `;
    expect(check([...nodes, falco(affinity("NotIn"), ready(1))]).lines).toEqual(["fail DaemonSet/falco spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"]);
    expect(check([...nodes, falco("nodeSelector: {kubernetes.io/os: linux}, " + affinity("NotIn").replace("NotIn", "In").replace("[batch]", "[batch, general]"), ready(2))]).lines).toEqual(["pass x1"]);
  });
  it("counts a pod still running on a node tainted after it started", () => {
    const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: falco-g, namespace: falco, ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: falco, uid: ds-1, controller: true}]}\nspec: {nodeName: gpu-1, containers: [{name: f, image: falcosecurity/falco:0.39.1}]}\nstatus: {phase: Running, containerStatuses: [{name: f, ready: true}]}";
    const status = "{desiredNumberScheduled: 1, numberReady: 1, numberMisscheduled: 1}";
    expect(check([node("worker-1"), gpu("gpu-1"), falco("", status), pod], live([{ resource: "nodes" }, { resource: "pods" }])).lines).toEqual(["pass x1"]);
    // Without pods to tell where the misscheduled pod runs: unknown, not fail.
    expect(check([node("worker-1"), gpu("gpu-1"), falco("", status)], live([{ resource: "nodes" }, { resource: "pods", status: "forbidden" }])).lines).toEqual([
      "unknown DaemonSet/falco spec.template.spec.tolerations",
    ]);
  });
  it("fails when the controller schedules it on fewer nodes than its rules accept", () => {
    expect(check([node("worker-1"), node("worker-2"), falco("", ready(1))]).lines).toEqual(["fail DaemonSet/falco status.desiredNumberScheduled"]);
  });
  it("one detector on every node is enough; each is judged when none is", () => {
    const tetragon = (status: string) =>
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: tetragon, namespace: kube-system}\nspec: {template: {spec: {tolerations: [{operator: Exists}], containers: [{name: t, image: quay.io/cilium/tetragon:v1.2.0}]}}}\nstatus: ${status}`;
    expect(check([node("worker-1"), gpu("gpu-1"), falco("", ready(1)), tetragon(ready(2))]).lines).toEqual(["pass x1"]);
    expect(check([node("worker-1"), gpu("gpu-1"), falco("", ready(1)), tetragon("{desiredNumberScheduled: 2, numberReady: 1}")]).lines).toEqual([
      "fail DaemonSet/falco spec.template.spec.tolerations",
      "fail DaemonSet/tetragon status.numberReady",
    ]);
  });
  it("is unknown when nodes could not be listed or the DaemonSet has no status, not applicable without a detector", () => {
    expect(check([falco("", ready(2))], live([{ resource: "nodes", status: "forbidden" }])).lines).toEqual(["unknown DaemonSet/falco null"]);
    // The status alone still proves a gap.
    expect(check([falco("", "{desiredNumberScheduled: 2, numberReady: 1}")], live([{ resource: "nodes", status: "forbidden" }])).lines).toEqual(["fail DaemonSet/falco status.numberReady"]);
    expect(check([node("worker-1"), "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: falco, namespace: falco}\nspec: {template: {spec: {containers: [{name: f, image: falcosecurity/falco:0.39.1}]}}}"]).lines).toEqual(["unknown DaemonSet/falco null"]);
    expect(check([node("worker-1")]).status).toBe("not-applicable");
    expect(check([node("worker-1"), falco("", ready(1))], { coverage: [{ group: "apps", version: "v1", resource: "daemonsets", status: "forbidden" }] }).lines).toEqual(["unknown Cluster/cluster null"]);
  });
});
