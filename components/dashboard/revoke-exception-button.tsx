"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/http/server-action";

export function RevokeExceptionButton({ slug, exceptionId, label, action }: { slug: string; exceptionId: string; label: string; action: (slug: string, exceptionId: string) => Promise<ActionResult<{ id: string }>> }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!confirming) {
    return (
      <Button type="button" variant="secondary" onClick={() => setConfirming(true)} aria-label={`Revoke the exception for ${label}`}>
        Revoke
      </Button>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2 md:justify-end" role="group" aria-label="Confirm revoking">
      <Button
        type="button"
        variant="danger"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const result = await action(slug, exceptionId);
          setPending(false);
          if (!result.ok) return setError(result.error.message);
          setConfirming(false);
          router.refresh();
        }}
      >
        Confirm revoke
      </Button>
      <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      {error && (
        <p role="alert" className="w-full text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
