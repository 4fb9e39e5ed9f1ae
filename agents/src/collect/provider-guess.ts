/**
 * Guesses the Kubernetes distribution from what the API shows (node provider IDs and labels,
 * version strings, API groups, control-plane pods), keeping the evidence for the UI.
 * Evidence strings hold only fixed phrases, label keys and version strings, never object data.
 */
import type { ProviderGuess, ProviderName } from "@/lib/snapshot/schema";

type Votes = Map<ProviderName, Set<string>>;

export class ProviderGuesser {
  private readonly votes: Votes = new Map();

  private vote(name: ProviderName, evidence: string): void {
    let set = this.votes.get(name);
    if (!set) this.votes.set(name, (set = new Set()));
    if (set.size < 5) set.add(evidence.slice(0, 200));
  }

  observeVersion(gitVersion: string): void {
    if (/-eks-/.test(gitVersion)) this.vote("eks", `server version ${gitVersion}`);
    else if (/-gke\./.test(gitVersion)) this.vote("gke", `server version ${gitVersion}`);
    else if (/\+k3s/.test(gitVersion)) this.vote("k3s", `server version ${gitVersion}`);
    else if (/\+rke2/.test(gitVersion)) this.vote("rke2", `server version ${gitVersion}`);
  }

  observeGroups(groups: readonly string[]): void {
    if (groups.includes("config.openshift.io")) this.vote("openshift", "API group config.openshift.io is served");
  }

  /** Called with every raw object before redaction. */
  observe(object: { kind?: unknown; metadata?: { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown; status?: unknown }): void {
    if (object.kind === "Node") this.observeNode(object);
    else if (object.kind === "Pod" && object.metadata?.namespace === "kube-system") {
      const labels = object.metadata.labels ?? {};
      const mirror = object.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined;
      if (labels.component === "kube-apiserver" && (mirror || labels.tier === "control-plane")) {
        this.vote("self-managed", "kube-apiserver runs as a static pod in kube-system (component=kube-apiserver)");
      }
    }
  }

  private observeNode(node: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown; status?: unknown }): void {
    const providerID = (node.spec as { providerID?: unknown } | undefined)?.providerID;
    const labels = node.metadata?.labels ?? {};
    const annotations = node.metadata?.annotations ?? {};
    const kubelet = (node.status as { nodeInfo?: { kubeletVersion?: unknown } } | undefined)?.nodeInfo?.kubeletVersion;
    if (typeof providerID === "string") {
      if (providerID.startsWith("aws://")) this.vote("eks", "node providerID aws://");
      else if (providerID.startsWith("gce://")) this.vote("gke", "node providerID gce://");
      else if (providerID.startsWith("azure://")) this.vote("aks", "node providerID azure://");
      else if (providerID.startsWith("k3s://")) this.vote("k3s", "node providerID k3s://");
    }
    for (const [label, name] of [
      ["eks.amazonaws.com/nodegroup", "eks"],
      ["eks.amazonaws.com/compute-type", "eks"],
      ["cloud.google.com/gke-nodepool", "gke"],
      ["kubernetes.azure.com/cluster", "aks"],
      ["node.openshift.io/os_id", "openshift"],
    ] as const) {
      if (labels[label] !== undefined) this.vote(name, `node label ${label}`);
    }
    if (annotations["k3s.io/node-args"] !== undefined) this.vote("k3s", "node annotation k3s.io/node-args");
    if (annotations["rke2.io/node-args"] !== undefined) this.vote("rke2", "node annotation rke2.io/node-args");
    if (typeof kubelet === "string") {
      if (kubelet.includes("+rke2")) this.vote("rke2", `kubelet version ${kubelet}`);
      else if (kubelet.includes("+k3s")) this.vote("k3s", `kubelet version ${kubelet}`);
      else if (/-eks-/.test(kubelet)) this.vote("eks", `kubelet version ${kubelet}`);
      else if (/-gke\./.test(kubelet)) this.vote("gke", `kubelet version ${kubelet}`);
    }
  }

  result(): ProviderGuess {
    // Specific distributions beat "self-managed" (RKE2 also runs static kube-apiserver pods).
    const order: ProviderName[] = ["openshift", "rke2", "k3s", "eks", "gke", "aks", "self-managed"];
    let best: ProviderName | undefined;
    let bestCount = 0;
    for (const name of order) {
      const count = this.votes.get(name)?.size ?? 0;
      if (count > bestCount) {
        best = name;
        bestCount = count;
      }
    }
    // rke2 nodes also carry k3s-like hints; a single rke2 vote wins over k3s
    if (this.votes.has("rke2")) best = "rke2";
    if (this.votes.has("openshift")) best = "openshift";
    if (!best) return { name: "unknown", evidence: [] };
    return { name: best, evidence: [...(this.votes.get(best) ?? [])] };
  }
}
