/**
 * Redaction: runs on every object before it leaves the agent (all modes), so nothing here may
 * be skipped. Field rules first (documented in docs/agent.md), then a scrub of every remaining
 * string for credential shapes. Returns a new object; the input is not modified.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { REDACTED } from "@/lib/snapshot/redaction";
import { maskCredentialsInText, redactArgs } from "./credential-patterns";
import { reduceConfigMapData } from "./named-configmaps";
import { SERVICE_EXPOSURE_ANNOTATIONS } from "@/lib/engine/checks/3-network/service-exposure";
import { PLATFORM_BINDING_ANNOTATION } from "@/lib/engine/checks/helpers/rbac-public-subjects";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Annotation prefixes whose values the checks read; values are still scrubbed. */
export const ANNOTATION_ALLOWLIST: readonly string[] = [
  // Ramparts' own exemptions (ramparts.dev/exempt, ramparts.dev/exempt-reason): the engine reads them.
  "ramparts.dev/",
  "pod-security.kubernetes.io/",
  "container.apparmor.security.beta.kubernetes.io/",
  "seccomp.security.alpha.kubernetes.io/",
  "kubernetes.io/config.",
  "kubernetes.io/service-account.",
  "kubectl.kubernetes.io/default-container",
  "deployment.kubernetes.io/",
  "meta.helm.sh/",
  "vault.hashicorp.com/",
  "linkerd.io/",
  "config.linkerd.io/",
  "sidecar.istio.io/",
  "istio.io/",
  "proxy.istio.io/",
  "kyverno.io/",
  "policies.kyverno.io/",
  "policy.sigstore.dev/",
  "trivy-operator.",
  "eks.amazonaws.com/",
  "iam.gke.io/",
  "azure.workload.identity/",
  "openshift.io/",
  "k3s.io/node-args",
  "rke2.io/node-args",
  // service-exposure: internal load balancers and their source ranges (exact keys, not the whole prefix).
  ...SERVICE_EXPOSURE_ANNOTATIONS,
  // OpenShift's own RBAC bindings (rbac-authenticated-access, rbac-anonymous-access).
  PLATFORM_BINDING_ANNOTATION,
];

export const DROPPED_ANNOTATIONS: readonly string[] = ["kubectl.kubernetes.io/last-applied-configuration"];

/** Longest string kept; longer ones (scripts, embedded documents) are cut. */
export const MAX_STRING_LENGTH = 8192;

const NODE_ARGS_ANNOTATIONS = new Set(["k3s.io/node-args", "rke2.io/node-args"]);

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function redactAnnotations(annotations: unknown): Record<string, string> | undefined {
  if (!isObject(annotations)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations)) {
    if (DROPPED_ANNOTATIONS.includes(key)) continue;
    if (typeof value !== "string") continue;
    if (NODE_ARGS_ANNOTATIONS.has(key)) {
      try {
        const args = JSON.parse(value) as unknown;
        out[key] = Array.isArray(args) ? JSON.stringify(redactArgs(args)) : REDACTED;
      } catch {
        out[key] = REDACTED;
      }
      continue;
    }
    out[key] = ANNOTATION_ALLOWLIST.some((prefix) => key.startsWith(prefix)) ? value : REDACTED;
  }
  return out;
}

function redactMetadata(metadata: unknown): JsonObject {
  const meta = isObject(metadata) ? metadata : {};
  const out: JsonObject = {};
  for (const key of ["name", "generateName", "namespace", "uid", "creationTimestamp", "deletionTimestamp"] as const) {
    const value = meta[key];
    if (typeof value === "string") out[key] = value;
  }
  if (isObject(meta.labels)) out.labels = meta.labels;
  const annotations = redactAnnotations(meta.annotations);
  if (annotations && Object.keys(annotations).length > 0) out.annotations = annotations;
  if (Array.isArray(meta.ownerReferences)) {
    out.ownerReferences = meta.ownerReferences.filter(isObject).map((ref) => {
      const kept: JsonObject = {};
      for (const key of ["apiVersion", "kind", "name", "uid", "controller"] as const) if (ref[key] !== undefined) kept[key] = ref[key];
      return kept;
    });
  }
  return out;
}

