import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, notApplicable, pass, unknown, verdict } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, joinPath, labelsOf, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckContext, CheckOutcome, Violation } from "@/lib/engine/model/check";
import type { Workload } from "@/lib/engine/inventory/workloads";
import { findDetectors, nodePlatform } from "@/lib/engine/checks/5-runtime-audit/runtime-detector";

interface Taint {
  key: string;
  value: string;
  effect: string;
}

interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

const exists = (key: string, effect: string): Toleration => ({ key, operator: "Exists", value: "", effect });

/** Tolerations the DaemonSet controller adds to every daemon pod (Kubernetes pkg/controller/daemon/util). */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  exists("node.kubernetes.io/not-ready", "NoExecute"),
  exists("node.kubernetes.io/unreachable", "NoExecute"),
  exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
  exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
  exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
  exists("node.kubernetes.io/unschedulable", "NoSchedule"),
];
/** Added only to hostNetwork daemon pods. */
const HOST_NETWORK_TOLERATION = exists("node.kubernetes.io/network-unavailable", "NoSchedule");

/** Taints of a node joining or leaving the cluster: not a placement rule to fix in the DaemonSet. */
const TRANSIENT_TAINTS = new Set([
  "node.cloudprovider.kubernetes.io/uninitialized",
  "ToBeDeletedByClusterAutoscaler",
  "karpenter.sh/disrupted",
  "karpenter.sh/disruption",
  "karpenter.sh/unregistered",
  "node.cilium.io/agent-not-ready",
]);
const isTransient = (t: Taint) => t.key.startsWith("node.kubernetes.io/") || TRANSIENT_TAINTS.has(t.key);

/** The control plane's own taints: application pods do not land on nodes that carry them. */
const CONTROL_PLANE_TAINTS = new Set(["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master", "node-role.kubernetes.io/etcd"]);

const str = (v: unknown) => asString(v) ?? "";

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Taints that keep pods off a node (PreferNoSchedule only discourages). */
function blockingTaints(node: KubeObject): Taint[] {
  const taints: Taint[] = [];
  for (const raw of asArray(asRecord((node as UnknownRecord).spec)?.taints)) {
    const t = asRecord(raw);
    const effect = str(t?.effect);
    if (effect === "NoSchedule" || effect === "NoExecute") taints.push({ key: str(t?.key), value: str(t?.value), effect });
  }
  return taints;
}

function tolerationsOf(podSpec: UnknownRecord): Toleration[] {
  const own = asArray(podSpec.tolerations).map((raw) => {
    const t = asRecord(raw);
    return { key: str(t?.key), operator: str(t?.operator) || "Equal", value: str(t?.value), effect: str(t?.effect) };
  });
  return [...own, ...DAEMON_TOLERATIONS, ...(podSpec.hostNetwork === true ? [HOST_NETWORK_TOLERATION] : [])];
}

/** Toleration.ToleratesTaint from the Kubernetes API: an empty key with Exists tolerates every taint. */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== "" && t.effect !== taint.effect) return false;
  if (t.key !== "" && t.key !== taint.key) return false;
  if (t.operator === "Exists") return true;
  return t.operator === "Equal" && t.value === taint.value;
}

/** One required node affinity term: label expressions and metadata.name fields, all of them (an empty term matches nothing). */
function termMatches(term: UnknownRecord | undefined, labels: Record<string, string>, nodeName: string): boolean {
  const expressions = asArray(term?.matchExpressions);
  const fields = asArray(term?.matchFields);
  if (expressions.length + fields.length === 0) return false;
  const requirementMet = (raw: unknown, value: string | undefined) => {
    const r = asRecord(raw);
    const values = asArray(r?.values).filter((v): v is string => typeof v === "string");
    switch (r?.operator) {
      case "In":
        return value !== undefined && values.includes(value);
      case "NotIn":
        return value === undefined || !values.includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
      case "Gt":
      case "Lt": {
        const a = Number.parseInt(value ?? "", 10);
        const b = Number.parseInt(values[0] ?? "", 10);
        if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
        return r.operator === "Gt" ? a > b : a < b;
      }
      default:
        return false;
    }
  };
  return (
    expressions.every((e) => requirementMet(e, labels[str(asRecord(e)?.key)])) &&
    fields.every((f) => str(asRecord(f)?.key) === "metadata.name" && requirementMet(f, nodeName))
  );
}

