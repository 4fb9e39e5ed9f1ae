/**
 * Which kinds are cluster-scoped, and the namespace an object lives in. Manifests
 * often omit metadata.namespace (Helm sets it at install time); like kubectl, the
 * engine then places namespaced objects in "default".
 */
import type { KubeObject } from "@/lib/snapshot/schema";

const CLUSTER_SCOPED_KINDS = new Set([
  "Namespace", "Node", "PersistentVolume", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
  "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService", "PriorityClass", "RuntimeClass", "IngressClass",
  "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
  "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
  "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "ConstraintTemplate", "GlobalNetworkPolicy", "GlobalNetworkSet",
  "APIServer", "ClusterVersion", "KubeAPIServer", "OpenShiftAPIServer", "ImageValidatingPolicy", "ValidatingPolicy",
  "TracingPolicy", "KubeArmorHostPolicy",
]);

/** Groups whose kinds are all cluster-scoped (Gatekeeper constraints are generated per template). */
const CLUSTER_SCOPED_GROUPS = new Set(["constraints.gatekeeper.sh"]);

export function isClusterScoped(kind: string, apiVersion: string): boolean {
  if (CLUSTER_SCOPED_KINDS.has(kind)) return true;
  if (kind.startsWith("Cluster") || kind.startsWith("Global")) return true;
  const slash = apiVersion.indexOf("/");
  return slash !== -1 && CLUSTER_SCOPED_GROUPS.has(apiVersion.slice(0, slash));
}

/** The namespace an object lives in: its own, "default" for namespaced kinds without one, undefined when cluster-scoped. */
export function effectiveNamespace(obj: KubeObject): string | undefined {
  const ns = obj.metadata.namespace;
  if (typeof ns === "string" && ns !== "") return ns;
  return isClusterScoped(obj.kind, obj.apiVersion) ? undefined : "default";
}