/**
 * Walks any value: env values masked (names and valueFrom refs kept), command/args redacted,
 * webhook CA bundles replaced, every string scrubbed and capped.
 */
function scrub(value: Json, key = ""): Json {
  // An image reference cannot hold a credential, and `name:tag` must stay exact for the checks.
  if (typeof value === "string" && (key === "image" || key === "imageID")) return value;
  if (typeof value === "string") {
    const masked = maskCredentialsInText(value);
    return masked.length > MAX_STRING_LENGTH ? `${masked.slice(0, MAX_STRING_LENGTH)}…[truncated]` : masked;
  }
  if (Array.isArray(value)) {
    if ((key === "command" || key === "args") && value.every((v) => typeof v === "string")) return (redactArgs(value) as Json[]).map((v) => scrub(v));
    if (key === "env") {
      return value.map((entry) => {
        if (!isObject(entry)) return scrub(entry);
        const out: JsonObject = {};
        for (const [k, v] of Object.entries(entry)) {
          if (k === "value") out.value = typeof v === "string" && v.length === 0 ? "" : REDACTED;
          else out[k] = scrub(v, k);
        }
        return out;
      });
    }
    return value.map((v) => scrub(v));
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "caBundle" && typeof v === "string") out[k] = REDACTED;
      else if (k === "httpHeaders" && Array.isArray(v)) out[k] = v.map((h) => (isObject(h) ? { ...h, value: REDACTED } : h));
      else out[k] = scrub(v, k);
    }
    return out;
  }
  return value;
}

function pick(source: unknown, keys: readonly string[]): JsonObject | undefined {
  if (!isObject(source)) return undefined;
  const out: JsonObject = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return Object.keys(out).length > 0 ? out : undefined;
}

function conditionsOnly(status: unknown): JsonObject | undefined {
  if (!isObject(status)) return undefined;
  const out: JsonObject = {};
  if (Array.isArray(status.conditions)) {
    out.conditions = status.conditions.filter(isObject).map((c) => pick(c, ["type", "status", "reason"]) ?? {});
  }
  for (const key of ["observedGeneration", "phase", "ready", "created"] as const) if (status[key] !== undefined && typeof status[key] !== "object") out[key] = status[key];
  return Object.keys(out).length > 0 ? out : undefined;
}

const CONTAINER_STATUS_KEYS = ["name", "image", "imageID", "ready", "restartCount", "started"];

function podStatus(status: unknown): JsonObject | undefined {
  if (!isObject(status)) return undefined;
  const out: JsonObject = {};
  if (typeof status.phase === "string") out.phase = status.phase;
  if (typeof status.qosClass === "string") out.qosClass = status.qosClass;
  for (const key of ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"] as const) {
    const list = status[key];
    if (Array.isArray(list)) out[key] = list.filter(isObject).map((s) => pick(s, CONTAINER_STATUS_KEYS) ?? {});
  }
  return out;
}

const WORKLOAD_STATUS_KEYS = ["replicas", "readyReplicas", "availableReplicas", "updatedReplicas", "observedGeneration"];
const DAEMONSET_STATUS_KEYS = ["desiredNumberScheduled", "currentNumberScheduled", "numberReady", "numberAvailable", "numberMisscheduled", "updatedNumberScheduled"];
const NODE_INFO_KEYS = ["kubeletVersion", "kubeProxyVersion", "osImage", "kernelVersion", "containerRuntimeVersion", "operatingSystem", "architecture"];

function reduceNode(object: JsonObject): JsonObject {
  const spec = pick(object.spec, ["providerID", "taints", "unschedulable"]);
  const status = isObject(object.status) ? object.status : {};
  const reducedStatus: JsonObject = {};
  const nodeInfo = pick(status.nodeInfo, NODE_INFO_KEYS);
  if (nodeInfo) reducedStatus.nodeInfo = nodeInfo;
  if (Array.isArray(status.conditions)) {
    reducedStatus.conditions = status.conditions.filter((c) => isObject(c) && c.type === "Ready").map((c) => pick(c, ["type", "status"]) ?? {});
  }
  return { ...(spec ? { spec } : {}), status: reducedStatus };
}

