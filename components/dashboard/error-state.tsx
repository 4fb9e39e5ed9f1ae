"use client";

import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** What an error boundary shows: no details (they are logged on the server), a reference, and a retry. */
export function ErrorState({ error, reset, title = "This page could not be loaded" }: { error: Error & { digest?: string }; reset: () => void; title?: string }) {
  return (
    <Card role="alert">
      <h1 className="text-xl font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-slate-700">Something went wrong on our side. Try again; if it keeps failing, tell us the reference below.</p>
      {error.digest && <p className="mt-2 font-mono text-xs text-slate-600">Reference: {error.digest}</p>}
      <Button type="button" className="mt-4" onClick={reset}>
        Try again
      </Button>
    </Card>
  );
}
