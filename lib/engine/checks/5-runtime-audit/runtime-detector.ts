import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { asArray, asRecord, labelsOf, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckContext, CheckOutcome } from "@/lib/engine/model/check";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import type { Workload } from "@/lib/engine/inventory/workloads";

/** Runtime threat detectors recognized by image (registry prefix optional) or by app label. */
const DETECTORS: readonly { name: string; image: RegExp; label?: string }[] = [
  { name: "Falco", image: /(^|\/)falcosecurity\/falco(-no-driver|-distroless)?([:@]|$)/, label: "falco" },
  { name: "Tetragon", image: /(^|\/)cilium\/tetragon([:@]|$)/, label: "tetragon" },
  { name: "KubeArmor", image: /(^|\/)kubearmor\/kubearmor([:@]|$)/, label: "kubearmor" },
  { name: "Tracee", image: /(^|\/)aquasec\/tracee([:@]|$)/, label: "tracee" },
  { name: "Sysdig agent", image: /(^|\/)sysdig\/agent(-slim)?([:@]|$)/ },
  { name: "Kubescape node-agent", image: /(^|\/)kubescape\/node-agent([:@]|$)/ },
  { name: "NeuVector enforcer", image: /(^|\/)neuvector\/enforcer([:@]|$)/ },
  { name: "Aqua enforcer", image: /(^|\/)aquasec\/enforcer([:@]|$)/ },
];

export function detectorName(ds: KubeObject, images: readonly string[]): string | undefined {
  const appName = labelsOf(ds)["app.kubernetes.io/name"];
  for (const d of DETECTORS) {
    if (images.some((i) => d.image.test(i))) return d.name;
    if (d.label !== undefined && appName === d.label) return d.name;
  }
  return undefined;
}

/** Every runtime detector DaemonSet, kube-system included (detectors often live there). */
export function findDetectors(inventory: Inventory): { ds: KubeObject; name: string; workload: Workload }[] {
  const found: { ds: KubeObject; name: string; workload: Workload }[] = [];
  for (const w of inventory.allWorkloads) {
    if (w.kind !== "DaemonSet") continue;
    const name = detectorName(w.object, inventory.containersOf(w).map((c) => c.image ?? ""));
    if (name) found.push({ ds: w.object, name, workload: w });
  }
  return found;
}

/**
 * What a node can run: Linux DaemonSet pods ("linux"), only Windows pods ("windows"), or no
 * DaemonSet at all ("virtual": virtual-kubelet, EKS Fargate).
 */
export function nodePlatform(node: KubeObject): "linux" | "windows" | "virtual" {
  const labels = labelsOf(node);
  if (labels.type === "virtual-kubelet" || labels["eks.amazonaws.com/compute-type"] === "fargate") return "virtual";
  if (asArray(asRecord((node as UnknownRecord).spec)?.taints).some((t) => asRecord(t)?.key === "virtual-kubelet.io/provider")) return "virtual";
  const os = labels["kubernetes.io/os"] ?? labels["beta.kubernetes.io/os"] ?? asRecord(asRecord((node as UnknownRecord).status)?.nodeInfo)?.operatingSystem;
  return os === "windows" ? "windows" : "linux";
}

