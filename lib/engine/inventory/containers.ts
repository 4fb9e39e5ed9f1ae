/** Containers of a workload (containers, initContainers, ephemeralContainers), each with its exact field path. */
import { asArray, asString, isRecord, joinPath, type UnknownRecord } from "@/lib/engine/model/kube";
import type { Workload } from "@/lib/engine/inventory/workloads";

export type ContainerType = "container" | "initContainer" | "ephemeralContainer";

const LISTS: readonly [ContainerType, string][] = [
  ["container", "containers"],
  ["initContainer", "initContainers"],
  ["ephemeralContainer", "ephemeralContainers"],
];

export class ContainerRef {
  /** Cache for effectiveSecurityContext(): computed once, read by many checks. */
  securityContextCache: unknown = undefined;
  /** The container's name (`#<index>` when it has none). Read once: every check asks. */
  readonly name: string;
  readonly image: string | undefined;

  constructor(
    readonly workload: Workload,
    readonly container: UnknownRecord,
    readonly type: ContainerType,
    readonly index: number,
    /** e.g. "spec.template.spec.containers[1]" */
    readonly path: string,
  ) {
    this.name = asString(container.name) ?? `#${index}`;
    this.image = asString(container.image);
  }

  /** Full path of a field of this container: `c.at("securityContext.privileged")`. */
  at(field: string): string {
    return field === "" ? this.path : `${this.path}.${field}`;
  }

  /** Init containers declared with restartPolicy: Always run for the pod's whole life (native sidecars). */
  get isSidecar(): boolean {
    return this.type === "initContainer" && this.container.restartPolicy === "Always";
  }
}

export function containersOf(workload: Workload): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const [type, field] of LISTS) {
    const list = asArray(workload.podSpec[field]);
    const base = joinPath(workload.podSpecPath, field);
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (isRecord(c)) out.push(new ContainerRef(workload, c, type, i, `${base}[${i}]`));
    }
  }
  return out;
}
