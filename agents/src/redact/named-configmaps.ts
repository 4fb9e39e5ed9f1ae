/**
 * The few ConfigMaps the agent may read by name. Their data never leaves as is: each known map
 * keeps only the keys the checks read, with values that cannot hold a credential; any other map
 * keeps its key names only.
 */
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { REDACTED } from "@/lib/snapshot/redaction";
import { isSensitiveName, maskCredentialsInText } from "./credential-patterns";

const SHORT_SAFE_VALUE = /^[\w.:\/,=-]{0,128}$/;

/** cilium-config keys the checks read (policy enforcement, encryption, Hubble). */
export const CILIUM_CONFIG_KEYS = [
  "enable-policy",
  "policy-audit-mode",
  "enable-hubble",
  "enable-wireguard",
  "enable-ipsec",
  "encryption-type",
  "enable-l7-proxy",
  "enable-host-firewall",
  "kube-proxy-replacement",
  "cluster-name",
] as const;

/** Parts of kubeadm's ClusterConfiguration kept: versions and control-plane flags. */
const KUBEADM_COMPONENTS = ["apiServer", "controllerManager", "scheduler"] as const;

export const ISTIO_MESH_KEYS = ["enableAutoMtls", "meshMTLS", "outboundTrafficPolicy", "trustDomain"] as const;

function safeScalar(value: unknown): string {
  if (typeof value !== "string") return REDACTED;
  return SHORT_SAFE_VALUE.test(value) && maskCredentialsInText(value) === value ? value : REDACTED;
}

function redactFlagValue(name: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (isSensitiveName(name) && !(/(file|path|dir|config)$/i.test(name) && value.startsWith("/"))) return REDACTED;
  return maskCredentialsInText(value);
}

/** kubeadm extraArgs: a map (v1beta3) or a list of {name, value} (v1beta4). */
function redactExtraArgs(extraArgs: unknown): unknown {
  if (Array.isArray(extraArgs)) {
    return extraArgs.map((arg) => {
      if (!arg || typeof arg !== "object") return arg;
      const { name, value } = arg as { name?: unknown; value?: unknown };
      return { name, value: typeof name === "string" ? redactFlagValue(name, value) : REDACTED };
    });
  }
  if (extraArgs && typeof extraArgs === "object") {
    return Object.fromEntries(Object.entries(extraArgs).map(([name, value]) => [name, redactFlagValue(name, value)]));
  }
  return undefined;
}

function reduceKubeadmClusterConfiguration(text: string): string {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return REDACTED;
  }
  if (!parsed || typeof parsed !== "object") return REDACTED;
  const source = parsed as Record<string, unknown>;
  const reduced: Record<string, unknown> = {};
  for (const key of ["apiVersion", "kind", "kubernetesVersion", "clusterName"]) {
    if (typeof source[key] === "string") reduced[key] = safeScalar(source[key]);
  }
  for (const component of KUBEADM_COMPONENTS) {
    const section = source[component] as { extraArgs?: unknown } | undefined;
    const extraArgs = section && typeof section === "object" ? redactExtraArgs(section.extraArgs) : undefined;
    if (extraArgs !== undefined) reduced[component] = { extraArgs };
  }
  return stringifyYaml(reduced);
}

function reduceIstioMesh(text: string): string {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return REDACTED;
  }
  if (!parsed || typeof parsed !== "object") return REDACTED;
  const source = parsed as Record<string, unknown>;
  const reduced: Record<string, unknown> = {};
  for (const key of ISTIO_MESH_KEYS) {
    const value = source[key];
    if (typeof value === "boolean") reduced[key] = value;
    else if (typeof value === "string") reduced[key] = safeScalar(value);
    else if (value && typeof value === "object") {
      // meshMTLS / outboundTrafficPolicy are small objects of enums
      reduced[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? safeScalar(v) : typeof v === "boolean" ? v : REDACTED]));
    }
  }
  return stringifyYaml(reduced);
}

/** Returns the data to send for a ConfigMap: derived keys for known maps, key names only otherwise. */
export function reduceConfigMapData(namespace: string | undefined, name: string, data: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!data) return out;
  if (name === "cilium-config") {
    for (const key of CILIUM_CONFIG_KEYS) if (key in data) out[key] = safeScalar(data[key]);
    return out;
  }
  if (name === "kubeadm-config" && namespace === "kube-system") {
    if (typeof data.ClusterConfiguration === "string") out.ClusterConfiguration = reduceKubeadmClusterConfiguration(data.ClusterConfiguration);
    return out;
  }
  if (name === "istio" && typeof data.mesh === "string") {
    out.mesh = reduceIstioMesh(data.mesh);
    return out;
  }
  for (const key of Object.keys(data)) out[key] = REDACTED;
  return out;
}