/** Nodes a DaemonSet can run on: not cordoned, Linux, not virtual (virtual-kubelet, EKS Fargate). */
function schedulableNodes(nodes: readonly KubeObject[]): KubeObject[] {
  return nodes.filter((n) => asRecord((n as UnknownRecord).spec)?.unschedulable !== true && nodePlatform(n) === "linux");
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export const runtimeDetector = defineCheck({
  id: "runtime-detector",
  title: "A runtime threat detector runs on every schedulable node",
  layer: 5,
  severity: "high",
  scope: "cluster",
  why: "Admission controls stop bad configurations, not a compromised process: a shell spawned in a container, a crypto miner, a read of /etc/shadow or a container escape only show up at runtime. A detector (Falco, Tetragon, KubeArmor...) must run on every node, or attacks on uncovered nodes go unseen.",
  references: { nsa: ["Audit logging and threat detection: threat detection"] },
  needs: [{ group: "apps", resource: "daemonsets" }, { group: "", resource: "nodes", optional: true }],
  evaluate(ctx) {
    const candidates = findDetectors(ctx.inventory);
    if (candidates.length === 0) {
      ctx.record({ resource: CLUSTER_RESOURCE }, fail(RESOURCE_ITSELF, "no runtime threat detector DaemonSet found (Falco, Tetragon, KubeArmor, Tracee, ...)"));
      return;
    }
    // One outcome for the cluster: the best-covering detector decides.
    const outcomes = candidates.map((c) => ({ ...c, outcome: coverage(c.ds, c.name, ctx) }));
    const rank = (o: CheckOutcome) => (o.status === "pass" ? 0 : o.status === "fail" ? 2 : 1);
    outcomes.sort((a, b) => rank(a.outcome) - rank(b.outcome));
    const best = outcomes[0]!;
    ctx.record({ resource: best.ds }, best.outcome);
  },
  guide: `
Install a runtime detector as a DaemonSet that tolerates every node taint, and check that it is ready on all nodes. Falco with the modern eBPF driver needs no kernel module:

## Fix

~~~sh
helm repo add falcosecurity https://falcosecurity.github.io/charts
helm upgrade --install falco falcosecurity/falco \\
  --namespace falco --create-namespace \\
  --set driver.kind=modern_ebpf \\
  --set tolerations[0].operator=Exists
kubectl -n falco rollout status daemonset/falco
kubectl -n falco get daemonset falco -o jsonpath='{.status.numberReady}/{.status.desiredNumberScheduled}{"\\n"}'
kubectl get nodes --no-headers | wc -l
~~~

If the DaemonSet is scheduled on fewer nodes than you have, compare its \`nodeSelector\` and \`tolerations\` with the nodes' taints:

~~~yaml
spec:
  template:
    spec:
      tolerations:
        - operator: Exists   # run on tainted nodes too (control plane, GPU pools)
~~~

Detectors need host access by design: exempt their namespace from the pod hardening checks it fails (\`ramparts.dev/exempt\` on the namespace) rather than weakening the policy for everyone.

## Prevent

Alert when coverage drops: the Prometheus rule below fires when the detector is not ready everywhere (kube-state-metrics):

~~~yaml
- alert: RuntimeDetectorNotOnAllNodes
  expr: kube_daemonset_status_number_ready{daemonset="falco"} < kube_daemonset_status_desired_number_scheduled{daemonset="falco"}
  for: 15m
~~~

and protect the detector itself: only cluster admins may change its namespace (RBAC), and a Kyverno or Gatekeeper policy may deny deleting its DaemonSet.
`,
});

function coverage(ds: KubeObject, name: string, ctx: CheckContext): CheckOutcome {
  const status = asRecord((ds as UnknownRecord).status);
  const desired = num(status?.desiredNumberScheduled);
  const ready = num(status?.numberReady);
  if (desired === undefined || ready === undefined) {
    return unknown(`${name} is installed, but its DaemonSet has no status (manifest input): readiness on each node cannot be checked`);
  }
  if (!ctx.canSee("", "nodes")) return unknown(`${name} is ready on ${ready} of ${desired} scheduled nodes, but nodes could not be listed to compare`);
  const nodes = schedulableNodes(ctx.inventory.ofType("", "Node"));
  if (nodes.length === 0) return unknown(`${name} is ready on ${ready} of ${desired} scheduled nodes, but no nodes are in the input to compare with`);
  if (desired < nodes.length) {
    return fail("status.desiredNumberScheduled", `${name} is scheduled on ${desired} of ${nodes.length} schedulable nodes: check its nodeSelector and tolerations`);
  }
  if (ready < nodes.length) return fail("status.numberReady", `${name} is ready on ${ready} of ${nodes.length} schedulable nodes`);
  return pass();
}
