/**
 * The kube-apiserver flags from every place a cluster shows them: the static (mirror) pods of
 * kubeadm-style control planes, kubeadm's ClusterConfiguration (kube-system/kubeadm-config,
 * apiServer.extraArgs) and the node-args annotation of k3s and RKE2 servers
 * (`--kube-apiserver-arg=name=value`, plus their own server options). Complements api-server.ts.
 */
import { parse as parseYaml } from "yaml";
import type { KubeObject } from "@/lib/snapshot/schema";
import { annotationsOf, asArray, asRecord, asString, joinPath, type UnknownRecord } from "@/lib/engine/model/kube";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import { apiServerPods } from "@/lib/engine/checks/helpers/api-server";

export interface FlagValue {
  /** Value after "=", or "" for a bare flag. */
  value: string;
  /** Field path of the element holding the flag. */
  path: string;
}

export interface ApiServerFlagSource {
  kind: "pod" | "kubeadm-config" | "node-args";
  object: KubeObject;
  /** Flags by name, with leading dashes: "--audit-log-path". k3s/RKE2 server options are kept under their own names. */
  flags: Map<string, FlagValue>;
  /** Where a missing flag would be added. */
  addPath: string;
}

const NODE_ARGS = ["k3s.io/node-args", "rke2.io/node-args"] as const;

const sourcesCache = new WeakMap<Inventory, ApiServerFlagSource[]>();

export function apiServerFlagSources(inv: Inventory): ApiServerFlagSource[] {
  // Computed once per evaluation: some checks ask once per namespace.
  const cached = sourcesCache.get(inv);
  if (cached) return [...cached];
  const out: ApiServerFlagSource[] = [];
  for (const pod of apiServerPods(inv.ofType("", "Pod"), inv.namespaceOf)) out.push(fromPod(pod));
  const kubeadm = inv.get("", "ConfigMap", "kube-system", "kubeadm-config");
  if (kubeadm) {
    const source = fromKubeadmConfig(kubeadm);
    if (source) out.push(source);
  }
  for (const node of inv.ofType("", "Node")) {
    const source = fromNodeArgs(node);
    if (source) out.push(source);
  }
  sourcesCache.set(inv, out);
  return [...out];
}

function addFlag(flags: Map<string, FlagValue>, text: string, path: string): void {
  if (!text.startsWith("--")) return;
  const eq = text.indexOf("=");
  const name = eq === -1 ? text : text.slice(0, eq);
  if (!flags.has(name)) flags.set(name, { value: eq === -1 ? "" : text.slice(eq + 1), path });
}

function fromPod(pod: KubeObject): ApiServerFlagSource {
  const flags = new Map<string, FlagValue>();
  const containers = asArray(asRecord((pod as UnknownRecord).spec)?.containers);
  containers.forEach((c, i) => {
    for (const field of ["command", "args"] as const) {
      asArray(asRecord(c)?.[field]).forEach((arg, j) => {
        if (typeof arg !== "string") return;
        // A shell wrapper ("sh -c 'kube-apiserver --a=b ...'") holds several flags in one element.
        for (const word of arg.split(/\s+/)) addFlag(flags, word.replace(/^['"]|['"]$/g, ""), `spec.containers[${i}].${field}[${j}]`);
      });
    }
  });
  const first = asRecord(containers[0]);
  return { kind: "pod", object: pod, flags, addPath: `spec.containers[0].${first && Array.isArray(first.command) ? "command" : "args"}` };
}

function fromKubeadmConfig(cm: KubeObject): ApiServerFlagSource | undefined {
  const text = asString(asRecord((cm as UnknownRecord).data)?.ClusterConfiguration);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return undefined;
  }
  const path = 'data.ClusterConfiguration';
  const flags = new Map<string, FlagValue>();
  const extraArgs = asRecord(asRecord(parsed)?.apiServer)?.extraArgs;
  if (Array.isArray(extraArgs)) {
    // kubeadm v1beta4: a list of {name, value}
    for (const arg of extraArgs) {
      const name = asString(asRecord(arg)?.name);
      if (name) flags.set(`--${name}`, { value: String(asRecord(arg)?.value ?? ""), path });
    }
  } else {
    for (const [name, value] of Object.entries(asRecord(extraArgs) ?? {})) flags.set(`--${name}`, { value: String(value ?? ""), path });
  }
  return { kind: "kubeadm-config", object: cm, flags, addPath: path };
}

function fromNodeArgs(node: KubeObject): ApiServerFlagSource | undefined {
  const annotations = annotationsOf(node);
  const key = NODE_ARGS.find((k) => annotations[k] !== undefined);
  if (key === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotations[key]!);
  } catch {
    return undefined;
  }
  const args = asArray(parsed).filter((a): a is string => typeof a === "string");
  // Only servers run the API server (agents carry "agent" as their first argument).
  if (args[0] === "agent") return undefined;
  const path = joinPath("metadata.annotations", key);
  const flags = new Map<string, FlagValue>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let apiArg: string | undefined;
    if (arg === "--kube-apiserver-arg") apiArg = args[++i];
    else if (arg.startsWith("--kube-apiserver-arg=")) apiArg = arg.slice("--kube-apiserver-arg=".length);
    if (apiArg !== undefined) {
      addFlag(flags, apiArg.startsWith("--") ? apiArg : `--${apiArg}`, path);
      continue;
    }
    // Server options (--secrets-encryption, --profile cis, --pod-security-admission-config-file ...).
    if (arg.startsWith("--") && !arg.includes("=") && args[i + 1] !== undefined && !args[i + 1]!.startsWith("--")) addFlag(flags, `${arg}=${args[++i]}`, path);
    else addFlag(flags, arg, path);
  }
  return { kind: "node-args", object: node, flags, addPath: path };
}
