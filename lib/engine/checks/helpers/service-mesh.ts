/**
 * Service meshes (Istio in sidecar or ambient mode, Linkerd): whether one is installed, which
 * namespaces and workloads are in it, where its control plane runs. Shared by the mesh checks.
 *
 * Membership signals: Istio uses labels (namespace `istio-injection=enabled`, `istio.io/rev=<rev>`,
 * `istio.io/dataplane-mode=ambient`; pod `sidecar.istio.io/inject`), Linkerd an annotation
 * (`linkerd.io/inject: enabled`). Injected pods carry an `istio-proxy` / `linkerd-proxy` container.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { CheckContext } from "@/lib/engine/model/check";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";
import type { Workload } from "@/lib/engine/inventory/workloads";
import { asArray, asRecord, asString, joinPath, labelsOf, type UnknownRecord } from "@/lib/engine/model/kube";

export type MeshName = "istio" | "linkerd";

export interface MeshInstall {
  istio: boolean;
  linkerd: boolean;
  /** Namespaces running a mesh control plane or node proxy (istiod, ztunnel, istio-cni, Linkerd's controllers). */
  controlPlaneNamespaces: ReadonlySet<string>;
  /** Istio's root namespace: where a selector-less PeerAuthentication or AuthorizationPolicy applies mesh-wide. */
  istioRootNamespace: string;
}

const ISTIOD_IMAGE = /(^|\/)(pilot|istio-pilot[\w-]*)([:@]|$)/;
const ISTIO_NODE_IMAGE = /(^|\/)(ztunnel|install-cni|istio-cni[\w-]*)([:@]|$)/;
const LINKERD_CONTROL_IMAGE = /(^|\/)linkerd\/(controller|policy-controller|proxy-identity)([:@]|$)/;
const LINKERD_CONTROL_NAMES = new Set(["linkerd-destination", "linkerd-identity", "linkerd-proxy-injector"]);

export const ISTIO_PROXY = "istio-proxy";
export const LINKERD_PROXY = "linkerd-proxy";
const ISTIO_GATEWAY_IMAGE = /(^|\/)istio\/proxyv2([:@]|$)/;

const cache = new WeakMap<Inventory, MeshInstall>();

/** What is installed, from control-plane workloads, mesh labels on namespaces and the mesh's own objects. */
export function detectMeshes(ctx: CheckContext): MeshInstall {
  const inv = ctx.inventory;
  const cached = cache.get(inv);
  if (cached) return cached;
  let istio = false;
  let linkerd = false;
  let istiodNamespace: string | undefined;
  const controlPlane = new Set<string>();
  for (const w of inv.allWorkloads) {
    const images = inv.containersOf(w).map((c) => c.image ?? "");
    const app = w.podLabels.app ?? labelsOf(w.object).app;
    if (w.kind === "Deployment" && (app === "istiod" || /^istiod(-|$)/.test(w.name) || images.some((i) => ISTIOD_IMAGE.test(i) && /istio/.test(i)))) {
      istio = true;
      istiodNamespace ??= w.namespace;
      controlPlane.add(w.namespace);
    } else if (w.kind === "DaemonSet" && images.some((i) => ISTIO_NODE_IMAGE.test(i) && /istio/.test(i))) {
      istio = true;
      controlPlane.add(w.namespace);
    } else if (LINKERD_CONTROL_NAMES.has(w.name) || images.some((i) => LINKERD_CONTROL_IMAGE.test(i))) {
      linkerd = true;
      controlPlane.add(w.namespace);
    }
  }
  for (const ns of inv.allNamespaces) {
    const mode = namespaceMesh(ns);
    if (mode?.mesh === "istio") istio = true;
    if (mode?.mesh === "linkerd") linkerd = true;
  }
  if (!istio && (inv.ofType("security.istio.io", "PeerAuthentication").length > 0 || inv.ofType("security.istio.io", "AuthorizationPolicy").length > 0)) istio = true;
  if (!linkerd && (inv.ofType("policy.linkerd.io", "Server").length > 0 || inv.ofType("policy.linkerd.io", "AuthorizationPolicy").length > 0)) linkerd = true;
  const result: MeshInstall = { istio, linkerd, controlPlaneNamespaces: controlPlane, istioRootNamespace: istiodNamespace ?? "istio-system" };
  cache.set(inv, result);
  return result;
}

