/**
 * The security context a container really runs with. Kubernetes lets the container
 * override a handful of pod-level fields (runAsUser, runAsGroup, runAsNonRoot,
 * seLinuxOptions, seccompProfile, appArmorProfile, windowsOptions); the others exist
 * only on the container (privileged, allowPrivilegeEscalation, capabilities,
 * readOnlyRootFilesystem, procMount). Every value comes with the path that set it,
 * or, when nothing set it, the path where the fix belongs.
 */
import { asArray, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import type { ContainerRef } from "@/lib/engine/inventory/containers";

export type SetAt = "container" | "pod" | "unset";

export interface EffectiveField<T> {
  /** undefined when neither level sets the field (or it has the wrong type). */
  value: T | undefined;
  /** Where the value comes from; when unset, where to set it (pod level for inheritable fields). */
  path: string;
  setAt: SetAt;
}

export interface EffectiveSecurityContext {
  runAsNonRoot: EffectiveField<boolean>;
  runAsUser: EffectiveField<number>;
  runAsGroup: EffectiveField<number>;
  /** seccompProfile.type: RuntimeDefault, Localhost, Unconfined. */
  seccompProfileType: EffectiveField<string>;
  /** appArmorProfile.type: RuntimeDefault, Localhost, Unconfined. */
  appArmorProfileType: EffectiveField<string>;
  seLinuxType: EffectiveField<string>;
  privileged: EffectiveField<boolean>;
  allowPrivilegeEscalation: EffectiveField<boolean>;
  readOnlyRootFilesystem: EffectiveField<boolean>;
  procMount: EffectiveField<string>;
  capabilitiesAdd: { value: string[]; path: string };
  capabilitiesDrop: { value: string[]; path: string };
}

type Read<T> = (v: unknown) => T | undefined;
const bool: Read<boolean> = (v) => (typeof v === "boolean" ? v : undefined);
const int: Read<number> = (v) => (typeof v === "number" && Number.isInteger(v) ? v : undefined);
const str: Read<string> = (v) => asString(v);

function inherited<T>(
  podCtx: UnknownRecord | undefined,
  ctrCtx: UnknownRecord | undefined,
  podPath: string,
  ctrPath: string,
  field: string[],
  read: Read<T>,
): EffectiveField<T> {
  const c = read(dig(ctrCtx, field));
  if (c !== undefined) return { value: c, path: `${ctrPath}.${field.join(".")}`, setAt: "container" };
  const p = read(dig(podCtx, field));
  if (p !== undefined) return { value: p, path: `${podPath}.${field.join(".")}`, setAt: "pod" };
  return { value: undefined, path: `${podPath}.${field.join(".")}`, setAt: "unset" };
}

function containerOnly<T>(ctrCtx: UnknownRecord | undefined, ctrPath: string, field: string, read: Read<T>): EffectiveField<T> {
  const c = read(ctrCtx?.[field]);
  return { value: c, path: `${ctrPath}.${field}`, setAt: c === undefined ? "unset" : "container" };
}

function dig(root: UnknownRecord | undefined, field: string[]): unknown {
  let cur: unknown = root;
  for (const f of field) cur = asRecord(cur)?.[f];
  return cur;
}

/** The container's effective security context (computed once per container, then cached). */
export function effectiveSecurityContext(c: ContainerRef): EffectiveSecurityContext {
  if (c.securityContextCache === undefined) c.securityContextCache = Object.freeze(compute(c));
  return c.securityContextCache as EffectiveSecurityContext;
}

function compute(c: ContainerRef): EffectiveSecurityContext {
  const w = c.workload;
  const podCtx = asRecord(w.podSpec.securityContext);
  const ctrCtx = asRecord(c.container.securityContext);
  const podPath = `${w.podSpecPath}.securityContext`;
  const ctrPath = c.at("securityContext");
  const caps = asRecord(ctrCtx?.capabilities);
  const list = (v: unknown) => asArray(v).filter((x): x is string => typeof x === "string");
  return {
    runAsNonRoot: inherited(podCtx, ctrCtx, podPath, ctrPath, ["runAsNonRoot"], bool),
    runAsUser: inherited(podCtx, ctrCtx, podPath, ctrPath, ["runAsUser"], int),
    runAsGroup: inherited(podCtx, ctrCtx, podPath, ctrPath, ["runAsGroup"], int),
    seccompProfileType: inherited(podCtx, ctrCtx, podPath, ctrPath, ["seccompProfile", "type"], str),
    appArmorProfileType: inherited(podCtx, ctrCtx, podPath, ctrPath, ["appArmorProfile", "type"], str),
    seLinuxType: inherited(podCtx, ctrCtx, podPath, ctrPath, ["seLinuxOptions", "type"], str),
    privileged: containerOnly(ctrCtx, ctrPath, "privileged", bool),
    allowPrivilegeEscalation: containerOnly(ctrCtx, ctrPath, "allowPrivilegeEscalation", bool),
    readOnlyRootFilesystem: containerOnly(ctrCtx, ctrPath, "readOnlyRootFilesystem", bool),
    procMount: containerOnly(ctrCtx, ctrPath, "procMount", str),
    capabilitiesAdd: { value: list(caps?.add), path: `${ctrPath}.capabilities.add` },
    capabilitiesDrop: { value: list(caps?.drop), path: `${ctrPath}.capabilities.drop` },
  };
}