function reduceService(object: JsonObject): JsonObject {
  if (!isObject(object.spec)) return {};
  const spec: JsonObject = { ...object.spec };
  delete spec.clusterIP;
  delete spec.clusterIPs;
  if (typeof spec.loadBalancerIP === "string") spec.loadBalancerIP = REDACTED;
  if (Array.isArray(spec.externalIPs)) spec.externalIPs = spec.externalIPs.map(() => REDACTED);
  return { spec };
}

const TRIVY_REPORT_KEYS = ["summary", "artifact", "registry", "os", "scanner", "updateTimestamp"];
const MAX_REPORT_ENTRIES = 200;

function reduceTrivyReport(kind: string, object: JsonObject): JsonObject {
  const report = isObject(object.report) ? object.report : {};
  const reduced: JsonObject = pick(report, TRIVY_REPORT_KEYS) ?? {};
  if (kind.endsWith("VulnerabilityReport")) {
    // Summaries only: the vulnerability list (descriptions, links) stays in the cluster.
  } else if (kind === "ExposedSecretReport") {
    if (Array.isArray(report.secrets)) {
      reduced.secrets = report.secrets.filter(isObject).slice(0, MAX_REPORT_ENTRIES).map((s) => pick(s, ["ruleID", "category", "severity", "target", "title"]) ?? {});
    }
  } else if (Array.isArray(report.checks)) {
    reduced.checks = report.checks.filter(isObject).slice(0, MAX_REPORT_ENTRIES * 5).map((c) => pick(c, ["checkID", "severity", "success", "title", "category"]) ?? {});
  }
  const out: JsonObject = { report: reduced };
  if (kind === "ClusterComplianceReport") {
    const spec = isObject(object.spec) && isObject(object.spec.compliance) ? pick(object.spec.compliance, ["id", "title", "version", "platform", "type"]) : undefined;
    if (spec) out.spec = { compliance: spec };
    const status = pick(object.status, ["summary", "updateTimestamp"]);
    if (status) out.status = status;
    delete out.report;
  }
  return out;
}

function reducePolicyReport(object: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (isObject(object.scope)) out.scope = pick(object.scope, ["apiVersion", "kind", "name", "namespace", "uid"]) ?? {};
  if (isObject(object.summary)) out.summary = object.summary;
  if (Array.isArray(object.results)) {
    out.results = object.results
      .filter((r) => isObject(r) && r.result !== "pass" && r.result !== "skip")
      .slice(0, MAX_REPORT_ENTRIES)
      .map((r) => {
        const kept = pick(r, ["policy", "rule", "result", "severity", "category", "scored", "source"]) ?? {};
        const resources = isObject(r) ? r.resources : undefined;
        if (Array.isArray(resources)) kept.resources = resources.filter(isObject).map((x) => pick(x, ["apiVersion", "kind", "name", "namespace", "uid"]) ?? {});
        return kept;
      });
  }
  return out;
}

function reduceGatekeeperStatus(status: unknown): JsonObject | undefined {
  if (!isObject(status)) return undefined;
  const out: JsonObject = pick(status, ["totalViolations", "auditTimestamp"]) ?? {};
  if (Array.isArray(status.violations)) {
    out.violations = status.violations.filter(isObject).slice(0, MAX_REPORT_ENTRIES).map((v) => pick(v, ["kind", "name", "namespace", "enforcementAction"]) ?? {});
  }
  return out;
}