export type NamespaceMesh = { mesh: "istio"; mode: "sidecar" | "ambient" } | { mesh: "linkerd"; mode: "sidecar" };

/** The mesh a namespace is enrolled in by its own labels/annotations, if any. */
export function namespaceMesh(ns: NamespaceInfo): NamespaceMesh | undefined {
  const injection = ns.labels["istio-injection"];
  if (ns.labels["istio.io/dataplane-mode"] === "ambient") return { mesh: "istio", mode: "ambient" };
  if (injection === "enabled") return { mesh: "istio", mode: "sidecar" };
  if (injection !== "disabled" && (ns.labels["istio.io/rev"] ?? "") !== "") return { mesh: "istio", mode: "sidecar" };
  const linkerd = ns.annotations["linkerd.io/inject"];
  if (linkerd === "enabled" || linkerd === "ingress") return { mesh: "linkerd", mode: "sidecar" };
  return undefined;
}

/** The label or annotation that opts the namespace out of a mesh, when one does (istio-injection=disabled, linkerd.io/inject: disabled). */
export function namespaceOptOut(ns: NamespaceInfo): { path: string; message: string } | undefined {
  if (ns.labels["istio-injection"] === "disabled") return { path: joinPath("metadata.labels", "istio-injection"), message: `namespace ${ns.name} is labeled istio-injection=disabled: its pods get no sidecar` };
  if (ns.annotations["linkerd.io/inject"] === "disabled") return { path: joinPath("metadata.annotations", "linkerd.io/inject"), message: `namespace ${ns.name} is annotated linkerd.io/inject: disabled: its pods get no proxy` };
  return undefined;
}

function templateValue(w: Workload, key: string): { value: string; path: string } | undefined {
  const labels = w.podLabels[key];
  if (labels !== undefined) return { value: labels, path: joinPath(`${w.podMetadataPath}.labels`, key) };
  const annotation = w.podAnnotations[key];
  if (annotation !== undefined) return { value: annotation, path: joinPath(`${w.podMetadataPath}.annotations`, key) };
  return undefined;
}

/** Container names of a pod, including native sidecars declared as init containers. */
function podContainerNames(pod: KubeObject): string[] {
  const spec = asRecord((pod as UnknownRecord).spec);
  return [...asArray(spec?.containers), ...asArray(spec?.initContainers)].map((c) => asString(asRecord(c)?.name) ?? "");
}

/** Running pods (finished Job pods are left out: they are gone from the mesh by design). */
export function runningPods(w: Workload): KubeObject[] {
  return w.pods.filter((p) => {
    const phase = asString(asRecord((p as UnknownRecord).status)?.phase);
    return phase !== "Succeeded" && phase !== "Failed";
  });
}

/** A workload whose template itself is a mesh proxy (Istio gateways are proxyv2 deployments). */
export function isMeshGateway(w: Workload, inv: Inventory): boolean {
  return inv.containersOf(w).some((c) => c.name === ISTIO_PROXY && ISTIO_GATEWAY_IMAGE.test(c.image ?? ""));
}

/** Pods that cannot join a mesh: host network pods share the node's network stack. */
export function canJoinMesh(w: Workload): boolean {
  return w.podSpec.hostNetwork !== true;
}

