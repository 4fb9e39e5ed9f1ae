"use client";

import { ErrorState } from "@/components/dashboard/error-state";

export default function ClusterError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState error={error} reset={reset} title="This cluster could not be loaded" />;
}
