/**
 * Which service account a workload runs as, and whether its token is mounted: the pod's
 * automountServiceAccountToken wins over the ServiceAccount's, and both default to true.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { asArray, asRecord, asString, joinPath, type UnknownRecord } from "@/lib/engine/model/kube";
import type { Workload } from "@/lib/engine/inventory/workloads";
import type { CheckContext } from "@/lib/engine/model/check";

export function serviceAccountNameOf(w: Workload): string {
  const name = asString(w.podSpec.serviceAccountName) || asString(w.podSpec.serviceAccount);
  return name || "default";
}

/** Path where the service account is (or would be) set. */
export function serviceAccountPathOf(w: Workload): string {
  if (asString(w.podSpec.serviceAccountName) === undefined && asString(w.podSpec.serviceAccount)) return joinPath(w.podSpecPath, "serviceAccount");
  return joinPath(w.podSpecPath, "serviceAccountName");
}

export interface TokenMount {
  /** true / false, or "unknown" when the ServiceAccount that decides could not be read. */
  mounted: boolean | "unknown";
  /** Who decided: the pod spec, the ServiceAccount, or the API default (true). */
  decidedBy: "pod" | "serviceaccount" | "default";
  /** Path of the pod-level field (set or where to set it). */
  podPath: string;
  serviceAccount: KubeObject | undefined;
}

export function tokenMountOf(w: Workload, ctx: CheckContext): TokenMount {
  const podPath = joinPath(w.podSpecPath, "automountServiceAccountToken");
  const sa = ctx.inventory.get("", "ServiceAccount", w.namespace, serviceAccountNameOf(w));
  const podValue = w.podSpec.automountServiceAccountToken;
  if (typeof podValue === "boolean") return { mounted: podValue, decidedBy: "pod", podPath, serviceAccount: sa };
  const saValue = sa ? (sa as UnknownRecord).automountServiceAccountToken : undefined;
  if (typeof saValue === "boolean") return { mounted: saValue, decidedBy: "serviceaccount", podPath, serviceAccount: sa };
  if (!sa && !ctx.canSee("", "serviceaccounts")) return { mounted: "unknown", decidedBy: "default", podPath, serviceAccount: undefined };
  return { mounted: true, decidedBy: "default", podPath, serviceAccount: sa };
}

/** True when the pod requests a service account token explicitly (projected volume): a deliberate choice. */
export function hasProjectedToken(w: Workload): boolean {
  return asArray(w.podSpec.volumes).some((v) => asArray(asRecord(asRecord(v)?.projected)?.sources).some((s) => asRecord(s)?.serviceAccountToken !== undefined));
}
