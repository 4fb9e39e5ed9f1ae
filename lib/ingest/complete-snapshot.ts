/**
 * Completes a snapshot: every chunk 0..n-1 must be stored with the sha256 the completion lists;
 * then the header is stored, the snapshot is queued and its evaluation job added, in one
 * transaction. A replayed completion (same bytes) is answered as accepted again; another body
 * for a completed snapshot is a conflict. A live snapshot from a cluster other than the one
 * the token was registered for (kube-system UID differs) is refused and audited.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import type { Prisma } from "@/lib/db/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { inTenantTransaction } from "@/lib/tenancy/tenant-db";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { snapshotCompletionSchema, type SnapshotCompletion } from "@/lib/snapshot/protocol";
import { enqueueJob } from "@/lib/jobs/enqueue-job";
import type { AgentIdentity } from "./authenticate-agent";
import { decodeIngestBody, validateIngestBody } from "./parse-ingest-body";
import { createSnapshotIfAbsent, lockSnapshot } from "./snapshot-lock";
import { EVALUATION_MAX_ATTEMPTS } from "./ingest-limits";
import { bindableClusterUid } from "./cluster-identity";

export interface CompletionUpload {
  snapshotId: string;
  raw: Buffer;
  contentEncoding: string | null;
  sha256: string;
  chartVersion: string | null;
}

export interface CompletionReceipt {
  snapshotId: string;
  status: "accepted";
  duplicate: boolean;
}

type Outcome = { kind: "accepted"; duplicate: boolean } | { kind: "refused"; message: string };

export function evaluationJobKey(snapshotId: string): string {
  return `evaluate-snapshot:${snapshotId}`;
}

export async function completeSnapshot(options: { prisma: PrismaClient; agent: AgentIdentity; upload: CompletionUpload; now?: Date }): Promise<CompletionReceipt> {
  const { prisma, agent, upload } = options;
  const now = options.now ?? new Date();
  const completion = validateIngestBody(snapshotCompletionSchema, decodeIngestBody(upload.raw, upload.contentEncoding).value, ["header", "schemaVersion"]);
  if (completion.snapshotId !== upload.snapshotId) throw new AppError("validation_failed", "snapshotId: differs from the snapshot id in the URL", { field: "snapshotId" });

  const outcome = await inTenantTransaction(prisma, { orgId: agent.orgId, userId: null }, async (tx): Promise<Outcome> => {
    await createSnapshotIfAbsent(tx, {
      id: upload.snapshotId,
      orgId: agent.orgId,
      clusterId: agent.clusterId,
      schemaVersion: completion.header.schemaVersion,
      agentVersion: completion.header.agent.version,
      chartVersion: upload.chartVersion,
      now,
    });
    const snapshot = await lockSnapshot(tx, upload.snapshotId);
    if (!snapshot || snapshot.clusterId !== agent.clusterId) {
      throw new AppError("forbidden", "This snapshot id already belongs to another cluster; the agent must use a new id", { reason: "snapshot_of_another_cluster" });
    }
    if (snapshot.status !== "RECEIVING") {
      if (snapshot.completionSha256 === upload.sha256) return { kind: "accepted", duplicate: true };
      if (snapshot.status === "FAILED" && snapshot.completionSha256 === null) return { kind: "refused", message: snapshot.error ?? "This snapshot was refused" };
      throw new AppError("conflict", "This snapshot was already completed with another body", { reason: "already_completed" });
    }

    const stored = await tx.snapshotChunk.findMany({ where: { snapshotId: upload.snapshotId }, select: { index: true, sha256: true, objectCount: true }, orderBy: { index: "asc" } });
    const byIndex = new Map(stored.map((c) => [c.index, c]));
    const missing = completion.chunks.filter((c) => byIndex.get(c.index)?.sha256 !== c.sha256).map((c) => c.index);
    const unexpected = stored.filter((c) => c.index >= completion.chunkCount).map((c) => c.index);
    if (missing.length > 0 || unexpected.length > 0) {
      const parts = [
        missing.length > 0 ? `chunks missing or different: ${summarize(missing)}` : "",
        unexpected.length > 0 ? `chunks stored beyond chunkCount: ${summarize(unexpected)}` : "",
      ].filter(Boolean);
      throw new AppError("conflict", `Cannot complete the snapshot: ${parts.join("; ")}`, { reason: "chunks_missing", missing: missing.slice(0, 200), unexpected: unexpected.slice(0, 200) });
    }

    const refusal = await clusterIdentityRefusal(tx, agent, completion);
    if (refusal) {
      await tx.snapshot.update({ where: { id: upload.snapshotId }, data: { status: "FAILED", error: refusal, completedAt: now, header: completion.header as Prisma.InputJsonObject } });
      await recordAuditEvent(tx, {
        orgId: agent.orgId,
        actor: { type: "agent", tokenId: agent.tokenId },
        action: "snapshot.refused",
        target: { type: "cluster", id: agent.clusterId },
        metadata: { snapshotId: upload.snapshotId, reason: "cluster_uid_mismatch", clusterUid: completion.header.cluster.uid },
      });
      return { kind: "refused", message: refusal };
    }

    await tx.snapshot.update({
      where: { id: upload.snapshotId },
      data: {
        status: "QUEUED",
        header: completion.header as Prisma.InputJsonObject,
        schemaVersion: completion.header.schemaVersion,
        agentVersion: completion.header.agent.version,
        chartVersion: completion.header.agent.chartVersion ?? upload.chartVersion,
        collectedAt: new Date(completion.header.collectedAt),
        completedAt: now,
        chunkCount: completion.chunkCount,
        objectCount: stored.reduce((sum, c) => sum + c.objectCount, 0),
        completionSha256: upload.sha256,
      },
    });
    // The agent reached us: "last seen" moves even if evaluation later fails.
    await tx.$executeRaw`UPDATE "Cluster" SET "lastSeenAt" = GREATEST(coalesce("lastSeenAt", ${now}), ${now}) WHERE id = ${agent.clusterId}`;
    await enqueueJob(tx, "evaluate-snapshot", { orgId: agent.orgId, snapshotId: upload.snapshotId }, { jobKey: evaluationJobKey(upload.snapshotId), maxAttempts: EVALUATION_MAX_ATTEMPTS });
    return { kind: "accepted", duplicate: false };
  });

  if (outcome.kind === "refused") throw new AppError("forbidden", outcome.message, { reason: "cluster_uid_mismatch" });
  return { snapshotId: upload.snapshotId, status: "accepted", duplicate: outcome.duplicate };
}

/**
 * Binds the cluster to the snapshot's kube-system UID on its first live snapshot (atomically:
 * of two racing first snapshots from different clusters, one binds and the other is refused),
 * and returns why the snapshot must be refused when the cluster is bound to another UID.
 */
async function clusterIdentityRefusal(tx: Prisma.TransactionClient, agent: AgentIdentity, completion: SnapshotCompletion): Promise<string | null> {
  const uid = bindableClusterUid(completion.header);
  if (!uid) return null;
  await tx.cluster.updateMany({ where: { id: agent.clusterId, clusterUid: null }, data: { clusterUid: uid } });
  const cluster = await tx.cluster.findUnique({ where: { id: agent.clusterId }, select: { name: true, clusterUid: true } });
  if (!cluster || cluster.clusterUid === uid) return null;
  return `This token belongs to cluster "${cluster.name}", registered with kube-system UID ${cluster.clusterUid}, but the snapshot comes from a cluster with UID ${uid.slice(0, 64)}. Register the other cluster and give it its own token.`;
}

function summarize(indexes: number[]): string {
  return indexes.length > 20 ? `${indexes.slice(0, 20).join(", ")} and ${indexes.length - 20} more` : indexes.join(", ");
}
