/**
 * Values the Pod Security Standards allow, taken from the Pod Security Admission
 * checks (k8s.io/pod-security-admission/policy) so our verdicts match what PSA says
 * at `enforce-version: latest`. Values added in a Kubernetes release carry the
 * release, so a cluster whose version is known is judged by its own rules.
 */
import type { ClusterInfo } from "@/lib/engine/model/engine-input";
import type { ContainerRef } from "@/lib/engine/inventory/containers";
import { asRecord } from "@/lib/engine/model/kube";

/** Baseline: capabilities.add may only hold these (compared literally, as PSA does). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** Restricted: the only capability that may be added back after dropping ALL. */
export const RESTRICTED_ADDABLE_CAPABILITY = "NET_BIND_SERVICE";

/** A capability name as the kernel knows it: upper case, without the CAP_ prefix. */
export function canonicalCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}

/** Baseline sysctls (spec.securityContext.sysctls[*].name), with the Kubernetes minor version that allowed them. */
export const SAFE_SYSCTLS: ReadonlyMap<string, number> = new Map([
  ["kernel.shm_rmid_forced", 0],
  ["net.ipv4.ip_local_port_range", 0],
  ["net.ipv4.tcp_syncookies", 0],
  ["net.ipv4.ping_group_range", 0],
  ["net.ipv4.ip_unprivileged_port_start", 0],
  ["net.ipv4.ip_local_reserved_ports", 27],
  ["net.ipv4.tcp_keepalive_time", 29],
  ["net.ipv4.tcp_fin_timeout", 29],
  ["net.ipv4.tcp_keepalive_intvl", 29],
  ["net.ipv4.tcp_keepalive_probes", 29],
  ["net.ipv4.tcp_rmem", 32],
  ["net.ipv4.tcp_wmem", 32],
]);

/** Baseline SELinux types (seLinuxOptions.type); "" means unset. */
export const SELINUX_TYPES: ReadonlyMap<string, number> = new Map([
  ["", 0],
  ["container_t", 0],
  ["container_init_t", 0],
  ["container_kvm_t", 0],
  ["container_engine_t", 31],
]);

/** Restricted: the volume sources a pod may use (a volume with no source is defaulted to emptyDir). */
export const RESTRICTED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** Seccomp and AppArmor profile types both levels accept (baseline forbids Unconfined; restricted requires one of these). */
export const CONFINED_PROFILE_TYPES: ReadonlySet<string> = new Set(["RuntimeDefault", "Localhost"]);

/** AppArmor beta annotation values PSA accepts: runtime/default, localhost/<profile>, or empty. */
export function allowedAppArmorAnnotation(value: string): boolean {
  return value === "" || value === "runtime/default" || value.startsWith("localhost/");
}

/** The cluster's Kubernetes minor version ("v1.31.2-eks-..." -> 31), when known and 1.x. */
export function kubernetesMinor(cluster: ClusterInfo): number | undefined {
  const m = /^v?1\.(\d+)(?:\.|$|[^0-9])/.exec(cluster.kubernetesVersion ?? "");
  return m ? Number(m[1]) : undefined;
}

/** True when a value added to a PSS allow-list in minor `since` is allowed on this cluster (unknown version: latest rules). */
export function allowedSince(since: number | undefined, minor: number | undefined): boolean {
  if (since === undefined) return false;
  return minor === undefined || minor >= since;
}

export interface LevelValue {
  value: unknown;
  /** Full path of the field from the resource root. */
  path: string;
}

/**
 * A securityContext field read separately at pod and container level. Pod Security
 * Admission judges every level that sets a field (a bad pod-level value fails the pod
 * even when each container overrides it), so checks need both, not only the effective value.
 */
export function securityContextLevels(c: ContainerRef, field: readonly string[]): { pod?: LevelValue; container?: LevelValue } {
  const podSc = asRecord(c.workload.podSpec.securityContext);
  const ctrSc = asRecord(c.container.securityContext);
  const out: { pod?: LevelValue; container?: LevelValue } = {};
  const podValue = dig(podSc, field);
  if (podValue !== undefined && podValue !== null) out.pod = { value: podValue, path: `${c.workload.podSpecPath}.securityContext.${field.join(".")}` };
  const ctrValue = dig(ctrSc, field);
  if (ctrValue !== undefined && ctrValue !== null) out.container = { value: ctrValue, path: c.at(`securityContext.${field.join(".")}`) };
  return out;
}

function dig(root: unknown, field: readonly string[]): unknown {
  let cur: unknown = root;
  for (const f of field) cur = asRecord(cur)?.[f];
  return cur;
}