/** The workload opts itself in to a mesh even if its namespace is not enrolled. */
export function workloadOptsIn(w: Workload, inv: Inventory): MeshName | undefined {
  if (isMeshGateway(w, inv)) return "istio";
  if (templateValue(w, "sidecar.istio.io/inject")?.value === "true") return "istio";
  if ((w.podLabels["istio.io/rev"] ?? "") !== "" || w.podLabels["istio.io/dataplane-mode"] === "ambient") return "istio";
  const linkerd = w.podAnnotations["linkerd.io/inject"];
  if (linkerd === "enabled" || linkerd === "ingress") return "linkerd";
  const pods = runningPods(w);
  if (pods.length > 0 && pods.every((p) => podContainerNames(p).includes(ISTIO_PROXY))) return "istio";
  if (pods.length > 0 && pods.every((p) => podContainerNames(p).includes(LINKERD_PROXY))) return "linkerd";
  return undefined;
}

/**
 * Why a workload of an enrolled namespace is outside the mesh: an opt-out on its pod template,
 * or running pods without the proxy (started before injection was enabled). Undefined when it is in.
 */
export function workloadOutsideMesh(w: Workload, nsMesh: NamespaceMesh, inv: Inventory): { path: string; message: string } | undefined {
  if (nsMesh.mesh === "istio") {
    const inject = templateValue(w, "sidecar.istio.io/inject");
    if (nsMesh.mode === "sidecar" && inject?.value === "false") return { path: inject.path, message: `sidecar.istio.io/inject: "false" keeps ${w.kind} ${w.name} out of the mesh` };
    if (nsMesh.mode === "ambient" && w.podLabels["istio.io/dataplane-mode"] === "none") {
      return { path: joinPath(`${w.podMetadataPath}.labels`, "istio.io/dataplane-mode"), message: `istio.io/dataplane-mode: none keeps ${w.kind} ${w.name} out of the ambient mesh` };
    }
    if (nsMesh.mode === "sidecar" && !isMeshGateway(w, inv)) return missingProxy(w, ISTIO_PROXY);
    return undefined;
  }
  const inject = w.podAnnotations["linkerd.io/inject"];
  if (inject === "disabled") return { path: joinPath(`${w.podMetadataPath}.annotations`, "linkerd.io/inject"), message: `linkerd.io/inject: disabled keeps ${w.kind} ${w.name} out of the mesh` };
  return missingProxy(w, LINKERD_PROXY);
}

function missingProxy(w: Workload, proxy: string): { path: string; message: string } | undefined {
  const without = runningPods(w).filter((p) => !podContainerNames(p).includes(proxy));
  if (without.length === 0) return undefined;
  return {
    path: "metadata.name",
    message: `${without.length} running pod${without.length === 1 ? "" : "s"} (${without[0]!.metadata.name}${without.length > 1 ? ", ..." : ""}) ha${without.length === 1 ? "s" : "ve"} no ${proxy} container: restart the ${w.kind} so injection applies`,
  };
}

/** Namespaces whose pods serve admission webhooks: the API server calls them without a mesh identity, so they usually stay out. */
export function webhookBackendNamespaces(inv: Inventory): Set<string> {
  const out = new Set<string>();
  for (const kind of ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]) {
    for (const cfg of inv.ofType("admissionregistration.k8s.io", kind)) {
      for (const hook of asArray((cfg as UnknownRecord).webhooks)) {
        const ns = asString(asRecord(asRecord(asRecord(hook)?.clientConfig)?.service)?.namespace);
        if (ns) out.add(ns);
      }
    }
  }
  return out;
}

/**
 * Linkerd's cluster-wide default inbound policy (install value proxy.defaultInboundPolicy), read from
 * the policy controller's `--default-policy=` argument. Undefined when the control plane is not in the input.
 */
export function linkerdClusterDefaultPolicy(inv: Inventory): string | undefined {
  for (const w of inv.allWorkloads) {
    for (const c of inv.containersOf(w)) {
      if (!/(^|\/)linkerd\/policy-controller([:@]|$)/.test(c.image ?? "") && c.name !== "policy") continue;
      for (const field of ["args", "command"] as const) {
        for (const arg of asArray(c.container[field])) {
          const m = typeof arg === "string" ? /^--default-policy=(.+)$/.exec(arg) : null;
          if (m) return m[1]!.trim();
        }
      }
    }
  }
  return undefined;
}
