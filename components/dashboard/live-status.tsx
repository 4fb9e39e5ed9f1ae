"use client";

import { useEffect } from "react";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

interface StatusAnswer {
  status: { version: string; pending: { snapshotId: string; status: string } | null };
}

const PENDING_TEXT: Record<string, string> = {
  RECEIVING: "A new snapshot is arriving…",
  QUEUED: "A new snapshot is queued for evaluation…",
  EVALUATING: "A new snapshot is being evaluated…",
};

/**
 * Polls the cluster's status (fast while a snapshot is on its way or an exception was just
 * changed, slowly otherwise) and re-renders the page when the current snapshot or its evaluation
 * changed. `awaitingReevaluation`: an exception was just added and the snapshot on screen was
 * evaluated before it (the server decides, from the evaluation time).
 */
export function LiveStatus({ slug, clusterId, version, waiting, awaitingReevaluation }: { slug: string; clusterId: string; version: string; waiting: boolean; awaitingReevaluation: boolean }) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ["cluster-status", slug, clusterId],
    queryFn: async ({ signal }) => {
      const response = await fetch(`/o/${encodeURIComponent(slug)}/clusters/${encodeURIComponent(clusterId)}/status`, { signal, cache: "no-store" });
      if (!response.ok) throw new Error(`status ${response.status}`);
      return ((await response.json()) as StatusAnswer).status;
    },
    refetchInterval: (query) => (query.state.data?.pending || waiting || awaitingReevaluation ? 2000 : 20000),
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
  useEffect(() => {
    if (data && data.version !== version) router.refresh();
  }, [data, version, router]);

  const text = data?.pending ? (PENDING_TEXT[data.pending.status] ?? "A new snapshot is on its way…") : awaitingReevaluation ? "Applying the exception: the cluster is being evaluated again…" : null;
  if (!text) return null;
  return (
    <p role="status" className="flex items-center gap-2 rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-900">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-4 w-4 animate-spin" fill="none">
        <circle cx="12" cy="12" r="9" strokeWidth="3" className="stroke-blue-200" />
        <path d="M21 12a9 9 0 0 0-9-9" strokeWidth="3" strokeLinecap="round" className="stroke-blue-700" />
      </svg>
      {text} This page updates by itself.
    </p>
  );
}
