import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { asArray, asRecord, labelsOf, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckOutcome } from "@/lib/engine/model/check";
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

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export const runtimeDetector = defineCheck({
  id: "runtime-detector",
  title: "A runtime threat detector is installed and running",
  layer: 5,
  severity: "high",
  scope: "cluster",
  why: "Admission controls stop bad configurations, not a compromised process: a shell spawned in a container, a crypto miner, a read of /etc/shadow or a container escape only show up at runtime. A detector (Falco, Tetragon, KubeArmor...) must be installed and running; whether it covers every node is runtime-detector-coverage's question.",
  references: { nsa: ["Audit logging and threat detection: threat detection"] },
  needs: [{ group: "apps", resource: "daemonsets" }],
  evaluate(ctx) {
    const candidates = findDetectors(ctx.inventory);
    if (candidates.length === 0) {
      ctx.record({ resource: CLUSTER_RESOURCE }, fail(RESOURCE_ITSELF, "no runtime threat detector DaemonSet found (Falco, Tetragon, KubeArmor, Tracee, ...)"));
      return;
    }
    // One outcome for the cluster: the best-covering detector decides.
    const outcomes = candidates.map((c) => ({ ...c, outcome: running(c.ds, c.name) }));
    const rank = (o: CheckOutcome) => (o.status === "pass" ? 0 : o.status === "fail" ? 2 : 1);
    outcomes.sort((a, b) => rank(a.outcome) - rank(b.outcome));
    const best = outcomes[0]!;
    ctx.record({ resource: best.ds }, best.outcome);
  },
  guide: `
Install a runtime detector as a DaemonSet that tolerates every node taint, and check that its pods are ready. Falco with the modern eBPF driver needs no kernel module. Whether it covers every node (taints, node selection, Windows and Fargate nodes) is the separate check runtime-detector-coverage:

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

/** Installed and running somewhere; node-by-node coverage is runtime-detector-coverage's (one gap, one finding). */
function running(ds: KubeObject, name: string): CheckOutcome {
  const status = asRecord((ds as UnknownRecord).status);
  const desired = num(status?.desiredNumberScheduled);
  const ready = num(status?.numberReady);
  if (desired === undefined || ready === undefined) {
    return unknown(`${name} is installed, but its DaemonSet has no status (manifest input): whether it runs cannot be checked`);
  }
  if (desired === 0) return fail("status.desiredNumberScheduled", `${name} is installed but scheduled on no node: check its nodeSelector and tolerations`);
  if (ready === 0) return fail("status.numberReady", `${name} is installed but none of its ${desired} pods is ready: it watches nothing`);
  return pass();
}
