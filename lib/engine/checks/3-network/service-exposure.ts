import type { KubeObject } from "@/lib/snapshot/schema";
import { defineCheck, unknown, verdict } from "@/lib/engine/checks/define";
import { annotationsOf, asArray, asRecord, asString, labelsOf, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckContext, CheckOutcome, Violation } from "@/lib/engine/model/check";
import { isRedacted } from "@/lib/snapshot/redaction";
import { isAllAddresses } from "@/lib/engine/checks/helpers/default-deny";
import { workloadsIn } from "@/lib/engine/checks/helpers/namespace-index";

/** Annotations that make a cloud load balancer internal (private addresses only), with the values that mean it. */
const INTERNAL_LB_ANNOTATIONS: readonly { key: string; internal: (v: string) => boolean }[] = [
  // AWS Load Balancer Controller (EKS) and the legacy in-tree provider
  { key: "service.beta.kubernetes.io/aws-load-balancer-scheme", internal: (v) => v.toLowerCase() === "internal" },
  { key: "service.beta.kubernetes.io/aws-load-balancer-internal", internal: (v) => v.toLowerCase() === "true" || v === "0.0.0.0/0" },
  // GKE
  { key: "networking.gke.io/load-balancer-type", internal: (v) => v.toLowerCase() === "internal" },
  { key: "cloud.google.com/load-balancer-type", internal: (v) => v.toLowerCase() === "internal" },
  // AKS
  { key: "service.beta.kubernetes.io/azure-load-balancer-internal", internal: (v) => v.toLowerCase() === "true" },
  // OCI
  { key: "service.beta.kubernetes.io/oci-load-balancer-internal", internal: (v) => v.toLowerCase() === "true" },
];

const SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

/** AWS Load Balancer Controller: Services it manages get an internal load balancer unless the scheme annotation says otherwise. */
const AWS_SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const AWS_LB_TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";
const AWS_LBC_TYPES = new Set(["external", "nlb-ip"]);
const AWS_LBC_CLASS = "service.k8s.aws/nlb";

/** Every annotation this check reads: the agent must keep their values (agents/src/redact/redact-object.ts). */
export const SERVICE_EXPOSURE_ANNOTATIONS: readonly string[] = [...INTERNAL_LB_ANNOTATIONS.map((a) => a.key), SOURCE_RANGES_ANNOTATION, AWS_LB_TYPE];

/** Proxies built to face the internet: an entry point in front of them is the cluster's front door, not an app exposed by mistake. */
const GATEWAY_IMAGES: readonly RegExp[] = [
  /(^|\/)ingress-nginx\/controller([:@]|$)/,
  /(^|\/)nginx(inc)?\/nginx-ingress([:@]|$)/,
  /(^|\/)traefik([:@]|$)/,
  /(^|\/)istio\/proxyv2([:@]|$)/,
  /(^|\/)envoyproxy\/envoy(-distroless)?([:@]|$)/,
  /(^|\/)haproxytech\/kubernetes-ingress([:@]|$)/,
  /(^|\/)kong(\/kong-gateway|\/kong)?([:@]|$)/,
  /(^|\/)(emissary-ingress|datawire)\/emissary([:@]|$)/,
  /(^|\/)projectcontour\/contour([:@]|$)/,
  /(^|\/)cilium\/cilium-envoy([:@]|$)/,
];

/** Labels the Gateway API implementations and Cilium's ingress put on the Services they create. */
const GATEWAY_SERVICE_LABELS = ["gateway.networking.k8s.io/gateway-name", "gateway.istio.io/managed", "cilium.io/ingress"];

export const serviceExposure = defineCheck({
  id: "service-exposure",
  title: "Services are not exposed outside the cluster unless they are the front door",
  layer: 3,
  severity: "medium",
  scope: "workload",
  why: "A LoadBalancer Service without source ranges puts its pods on the internet, and a NodePort or externalIPs Service opens a port on every node. Databases, admin consoles and internal APIs exposed this way are found by scanners within minutes, and they skip the ingress layer where TLS, authentication and WAF rules live. Only the ingress controller or gateway should face the internet.",
  references: { nsa: ["Network separation and hardening: network policies"], kubescape: ["C-0256"] },
  needs: [{ group: "", resource: "services" }, { group: "", resource: "pods", optional: true }],
  evaluate(ctx) {
    const inv = ctx.inventory;
    for (const svc of inv.ofType("", "Service")) {
      if (inv.isSkippedNamespace(inv.namespaceOf(svc))) continue;
      ctx.record({ resource: svc }, evaluateService(svc, ctx));
    }
  },
  guide: `
Keep application Services \`ClusterIP\` and publish them through the ingress controller or a Gateway. Load balancers managed by the AWS Load Balancer Controller (\`loadBalancerClass: service.k8s.aws/nlb\`, or \`aws-load-balancer-type: external\`) are internal unless \`aws-load-balancer-scheme: internet-facing\` is set. When a load balancer is needed for something other than the front door, make it internal or limit who can reach it. Services in front of a recognized ingress controller or gateway (ingress-nginx, Traefik, Istio, Envoy Gateway, Contour, Kong, HAProxy, Emissary, Cilium) pass; protect those with TLS and, ideally, a WAF.

## Fix

Internal load balancer (pick your provider's annotation):

~~~yaml
apiVersion: v1
kind: Service
metadata:
  name: admin
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-scheme: internal        # EKS (AWS Load Balancer Controller)
    networking.gke.io/load-balancer-type: Internal                       # GKE
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"      # AKS
spec:
  type: LoadBalancer
~~~

or restrict the sources:

~~~yaml
spec:
  type: LoadBalancer
  loadBalancerSourceRanges:
    - 203.0.113.0/24     # office / VPN egress
~~~

or stop exposing it:

~~~sh
kubectl -n <namespace> patch service <name> --type merge -p '{"spec":{"type":"ClusterIP","externalIPs":null}}'
~~~

## Prevent

Allow LoadBalancer, NodePort and externalIPs only in the ingress controller's namespace, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-service-exposure
spec:
  rules:
    - name: no-external-services
      match:
        any:
          - resources:
              kinds: [Service]
      exclude:
        any:
          - resources:
              namespaces: [ingress-nginx, istio-ingress]
      validate:
        failureAction: Enforce
        message: "Expose Services through the ingress controller; LoadBalancer, NodePort and externalIPs are reserved to it."
        pattern:
          spec:
            =(type): "ClusterIP | ExternalName"
            X(externalIPs): "null"
~~~

and enable the \`DenyServiceExternalIPs\` admission plugin on self-managed API servers.
`,
});

