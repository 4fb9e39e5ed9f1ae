import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { asRecord, asString, labelsOf, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckContext, CheckOutcome } from "@/lib/engine/model/check";
import type { Workload } from "@/lib/engine/inventory/workloads";
import { isRedacted } from "@/lib/snapshot/redaction";

const CILIUM_AGENT_IMAGE = /(^|\/)cilium\/cilium([:@]|$)/;
const HUBBLE_RELAY_IMAGE = /(^|\/)cilium\/hubble-relay([:@]|$)/;

/** Flow-visibility tools other than Hubble, recognized by image (registry prefix optional). */
const FLOW_TOOLS: readonly { name: string; image: RegExp }[] = [
  { name: "Retina", image: /(^|\/)containernetworking\/retina-agent([:@]|$)/ },
  { name: "OpenShift Network Observability", image: /(^|\/)netobserv-ebpf-agent([:@]|$)/ },
  { name: "Calico flow logs (Goldmane)", image: /(^|\/)calico\/goldmane([:@]|$)/ },
  { name: "Antrea Flow Aggregator", image: /(^|\/)antrea\/flow-aggregator([:@]|$)/ },
  { name: "Pixie", image: /(^|\/)vizier-pem_image([:@]|$)/ },
  { name: "Kubeshark", image: /(^|\/)kubeshark\/worker([:@]|$)/ },
];

interface Found {
  relay?: Workload;
  agent?: Workload;
  tool?: Workload;
}

/** One pass over every workload (system namespaces included): the relay, the Cilium agent, another flow tool. */
function scan(ctx: CheckContext): Found {
  const found: Found = {};
  for (const w of ctx.inventory.allWorkloads) {
    const images = ctx.inventory.containersOf(w).map((c) => c.image ?? "");
    if (!found.relay && w.kind === "Deployment" && (w.name === "hubble-relay" || images.some((i) => HUBBLE_RELAY_IMAGE.test(i)))) found.relay = w;
    if (!found.agent && w.kind === "DaemonSet" && (labelsOf(w.object)["k8s-app"] === "cilium" || images.some((i) => CILIUM_AGENT_IMAGE.test(i)))) found.agent = w;
    if (!found.tool && FLOW_TOOLS.some((t) => images.some((i) => t.image.test(i)))) found.tool = w;
  }
  return found;
}

/** hubble-relay's readiness, when the object carries a status (live snapshots). */
function relayOutcome(relay: Workload): CheckOutcome {
  const status = asRecord((relay.object as UnknownRecord).status);
  const ready = status?.readyReplicas;
  if (status && typeof status.replicas === "number" && (typeof ready !== "number" || ready < 1)) {
    return fail("status.readyReplicas", "hubble-relay is deployed but has no ready replica: flows cannot be queried or exported");
  }
  return pass();
}

function ciliumConfig(ctx: CheckContext, agent: Workload | undefined): KubeObject | undefined {
  const inv = ctx.inventory;
  return inv.get("", "ConfigMap", "kube-system", "cilium-config") ?? (agent ? inv.get("", "ConfigMap", agent.namespace, "cilium-config") : undefined) ?? inv.ofType("", "ConfigMap").find((c) => c.metadata.name === "cilium-config");
}