function reduceConstraintTemplate(object: JsonObject): JsonObject {
  const spec = isObject(object.spec) ? { ...object.spec } : {};
  if (Array.isArray(spec.targets)) {
    // The Rego/CEL source is large and not needed to know what a template enforces.
    spec.targets = spec.targets.filter(isObject).map((t) => pick(t, ["target"]) ?? {});
  }
  const status = pick(object.status, ["created"]);
  return { spec, ...(status ? { status } : {}) };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/** Keys left alone at the top level: they are handled by the per-kind rules or metadata. */
const TOP_LEVEL_SKIP = new Set(["apiVersion", "kind", "metadata", "status", "data", "binaryData", "stringData"]);

/**
 * Redacts one Kubernetes object. Returns null for objects that must not be carried at all
 * (List wrappers, objects without apiVersion/kind/name).
 */
export function redactObject(input: unknown): KubeObject | null {
  if (!isObject(input)) return null;
  const apiVersion = input.apiVersion;
  const kind = input.kind;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || kind.endsWith("List")) return null;
  const metadata = redactMetadata(input.metadata);
  if (typeof metadata.name !== "string" || metadata.name.length === 0) return null;
  const group = groupOf(apiVersion);
  const out: JsonObject = { apiVersion, kind, metadata };

  if (group === "" && kind === "Secret") {
    // Only the shape: type and key names. Secret values never leave (and are never read in a cluster).
    if (typeof input.type === "string") out.type = input.type;
    if (typeof input.immutable === "boolean") out.immutable = input.immutable;
    for (const field of ["data", "stringData"] as const) {
      if (isObject(input[field])) out[field] = Object.fromEntries(Object.keys(input[field]).map((k) => [k, REDACTED]));
    }
    return scrub(out) as KubeObject;
  }

  if (group === "" && kind === "ConfigMap") {
    const data = isObject(input.data) ? input.data : undefined;
    out.data = reduceConfigMapData(metadata.namespace as string | undefined, metadata.name, data);
    if (isObject(input.binaryData)) out.binaryData = Object.fromEntries(Object.keys(input.binaryData).map((k) => [k, REDACTED]));
    if (typeof input.immutable === "boolean") out.immutable = input.immutable;
    return scrub(out) as KubeObject;
  }

  if (group === "" && kind === "Node") return scrub({ ...out, ...reduceNode(input) }) as KubeObject;
  if (group === "" && kind === "Service") return scrub({ ...out, ...reduceService(input) }) as KubeObject;
  if (group === "aquasecurity.github.io" && kind.endsWith("Report")) return scrub({ ...out, ...reduceTrivyReport(kind, input) }) as KubeObject;
  if (group === "wgpolicyk8s.io" || group === "openreports.io") return scrub({ ...out, ...reducePolicyReport(input) }) as KubeObject;
  if (group === "templates.gatekeeper.sh" && kind === "ConstraintTemplate") return scrub({ ...out, ...reduceConstraintTemplate(input) }) as KubeObject;

  for (const [key, value] of Object.entries(input)) {
    if (TOP_LEVEL_SKIP.has(key)) continue;
    out[key] = value;
  }
  if (group === "external-secrets.io" && isObject(out.spec) && isObject(out.spec.provider) && isObject(out.spec.provider.fake)) {
    // The "fake" provider holds literal secret values in the store itself.
    out.spec = { ...out.spec, provider: { ...out.spec.provider, fake: { data: REDACTED } } };
  }
  if (group === "secrets.hashicorp.com" && isObject(out.spec) && isObject(out.spec.headers)) {
    out.spec = { ...out.spec, headers: Object.fromEntries(Object.keys(out.spec.headers).map((k) => [k, REDACTED])) };
  }

  let status: JsonObject | undefined;
  if (group === "" && kind === "Pod") status = podStatus(input.status);
  else if (group === "" && kind === "Namespace") status = pick(input.status, ["phase"]);
  else if (kind === "DaemonSet" && group === "apps") status = pick(input.status, DAEMONSET_STATUS_KEYS);
  else if (["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"].includes(kind) && (group === "apps" || group === "")) status = pick(input.status, WORKLOAD_STATUS_KEYS);
  else if (group === "constraints.gatekeeper.sh") status = reduceGatekeeperStatus(input.status);
  else if (["Service", "Ingress", "Job", "CronJob", "ServiceAccount"].includes(kind)) status = undefined;
  else status = conditionsOnly(input.status);
  if (status) out.status = status;
  return scrub(out) as KubeObject;
}
