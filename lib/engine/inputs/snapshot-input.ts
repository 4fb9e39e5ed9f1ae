/**
 * Agent snapshots (lib/snapshot/schema.ts) as engine input. A snapshot carries the
 * objects in Kubernetes shape, plus what the agent could and could not list.
 */
import { snapshotV1Schema, type SnapshotV1, isClosedWorld } from "@/lib/snapshot/schema";
import { isRecord } from "@/lib/engine/model/kube";
import type { EngineInput } from "@/lib/engine/model/engine-input";
import { InputError } from "@/lib/engine/inputs/input-error";

/** True when a parsed JSON value has the envelope of an agent snapshot (any schema version). */
export function looksLikeSnapshot(value: unknown): boolean {
  return isRecord(value) && typeof value.schemaVersion === "string" && Array.isArray(value.objects) && isRecord(value.cluster);
}

/** Validates a snapshot; the error names the first invalid field. */
export function parseSnapshot(value: unknown, source: string): SnapshotV1 {
  const result = snapshotV1Schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? formatIssuePath(issue.path) : "";
    throw new InputError(source, `invalid snapshot${path ? ` at ${path}` : ""}: ${issue?.message ?? "does not match the snapshot schema"}`);
  }
  return result.data;
}

/**
 * A live snapshot keeps its coverage (what could not be listed is unknown, never clean); a snapshot
 * built from files is a closed world, evaluated exactly like scanning those files.
 */
export function snapshotToEngineInput(snapshot: SnapshotV1): EngineInput {
  return {
    objects: snapshot.objects,
    ...(isClosedWorld(snapshot) ? {} : { coverage: snapshot.coverage }),
    cluster: {
      uid: snapshot.cluster.uid,
      provider: snapshot.cluster.provider.name,
      kubernetesVersion: snapshot.cluster.kubernetesVersion,
      collectedAt: snapshot.collectedAt,
    },
  };
}

function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}
