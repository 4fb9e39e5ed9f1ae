/** Kubernetes label selectors (matchLabels + matchExpressions), as used by NetworkPolicy, RBAC aggregation and webhooks. */
import { asArray, asRecord, asString, isRecord } from "@/lib/engine/model/kube";

/**
 * True when `labels` satisfy `selector`. An empty selector (`{}`) selects everything;
 * an absent selector (undefined/null) selects nothing, as in the API.
 * An invalid operator selects nothing, so a malformed policy never counts as protection.
 */
export function matchesLabelSelector(selector: unknown, labels: Record<string, string>): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = asRecord(selector.matchLabels);
  if (matchLabels) {
    for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  }
  for (const expr of asArray(selector.matchExpressions)) {
    const e = asRecord(expr);
    const key = asString(e?.key);
    if (!e || key === undefined) return false;
    const values = asArray(e.values).filter((v): v is string => typeof v === "string");
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True when a selector is present and selects every object (`{}` or only empty parts). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = asRecord(selector.matchLabels);
  if (matchLabels && Object.keys(matchLabels).length > 0) return false;
  if (asArray(selector.matchExpressions).length > 0) return false;
  return true;
}