function evaluateService(svc: KubeObject, ctx: CheckContext): CheckOutcome {
  const spec = asRecord((svc as UnknownRecord).spec) ?? {};
  const type = asString(spec.type) ?? "ClusterIP";
  const violations: Violation[] = [];
  if (asArray(spec.externalIPs).length > 0) {
    violations.push({ path: "spec.externalIPs", message: "externalIPs make every node accept traffic for these addresses and forward it to the Service" });
  }
  if (type !== "LoadBalancer" && type !== "NodePort") return verdict(violations);
  if (frontsGateway(svc, spec, ctx)) return verdict(violations);
  if (type === "NodePort") {
    violations.push({ path: "spec.type", message: "NodePort opens the Service's port on every node: keep it ClusterIP and publish it through the ingress controller" });
    return verdict(violations);
  }
  const lb = loadBalancerReach(svc, spec);
  if (lb.status === "restricted") return verdict(violations);
  if (lb.status === "unknown") return violations.length > 0 ? verdict(violations) : unknown(lb.message, lb.path);
  violations.push({ path: lb.path, message: lb.message });
  return verdict(violations);
}

type Reach = { status: "restricted" } | { status: "open" | "unknown"; path: string; message: string };

function loadBalancerReach(svc: KubeObject, spec: UnknownRecord): Reach {
  const annotations = annotationsOf(svc);
  const annotationPath = (key: string) => `metadata.annotations[${JSON.stringify(key)}]`;
  let hidden: string | undefined; // an annotation that decides, but whose value the agent redacted
  for (const { key, internal } of INTERNAL_LB_ANNOTATIONS) {
    const value = annotations[key];
    if (value === undefined) continue;
    if (isRedacted(value)) hidden ??= key;
    else if (internal(value)) return { status: "restricted" };
  }
  // The AWS Load Balancer Controller makes load balancers internal unless the scheme says internet-facing.
  if (annotations[AWS_SCHEME] === undefined) {
    const type = annotations[AWS_LB_TYPE];
    if (asString(spec.loadBalancerClass) === AWS_LBC_CLASS || (type !== undefined && !isRedacted(type) && AWS_LBC_TYPES.has(type.toLowerCase()))) return { status: "restricted" };
    if (type !== undefined && isRedacted(type)) hidden ??= AWS_LB_TYPE;
  }
  const ranges = asArray(spec.loadBalancerSourceRanges).map((r) => asString(r)?.trim());
  const openRange = ranges.findIndex((r) => isAllAddresses(r));
  if (ranges.length > 0 && openRange === -1) return { status: "restricted" };
  const legacy = annotations[SOURCE_RANGES_ANNOTATION];
  let legacyOpen = false;
  if (ranges.length === 0 && legacy !== undefined) {
    if (isRedacted(legacy)) hidden ??= SOURCE_RANGES_ANNOTATION;
    else {
      const list = legacy.split(",").map((r) => r.trim()).filter((r) => r !== "");
      legacyOpen = list.some((r) => isAllAddresses(r));
      if (list.length > 0 && !legacyOpen) return { status: "restricted" };
    }
  }
  if (hidden !== undefined) {
    return { status: "unknown", path: annotationPath(hidden), message: `the agent redacted the value of ${hidden}, so whether this load balancer is reachable from the internet cannot be told` };
  }
  if (openRange !== -1) return { status: "open", path: `spec.loadBalancerSourceRanges[${openRange}]`, message: `loadBalancerSourceRanges allows ${ranges[openRange]}: the load balancer is open to the internet` };
  if (legacyOpen) return { status: "open", path: annotationPath(SOURCE_RANGES_ANNOTATION), message: "the source-ranges annotation allows 0.0.0.0/0: the load balancer is open to the internet" };
  return {
    status: "open",
    path: "spec.type",
    message: "internet-facing LoadBalancer with no loadBalancerSourceRanges and no internal-load-balancer annotation: every address can reach these pods",
  };
}

/** True when the Service is the front door: created by a Gateway API implementation, or selecting only ingress/gateway proxies. */
function frontsGateway(svc: KubeObject, spec: UnknownRecord, ctx: CheckContext): boolean {
  const labels = labelsOf(svc);
  if (GATEWAY_SERVICE_LABELS.some((l) => labels[l] !== undefined)) return true;
  const selector = asRecord(spec.selector);
  if (!selector || Object.keys(selector).length === 0) return false;
  const ns = ctx.inventory.namespaceOf(svc);
  const selected = workloadsIn(ctx.inventory, ns ?? "default").filter((w) => Object.entries(selector).every(([k, v]) => w.podLabels[k] === v));
  if (selected.length === 0) return false;
  return selected.every((w) => ctx.inventory.containersOf(w).some((c) => c.type === "container" && GATEWAY_IMAGES.some((re) => re.test(c.image ?? ""))));
}
