/**
 * Accuracy on whole clusters: the hardened example scores high with no critical or high
 * failure, the insecure one scores low, and the engine raises no false alarm on a
 * correct default-deny policy, on a workload exempted by annotation, or in skipped
 * system namespaces, whatever checks the catalog holds.
 */
import { describe, expect, it } from "vitest";
import path from "node:path";
import { readInputs } from "@/lib/engine/io/read-inputs";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import type { Finding, Report } from "@/lib/engine/report/report-types";

const NOW = "2026-11-01T00:00:00Z";
const EXAMPLES = path.join(process.cwd(), "examples");
const describeFailures = (fs: readonly Finding[]) => fs.map((f) => `${f.severity} ${f.checkId} ${f.resource.kind} ${f.resource.namespace ?? ""}/${f.resource.name} ${f.path}: ${f.message}`);
const scan = async (dir: string) => evaluate(await readInputs(path.join(EXAMPLES, dir)), { now: NOW });
const scanText = (text: string, options: { skipNamespaces?: string[] } = {}) => evaluate(parseManifests(text, "t.yaml"), { now: NOW, ...options });
const fails = (r: Report) => r.findings.filter((f) => f.status === "fail");

describe("examples/hardened-cluster", () => {
  it("scores at least 90 with no critical or high failure", async () => {
    const report = await scan("hardened-cluster");
    const severe = fails(report).filter((f) => f.severity === "critical" || f.severity === "high");
    expect(describeFailures(severe)).toEqual([]);
    expect(report.score).toBeGreaterThanOrEqual(90);
    expect(report.cappedBy).not.toContain("critical");
    expect(report.warnings).toEqual([]);
  });

  it("has every layer in place: each one scored, at 80 or more", async () => {
    const report = await scan("hardened-cluster");
    for (const layer of report.layers) {
      expect(layer.score, `layer ${layer.id} ${layer.name}: ${describeFailures(fails(report).filter((f) => f.layer === layer.id)).join("; ")}`).not.toBeNull();
      expect(layer.score!, `layer ${layer.id} ${layer.name}`).toBeGreaterThanOrEqual(80);
    }
    expect(report.coverage.ratio).toBeGreaterThanOrEqual(0.95);
  });

  it("keeps its exemptions visible as excepted findings", async () => {
    const report = await scan("hardened-cluster");
    const excepted = report.findings.filter((f) => f.status === "excepted");
    expect(excepted.some((f) => f.resource.namespace === "falco")).toBe(true);
    expect(excepted.some((f) => f.checkId === "cluster-admin-binding" && f.resource.name === "cluster-reconciler-flux-system")).toBe(true);
  });
});

describe("examples/insecure-cluster", () => {
  it("scores low, capped by critical failures, and fails in every layer", async () => {
    const report = await scan("insecure-cluster");
    expect(report.score).toBeLessThan(40);
    expect(report.grade).toBe("F");
    expect(fails(report).some((f) => f.severity === "critical")).toBe(true);
    for (const layer of report.layers) expect(layer.counts.fail, `layer ${layer.id} has failures`).toBeGreaterThan(0);
    expect(report.warnings).toEqual([]);
  });

  it("fails most checks that apply to it", async () => {
    const report = await scan("insecure-cluster");
    const applied = report.checks.filter((c) => c.counts.pass + c.counts.fail > 0);
    const failed = applied.filter((c) => c.counts.fail > 0);
    expect(failed.length / applied.length).toBeGreaterThan(0.6);
  });
});

// A namespace done right: restricted Pod Security, a hardened workload, default deny in both
// directions with DNS allowed.
const CORRECT_NAMESPACE = `
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels: {kubernetes.io/metadata.name: payments, pod-security.kubernetes.io/enforce: restricted}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-all, namespace: payments}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns, namespace: payments}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ledger, namespace: payments}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: payments}
spec:
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec:
      serviceAccountName: ledger
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: ledger
          image: registry.acme.example/payments/ledger:1.4.2@sha256:${"a".repeat(64)}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}
`;

// The same workload, as badly configured as it gets.
const BAD_WORKLOAD = (namespace: string, annotations = "") => `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
  namespace: ${namespace}
${annotations}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      hostPID: true
      hostNetwork: true
      containers:
        - name: agent
          image: vendor/agent:latest
          env: [{name: API_PASSWORD, value: hunter2}]
          ports: [{containerPort: 9100, hostPort: 9100}]
          securityContext: {privileged: true, runAsUser: 0, capabilities: {add: [SYS_ADMIN]}}
          volumeMounts: [{name: root, mountPath: /host}]
      volumes: [{name: root, hostPath: {path: /}}]
`;

describe("no false alarms", () => {
  it("raises no network-policy failure on a namespace with a correct default-deny policy", () => {
    const report = scanText(CORRECT_NAMESPACE);
    const networkFails = fails(report).filter((f) => f.resource.namespace === "payments" || f.resource.name === "payments").filter((f) => /deny|network-policy/.test(f.checkId));
    expect(describeFailures(networkFails)).toEqual([]);
    for (const id of ["default-deny-ingress", "default-deny-egress"]) {
      expect(report.checks.find((c) => c.id === id)?.counts.pass, id).toBeGreaterThan(0);
    }
  });

  it("turns every failure of a workload exempted by annotation into an excepted finding, without lowering the score", () => {
    const before = scanText(CORRECT_NAMESPACE + "---" + BAD_WORKLOAD("payments"));
    const onAgent = (r: Report) => r.findings.filter((f) => f.resource.name === "node-agent");
    const failedIds = [...new Set(onAgent(before).filter((f) => f.status === "fail").map((f) => f.checkId))];
    expect(failedIds.length).toBeGreaterThan(5);
    for (const where of ["resource", "namespace"] as const) {
      const annotation = `  annotations: {ramparts.dev/exempt: "${failedIds.join(",")}"}`;
      const text =
        where === "resource"
          ? CORRECT_NAMESPACE + "---" + BAD_WORKLOAD("payments", annotation)
          : CORRECT_NAMESPACE.replace("  name: payments\n", `  name: payments\n${annotation}\n`) + "---" + BAD_WORKLOAD("payments");
      const after = scanText(text);
      expect(describeFailures(onAgent(after).filter((f) => f.status === "fail")), where).toEqual([]);
      expect(onAgent(after).filter((f) => f.status === "excepted").length).toBe(onAgent(before).filter((f) => f.status === "fail").length);
      expect(after.score, where).toBeGreaterThanOrEqual(before.score);
    }
  });

  it("raises no workload, container or namespace failure in skipped system namespaces", () => {
    const scope = new Map(ALL_CHECKS.map((c) => [c.id, c.scope]));
    const perResource = (r: Report) => fails(r).filter((f) => f.resource.namespace === "kube-system" && ["container", "pod", "workload", "namespace"].includes(scope.get(f.checkId)!));
    const text = CORRECT_NAMESPACE + "---" + BAD_WORKLOAD("kube-system");
    expect(describeFailures(perResource(scanText(text)))).toEqual([]);
    // Not skipped, the same workload fails: the test above is not vacuous.
    expect(perResource(scanText(text, { skipNamespaces: [] })).length).toBeGreaterThan(5);
  });
});