/** Which of the pod's node selection rules leave this node out. */
function selectionMisses(podSpec: UnknownRecord, node: KubeObject, path: string): string[] {
  const labels = labelsOf(node);
  const misses: string[] = [];
  const selector = asRecord(podSpec.nodeSelector);
  if (selector && Object.entries(selector).some(([k, v]) => labels[k] !== v)) misses.push(joinPath(path, "nodeSelector"));
  const required = asRecord(asRecord(asRecord(podSpec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution);
  if (required && !asArray(required.nodeSelectorTerms).some((t) => termMatches(asRecord(t), labels, str(node.metadata?.name)))) {
    misses.push(`${path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`);
  }
  return misses;
}

/** Ready unless its Ready condition says otherwise (manifests carry no conditions). */
function nodeIsReady(node: KubeObject): boolean {
  const ready = asArray(asRecord((node as UnknownRecord).status)?.conditions).map(asRecord).find((c) => c?.type === "Ready");
  return ready === undefined || ready.status === "True";
}

/** Node name -> whether the detector's pod there is ready. */
function podsByNode(pods: readonly KubeObject[]): Map<string, boolean> {
  const byNode = new Map<string, boolean>();
  for (const pod of pods) {
    const nodeName = asString(asRecord((pod as UnknownRecord).spec)?.nodeName);
    if (!nodeName) continue;
    const status = asRecord((pod as UnknownRecord).status);
    const statuses = asArray(status?.containerStatuses).map(asRecord);
    const ready = status?.phase === "Running" && statuses.every((s) => s?.ready === true);
    byNode.set(nodeName, byNode.get(nodeName) === true || ready);
  }
  return byNode;
}

function names(list: readonly string[], max = 5): string {
  const shown = list.slice(0, max).join(", ");
  return list.length > max ? `${shown} and ${list.length - max} more` : shown;
}

const formatTaint = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

interface NodeGap {
  name: string;
  taints: Taint[];
  misses: string[];
}

function judge(name: string, ds: KubeObject, w: Workload, ctx: CheckContext): CheckOutcome {
  const podSpec = w.podSpec;
  const tolerations = tolerationsOf(podSpec);
  const status = asRecord((ds as UnknownRecord).status);
  // Both counts or neither: a partial hand-written status is no evidence.
  const desired = num(status?.numberReady) === undefined ? undefined : num(status?.desiredNumberScheduled);
  // Pod placement is evidence only in a live snapshot where pods were listed.
  const pods = ctx.mode === "cluster" && ctx.canSee("", "pods") ? podsByNode(w.pods) : undefined;
  const nodesSeen = ctx.canSee("", "nodes");
  const nodes = nodesSeen ? ctx.inventory.ofType("", "Node") : [];

  let expected = 0; // schedulable Linux nodes the detector must be on
  let claimed = 0; // of those, nodes its tolerations and node selection accept
  let excused = 0; // Windows, virtual and NotReady nodes it claims without a ready pod there
  let virtual = 0;
  let windows = 0;
  let linux = 0;
  const withoutReadyPod: string[] = [];
  const gaps: NodeGap[] = [];
  for (const node of nodes) {
    const nodeName = str(node.metadata?.name);
    const platform = nodePlatform(node);
    const untolerated = blockingTaints(node).filter((t) => !tolerations.some((tol) => tolerates(tol, t)));
    const misses = selectionMisses(podSpec, node, w.podSpecPath);
    const claims = untolerated.length === 0 && misses.length === 0;
    const podReady = pods?.get(nodeName);
    if (platform === "virtual") virtual++;
    if (platform === "windows") windows++;
    if (platform !== "linux" || !nodeIsReady(node)) {
      if (claims && podReady !== true) excused++;
      continue;
    }
    linux++;
    if (claims) {
      expected++;
      claimed++;
      if (pods && podReady !== true) withoutReadyPod.push(nodeName);
      continue;
    }
    if (podReady !== undefined) {
      expected++; // still running there, from before the node was tainted or relabelled
      continue;
    }
    // Nodes the detector does not claim, and may leave aside: cordoned ones, nodes joining or
    // leaving, and control-plane nodes that carry only the control plane's own taints.
    if ((asRecord((node as UnknownRecord).spec)?.unschedulable === true)) continue;
    const lasting = untolerated.filter((t) => !isTransient(t));
    if (misses.length === 0 && lasting.every((t) => CONTROL_PLANE_TAINTS.has(t.key))) continue;
    expected++;
    gaps.push({ name: nodeName, taints: lasting, misses });
  }

  const violations: Violation[] = [];
  const leftAside = virtual > 0 ? `; ${plural(virtual, "Fargate/virtual node")} left aside (DaemonSets cannot run there)` : "";

  // (a) The DaemonSet's own status: pods not scheduled, not ready or not available.
  if (desired !== undefined) {
    const ready = num(status?.numberReady)!;
    const available = num(status?.numberAvailable);
    const current = num(status?.currentNumberScheduled);
    const unavailable = num(status?.numberUnavailable);
    const shortfall = Math.max(desired - ready, available === undefined ? 0 : desired - available, current === undefined ? 0 : desired - current, unavailable ?? 0);
    if (shortfall - excused > 0) {
      const detail = available !== undefined && available !== ready ? ` (${available} available)` : "";
      const where = withoutReadyPod.length > 0 ? `: not ready on ${names(withoutReadyPod)}` : "";
      const excuse = excused > 0 ? `; ${excused} of the missing pods are for Windows, Fargate/virtual or NotReady nodes, left aside` : "";
      violations.push({ path: "status.numberReady", message: `${name} is ready on ${ready} of the ${desired} nodes it is scheduled on${detail}${where}${excuse}` });
    }
  }

  // (b) Nodes its tolerations or node selection leave out.
  const misscheduled = num(status?.numberMisscheduled) ?? 0;
  const gapsMayRunPods = pods === undefined && misscheduled >= gaps.length;
  if (gaps.length > 0 && !gapsMayRunPods) {
    const of = `${gaps.length} of ${plural(expected, "schedulable Linux node")}`;
    const byTaints = new Map<string, string[]>();
    for (const g of gaps) {
      if (g.taints.length === 0) continue;
      const key = g.taints.map(formatTaint).join(" + ");
      byTaints.set(key, [...(byTaints.get(key) ?? []), g.name]);
    }
    if (byTaints.size > 0) {
      const parts = [...byTaints].map(([taints, on]) => `${taints} not tolerated on ${names(on)}`);
      violations.push({ path: joinPath(w.podSpecPath, "tolerations"), message: `${name} does not run on ${of}: taint ${parts.join("; taint ")}${leftAside}` });
    }
    const byMiss = new Map<string, string[]>();
    for (const g of gaps) for (const m of g.misses) byMiss.set(m, [...(byMiss.get(m) ?? []), g.name]);
    for (const [path, on] of byMiss) {
      const rule = path.endsWith("nodeSelector") ? "its nodeSelector" : "its required node affinity";
      violations.push({ path, message: `${name} does not run on ${of}: ${rule} excludes ${names(on)}${leftAside}` });
    }
  }

  // (b) The controller schedules it on fewer nodes than its rules accept, for a reason not seen here.
  if (desired !== undefined && desired < claimed) {
    const where = withoutReadyPod.length > 0 ? ` (no ready pod on ${names(withoutReadyPod)})` : "";
    violations.push({
      path: "status.desiredNumberScheduled",
      message: `${name} is scheduled on ${desired} nodes, but ${claimed} schedulable Linux nodes match its tolerations and node selection${where}`,
    });
  }

  if (violations.length > 0) return verdict(violations);
  if (gaps.length > 0) {
    return unknown(`${name}'s tolerations or node selection leave out ${names(gaps.map((g) => g.name))}, but ${misscheduled} of its pods run on nodes it no longer claims and pods could not be listed to tell which`, joinPath(w.podSpecPath, "tolerations"));
  }
  if (!nodesSeen) return unknown(`${name} is installed, but nodes could not be listed to check that it runs on each`);
  if (nodes.length === 0) return unknown(`${name} is installed, but no nodes are in the input to check that it runs on each`);
  if (expected === 0) {
    if (linux > 0) return unknown(`${name} runs on none of the ${plural(linux, "Linux node")}: all are cordoned, joining, leaving or control-plane nodes it does not claim`);
    if (virtual > 0) {
      return unknown(`every Linux node is a Fargate/virtual node (${virtual}), where DaemonSets cannot run: ${name} watches none of their pods, and whether something else does (a sidecar agent, the provider's runtime monitoring) is not visible here`);
    }
    if (windows > 0) return notApplicable();
    return unknown(`${name} is installed, but no node is Ready to check that it runs on each`);
  }
  if (desired === undefined) {
    return unknown(`${name}'s tolerations and node selection cover all ${plural(expected, "schedulable Linux node")}, but its DaemonSet has no status (manifest input): whether it is ready on each cannot be checked`);
  }
  return pass();
}

export const runtimeDetectorCoverage = defineCheck({
  id: "runtime-detector-coverage",
  title: "The runtime detector's DaemonSet covers every schedulable Linux node",
  layer: 5,
  severity: "high",
  scope: "cluster",
  why: "A runtime detector only watches the nodes its DaemonSet pods run on. A GPU or system pool with a taint the detector does not tolerate, a nodeSelector that misses a new pool, or pods that never became ready leave nodes where a shell in a container, a crypto miner or a container escape goes unseen, and attackers do not choose the watched nodes.",
  references: { nsa: ["Audit logging and threat detection: threat detection"] },
  needs: [
    { group: "apps", resource: "daemonsets" },
    { group: "", resource: "nodes", optional: true },
    { group: "", resource: "pods", optional: true },
  ],
  evaluate(ctx) {
    const detectors = findDetectors(ctx.inventory);
    if (detectors.length === 0) {
      // No detector at all is the runtime-detector check's failure.
      ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
      return;
    }
    const judged = detectors.map((d) => ({ ...d, outcome: judge(d.name, d.ds, d.workload, ctx) }));
    // One detector on every node covers the cluster; the others are then not applicable.
    const covering = judged.find((j) => j.outcome.status === "pass");
    for (const j of judged) ctx.record({ resource: j.ds }, covering === undefined ? j.outcome : j === covering ? j.outcome : notApplicable());
  },
  guide: `
A detector DaemonSet gets a pod only on the nodes its tolerations and node selection (\`nodeSelector\`, required node affinity) accept, and each pod must be ready. The check compares the detector's DaemonSet with the nodes: it fails when its status shows fewer ready (or available, or scheduled) pods than desired, and when schedulable Linux nodes are left out, naming them and the taint not tolerated. One detector on every node is enough when several are installed.

Nodes it deliberately leaves aside:

- Windows nodes (\`kubernetes.io/os=windows\`): Linux detectors do not run there.
- Fargate and virtual nodes (\`eks.amazonaws.com/compute-type=fargate\`, \`type=virtual-kubelet\`): DaemonSets cannot run there at all. Pods on them need a sidecar agent or the provider's runtime monitoring; when a cluster has no other Linux node, the result is unknown.
- Nodes whose Ready condition is not True: the node is down, not the detector's placement.
- Cordoned nodes (\`spec.unschedulable\`) and control-plane nodes carrying only the control plane's own taints (\`node-role.kubernetes.io/control-plane\`, \`master\`, \`etcd\`), **only when the detector does not claim them**. A cordoned node is being drained; a tainted control-plane node runs only the control plane's own pods, not the applications an attacker lands in. If the detector claims such a node (DaemonSets tolerate cordoning automatically, and most detector charts tolerate the control plane), its pod there must be ready like anywhere else. Covering the control plane is still recommended: \`operator: Exists\` does it.
- Nodes carrying only transient taints (\`node.kubernetes.io/*\` conditions, \`node.cloudprovider.kubernetes.io/uninitialized\`, cluster-autoscaler and Karpenter scale-down, \`node.cilium.io/agent-not-ready\`): they are joining or leaving.

See the gap:

~~~sh
kubectl -n falco get ds falco -o wide          # DESIRED / READY / NODE SELECTOR
kubectl -n falco get pods -l app.kubernetes.io/name=falco -o wide   # which nodes have a pod
kubectl get nodes -o custom-columns='NAME:.metadata.name,OS:.metadata.labels.kubernetes\\.io/os,TAINTS:.spec.taints[*].key,EFFECT:.spec.taints[*].effect'
~~~

## Fix

Tolerate every taint, so new pools with their own taints are covered the day they join:

~~~yaml
spec:
  template:
    spec:
      tolerations:
        - operator: Exists     # every taint, every effect
~~~

or list the taints you accept (a dedicated GPU pool, the control plane):

~~~yaml
spec:
  template:
    spec:
      tolerations:
        - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
        - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
~~~

With Helm (Falco): \`--set tolerations[0].operator=Exists\`. Remove a \`nodeSelector\` or required node affinity that leaves pools out; keep only \`kubernetes.io/os: linux\`. When pods are scheduled but not ready, read why: \`kubectl -n falco describe pod <pod>\` (driver load failure, kernel headers, memory limits), and give the detector \`priorityClassName: system-node-critical\` so it is not preempted on full nodes.

## Prevent

Alert when coverage drops, with kube-state-metrics:

~~~yaml
- alert: RuntimeDetectorNotReadyEverywhere
  expr: kube_daemonset_status_number_ready{daemonset="falco"} < kube_daemonset_status_desired_number_scheduled{daemonset="falco"}
  for: 15m
- alert: RuntimeDetectorNotScheduledEverywhere   # subtract Windows and Fargate nodes if you have any
  expr: kube_daemonset_status_desired_number_scheduled{daemonset="falco"} < scalar(count(kube_node_info))
  for: 30m
~~~

and add "the detector tolerates the pool's taint" to the checklist for creating a node pool (or keep \`operator: Exists\`).
`,
});