export const networkFlowVisibility = defineCheck({
  id: "network-flow-visibility",
  title: "Network flows between workloads are observable",
  layer: 5,
  severity: "medium",
  scope: "cluster",
  why: "Lateral movement, data exfiltration and command-and-control traffic are network events. Without flow records (who talked to whom, on which port, allowed or dropped by policy) an incident cannot be scoped, a network policy cannot be validated, and a compromised pod calling out goes unseen.",
  references: { nsa: ["Audit logging and threat detection: logging"] },
  needs: [
    { group: "apps", resource: "daemonsets" },
    { group: "apps", resource: "deployments", optional: true },
    { group: "", resource: "configmaps", optional: true },
  ],
  evaluate(ctx) {
    const { relay, agent, tool } = scan(ctx);
    if (tool) {
      ctx.record({ resource: tool.object }, pass());
      return;
    }
    const config = ciliumConfig(ctx, agent);
    if (!agent && !config) {
      if (relay) {
        ctx.record({ resource: relay.object }, relayOutcome(relay));
        return;
      }
      ctx.record({ resource: CLUSTER_RESOURCE }, fail(RESOURCE_ITSELF, "no network flow visibility found (Cilium Hubble with hubble-relay, Retina, OpenShift Network Observability, Calico flow logs, Antrea Flow Aggregator, Pixie, Kubeshark)"));
      return;
    }
    if (!config) {
      if (relay) ctx.record({ resource: relay.object }, relayOutcome(relay));
      else ctx.record({ resource: agent!.object }, unknown(`Cilium runs, but cilium-config ${ctx.mode === "manifests" ? "is not in the input" : "could not be read"}: whether Hubble is enabled is unknown`));
      return;
    }
    const data = asRecord((config as UnknownRecord).data) ?? {};
    const path = 'data["enable-hubble"]';
    const enabled = asString(data["enable-hubble"]);
    if (enabled !== undefined && isRedacted(enabled)) {
      ctx.record({ resource: config }, unknown("the value of enable-hubble was redacted", path));
      return;
    }
    if (enabled?.trim().toLowerCase() !== "true") {
      ctx.record({ resource: config }, fail(path, `Hubble is ${enabled === undefined ? "not enabled (enable-hubble unset)" : `disabled (enable-hubble: ${enabled})`}: Cilium records no flows`));
      return;
    }
    if (relay) {
      ctx.record({ resource: relay.object }, relayOutcome(relay));
      return;
    }
    // Flows exported to files on each node (shipped by a log agent) are an alternative to the relay.
    if (typeof data["hubble-export-file-path"] === "string" && data["hubble-export-file-path"] !== "") {
      ctx.record({ resource: config }, pass());
      return;
    }
    ctx.record({ resource: config }, fail(RESOURCE_ITSELF, "Hubble is enabled on each node, but hubble-relay is not deployed (and no flow export file is set): flows cannot be queried or retained cluster-wide"));
  },
  guide: `
Passes with Cilium's Hubble (\`enable-hubble: "true"\` in cilium-config and a ready hubble-relay, or flows exported to files with \`hubble-export-file-path\`), or with another flow-visibility tool running: Retina (AKS Advanced Container Networking), OpenShift Network Observability, Calico's Goldmane flow logs, the Antrea Flow Aggregator, Pixie or Kubeshark. GKE Dataplane V2 observability deploys hubble-relay and is recognized as Hubble. Flow logs of the cloud network (VPC flow logs) are not visible through the Kubernetes API; if you rely on them, exempt the cluster from this check with an exception rule.

## Fix

Cilium (Helm):

~~~sh
helm upgrade cilium cilium/cilium -n kube-system --reuse-values \\
  --set hubble.enabled=true \\
  --set hubble.relay.enabled=true \\
  --set hubble.metrics.enabled="{dns,drop,tcp,flow,port-distribution,httpV2}"
cilium hubble port-forward &
hubble observe --namespace shop --verdict DROPPED
~~~

To keep flows for investigations, export them to files and ship them with your log agent:

~~~yaml
# cilium-config (Helm: hubble.export.static)
hubble-export-file-path: /var/run/cilium/hubble/events.log
hubble-export-allowlist: '{"verdict":["DROPPED","ERROR"]}'
~~~

## Prevent

Keep the CNI's Helm values in Git (Hubble and relay enabled), alert when hubble-relay has no ready replica (\`kube_deployment_status_replicas_available{deployment="hubble-relay"} < 1\`), and protect kube-system/cilium-config from edits outside the GitOps pipeline (RBAC: only the CNI's deployer may update it).
`,
});
