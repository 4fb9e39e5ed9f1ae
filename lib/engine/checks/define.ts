/**
 * What check authors use: outcome helpers and builders that iterate containers,
 * workloads or namespaces and record one outcome per item. See docs/checks.md.
 */
import type { Check, CheckContext, CheckMeta, CheckOutcome, OutcomeSubject, Violation } from "@/lib/engine/model/check";
import type { ResourceRef } from "@/lib/engine/model/kube";
import type { ContainerRef } from "@/lib/engine/inventory/containers";
import type { Workload } from "@/lib/engine/inventory/workloads";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";

const PASS: CheckOutcome = Object.freeze({ status: "pass" });
const NOT_APPLICABLE: CheckOutcome = Object.freeze({ status: "not-applicable" });

/** The resource passed. Shared object: costs nothing. */
export function pass(): CheckOutcome {
  return PASS;
}

/** The resource fails at `path`. */
export function fail(path: string, message: string): CheckOutcome {
  return { status: "fail", violations: [{ path, message }] };
}

/** Pass when `violations` is empty, fail with all of them otherwise. */
export function verdict(violations: readonly Violation[]): CheckOutcome {
  return violations.length === 0 ? PASS : { status: "fail", violations };
}

/** The API cannot tell (managed control plane, missing status, list forbidden). Never counts as a pass. */
export function unknown(message: string, path?: string): CheckOutcome {
  return path === undefined ? { status: "unknown", message } : { status: "unknown", message, path };
}

/** The check does not apply to this resource (Windows pod for a Linux control, ...). Counted, not listed. */
export function notApplicable(): CheckOutcome {
  return NOT_APPLICABLE;
}

/** Pseudo-resource for cluster-wide findings with no object to point at (e.g. "no runtime detector installed"). */
export const CLUSTER_RESOURCE: ResourceRef = Object.freeze({ apiVersion: "ramparts.dev/v1", kind: "Cluster", name: "cluster" });

/** Path convention for "a companion object is missing" findings: the resource itself, at its name. */
export const RESOURCE_ITSELF = "metadata.name";

/** A check with its own evaluate (RBAC, cluster-level, anything not one-per-container/workload/namespace). */
export function defineCheck(check: Check): Check {
  return check;
}

export interface ContainerCheckSpec extends CheckMeta {
  /** Return false to count the container as not applicable (e.g. Windows pods for Linux-only controls). */
  appliesTo?: (c: ContainerRef, ctx: CheckContext) => boolean;
  evaluateContainer(c: ContainerRef, ctx: CheckContext): CheckOutcome;
}

/** One outcome per container of every workload outside skipped namespaces; findings carry the container name. */
export function defineContainerCheck(spec: ContainerCheckSpec): Check {
  const { appliesTo, evaluateContainer, ...meta } = spec;
  return {
    ...meta,
    evaluate(ctx) {
      // One subject object, refilled per container: record() reads it and keeps nothing of it.
      const subject: { resource: OutcomeSubject["resource"]; container: string | undefined } = { resource: CLUSTER_RESOURCE, container: undefined };
      for (const c of ctx.inventory.containers) {
        subject.resource = c.workload.object;
        subject.container = c.name;
        if (appliesTo && !appliesTo(c, ctx)) ctx.record(subject, NOT_APPLICABLE);
        else ctx.record(subject, evaluateContainer(c, ctx));
      }
    },
  };
}

export interface WorkloadCheckSpec extends CheckMeta {
  appliesTo?: (w: Workload, ctx: CheckContext) => boolean;
  evaluateWorkload(w: Workload, ctx: CheckContext): CheckOutcome;
}

/** One outcome per top-level workload outside skipped namespaces (pod-level fields: hostNetwork, volumes, serviceAccountName...). */
export function defineWorkloadCheck(spec: WorkloadCheckSpec): Check {
  const { appliesTo, evaluateWorkload, ...meta } = spec;
  return {
    ...meta,
    evaluate(ctx) {
      const subject: { resource: OutcomeSubject["resource"] } = { resource: CLUSTER_RESOURCE };
      for (const w of ctx.inventory.workloads) {
        subject.resource = w.object;
        if (appliesTo && !appliesTo(w, ctx)) ctx.record(subject, NOT_APPLICABLE);
        else ctx.record(subject, evaluateWorkload(w, ctx));
      }
    },
  };
}

export interface NamespaceCheckSpec extends CheckMeta {
  /** Default: namespaces that hold at least one workload. Return false to count as not applicable. */
  appliesTo?: (ns: NamespaceInfo, ctx: CheckContext) => boolean;
  evaluateNamespace(ns: NamespaceInfo, ctx: CheckContext): CheckOutcome;
}

/** One outcome per namespace outside the skip list (listed or only referenced). */
export function defineNamespaceCheck(spec: NamespaceCheckSpec): Check {
  const { appliesTo = (ns: NamespaceInfo) => ns.workloadCount > 0, evaluateNamespace, ...meta } = spec;
  return {
    ...meta,
    evaluate(ctx) {
      for (const ns of ctx.inventory.namespaces) {
        const subject = { resource: ns.object ?? ns.ref };
        if (!appliesTo(ns, ctx)) ctx.record(subject, NOT_APPLICABLE);
        else ctx.record(subject, evaluateNamespace(ns, ctx));
      }
    },
  };
}

/** True unless the pod declares spec.os.name: windows. For Linux-only controls' appliesTo. */
export function isLinuxContainer(c: ContainerRef): boolean {
  return !c.workload.isWindows;
}
