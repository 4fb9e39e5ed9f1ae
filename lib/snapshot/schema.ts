/**
 * Snapshot v1: what the in-cluster agent sends and what the engine can read.
 * Shared by the agent (agents/), the ingest API and the engine's snapshot input.
 * Objects keep the shape of Kubernetes objects (after redaction), so the engine
 * evaluates a snapshot exactly like `kubectl get -o json` output or manifests.
 */
import { z } from "zod";

/** Major.minor. The server accepts every minor of a supported major. */
export const SNAPSHOT_SCHEMA_VERSION = "1.0";
export const SUPPORTED_SCHEMA_MAJORS = [1] as const;

export const coverageStatusSchema = z.enum(["ok", "forbidden", "absent", "error"]);
export type CoverageStatus = z.infer<typeof coverageStatusSchema>;

/** What the agent tried to list and how it went: the engine never reads a missing list as "clean". */
export const coverageEntrySchema = z.object({
  group: z.string().max(253), // "" for the core group
  version: z.string().min(1).max(63),
  resource: z.string().min(1).max(253), // plural, e.g. "networkpolicies"
  kind: z.string().max(253).optional(),
  /** Set for a get by name (named ConfigMaps): the agent may read only these objects. */
  namespace: z.string().max(253).optional(),
  name: z.string().max(253).optional(),
  status: coverageStatusSchema,
  /** Objects of this resource carried in `objects`. */
  count: z.number().int().nonnegative().optional(),
  /** Objects left out because, even redacted, they exceeded the per-object size limit. */
  skipped: z.number().int().nonnegative().optional(),
  /** resourceVersion of the (last) list, for support and diffing. */
  resourceVersion: z.string().max(64).optional(),
  message: z.string().max(1000).optional(),
});
export type CoverageEntry = z.infer<typeof coverageEntrySchema>;

const stringMap = z.record(z.string(), z.string());

export const ownerReferenceSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    name: z.string(),
    uid: z.string().optional(),
    controller: z.boolean().optional(),
  })
  .passthrough();

export const objectMetaSchema = z
  .object({
    name: z.string().min(1).max(253),
    namespace: z.string().max(253).optional(),
    uid: z.string().max(64).optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
    ownerReferences: z.array(ownerReferenceSchema).optional(),
    creationTimestamp: z.string().optional(),
  })
  .passthrough();

export const kubeObjectSchema = z
  .object({
    apiVersion: z.string().min(1).max(316),
    kind: z.string().min(1).max(253),
    metadata: objectMetaSchema,
  })
  .passthrough();
export type KubeObject = z.infer<typeof kubeObjectSchema>;

export const providerNameSchema = z.enum(["eks", "gke", "aks", "openshift", "k3s", "rke2", "self-managed", "unknown"]);
export type ProviderName = z.infer<typeof providerNameSchema>;

export const providerGuessSchema = z.object({
  name: providerNameSchema,
  evidence: z.array(z.string().max(500)).max(20),
});
export type ProviderGuess = z.infer<typeof providerGuessSchema>;

export const clusterIdentitySchema = z.object({
  /** UID of the kube-system namespace: stable for the life of the cluster. */
  uid: z.string().min(1).max(64),
  kubernetesVersion: z.string().max(64),
  provider: providerGuessSchema,
});

/** "cluster": read from a live API server; "file": built offline from `kubectl get -o json` output or manifests. */
export const collectionModeSchema = z.enum(["cluster", "file"]);
export type CollectionMode = z.infer<typeof collectionModeSchema>;

export const agentInfoSchema = z.object({
  version: z.string().min(1).max(64),
  chartVersion: z.string().max(64).optional(),
  mode: collectionModeSchema.optional(),
});

/** Everything but `objects`: what the agent sends in the completion call of the upload protocol. */
export const snapshotHeaderSchema = z.object({
  schemaVersion: z.string().regex(/^1\.\d+$/, "schemaVersion must be 1.x"),
  agent: agentInfoSchema,
  cluster: clusterIdentitySchema,
  collectedAt: z.string().datetime({ offset: true }),
  coverage: z.array(coverageEntrySchema).max(5000),
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

export const snapshotV1Schema = z.object({
  schemaVersion: z.string().regex(/^1\.\d+$/, "schemaVersion must be 1.x"),
  agent: agentInfoSchema,
  cluster: clusterIdentitySchema,
  collectedAt: z.string().datetime({ offset: true }),
  coverage: z.array(coverageEntrySchema),
  objects: z.array(kubeObjectSchema),
});
export type SnapshotV1 = z.infer<typeof snapshotV1Schema>;

/**
 * A snapshot built offline from files (`collect --from-file`) is a closed world, like a manifest
 * scan: what is not in the files does not exist. Consumers evaluate it without coverage, so it
 * gives the same findings as scanning the files directly; live snapshots keep their coverage.
 */
export function isClosedWorld(snapshot: Pick<SnapshotV1, "agent">): boolean {
  return snapshot.agent.mode === "file";
}
