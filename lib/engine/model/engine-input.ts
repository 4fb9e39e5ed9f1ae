/**
 * What the engine evaluates. Every input format (manifests, `kubectl get -o json`
 * output, agent snapshots) is normalized into this one shape.
 */
import type { CoverageEntry, KubeObject, ProviderName } from "@/lib/snapshot/schema";

export type { CoverageEntry, ProviderName };

/** Where an object came from, so reports (SARIF, the CLI) can point at file and line. */
export interface ObjectSource {
  /** File path as given to the reader, or "<stdin>". */
  file: string;
  /** 0-based index of the YAML document (or JSON value) inside the file. */
  documentIndex: number;
  /** Path from the document root to the object, e.g. ["items", 3] for a List item; [] for a plain document. */
  itemPath: (string | number)[];
  /** 1-based line of the object's first key, when known (always for YAML, not for JSON list items). */
  line?: number;
  column?: number;
}

export interface ClusterInfo {
  /** Display name; the CLI uses the target path. */
  name?: string;
  /** UID of the kube-system namespace, when known. */
  uid?: string;
  provider?: ProviderName;
  kubernetesVersion?: string;
  /** ISO time the objects were read from the cluster (snapshots). */
  collectedAt?: string;
}

/** A document that was skipped without failing the input (for example a Helm values.yaml in a scanned folder). */
export interface InputWarning {
  file?: string;
  line?: number;
  message: string;
}

export interface EngineInput {
  objects: KubeObject[];
  /**
   * What a live collection could list. Absent for manifests: the files are then
   * taken as the whole truth ("closed world"), see docs/checks.md.
   */
  coverage?: CoverageEntry[];
  cluster?: ClusterInfo;
  /** Parallel to `objects`: sources[i] locates objects[i]. Optional, and may be shorter. */
  sources?: (ObjectSource | undefined)[];
  warnings?: InputWarning[];
}
