/**
 * Namespaces that workload and namespace checks skip by default: the ones
 * Kubernetes itself owns. Cluster-level checks (runtime detectors, the API server
 * flags, RBAC) still read objects there. Override with EvaluateOptions.skipNamespaces.
 */
export const DEFAULT_SKIPPED_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease"];
