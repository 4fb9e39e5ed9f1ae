"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { relativeTime, utcTimestamp } from "@/lib/dashboard/format";
import type { ActionResult } from "@/lib/http/server-action";
import type { IssuedTokenView } from "@/app/o/[slug]/clusters/new/actions";
import { TokenReveal } from "./token-reveal";

export interface TokenRow {
  id: string;
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface Props {
  slug: string;
  clusterId: string;
  tokens: TokenRow[];
  canManage: boolean;
  rotate: (slug: string, clusterId: string) => Promise<ActionResult<IssuedTokenView>>;
  revoke: (slug: string, clusterId: string, tokenId: string) => Promise<ActionResult<{ prefix: string }>>;
}

/** The cluster's agent tokens: rotation (the new token is shown once; the old stays valid until revoked) and revocation. */
export function AgentTokens({ slug, clusterId, tokens, canManage, rotate, revoke }: Props) {
  const router = useRouter();
  const [issued, setIssued] = useState<IssuedTokenView | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const active = tokens.filter((t) => !t.revokedAt);

  async function onRotate() {
    setBusy(true);
    setMessage(null);
    const result = await rotate(slug, clusterId);
    setBusy(false);
    if (!result.ok) return setMessage({ tone: "error", text: result.error.message });
    setIssued(result.data);
    router.refresh();
  }

  async function onRevoke(tokenId: string) {
    setBusy(true);
    setMessage(null);
    const result = await revoke(slug, clusterId, tokenId);
    setBusy(false);
    setConfirming(null);
    if (!result.ok) return setMessage({ tone: "error", text: result.error.message });
    setMessage({ tone: "success", text: `Token ${result.data.prefix}… revoked: an agent using it is refused from its next request.` });
    router.refresh();
  }

  const now = new Date();
  return (
    <Card className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold">Agent tokens</h2>
          <p className="text-sm text-slate-700">Only a hash of each token is stored; the prefix tells them apart.</p>
        </div>
        {canManage && (
          <Button type="button" variant="secondary" onClick={onRotate} disabled={busy}>
            Rotate: issue a new token
          </Button>
        )}
      </div>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      {active.length === 0 && <Alert tone="warning">No active token: the agent cannot push until you issue a new one.</Alert>}
      {issued && <TokenReveal token={issued.token} install={issued.install} serverUrl={issued.serverUrl} heading={`New token ${issued.prefix}…`} mode="rotate" />}
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Tokens">
        {tokens.map((t) => (
          <li key={t.id} className="flex flex-wrap items-center justify-between gap-3 p-3 text-sm">
            <div className="space-y-0.5">
              <p className="flex items-center gap-2">
                <code className="font-mono">{t.prefix}…</code>
                {t.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="success">Active</Badge>}
              </p>
              <p className="text-xs text-slate-700">
                Created <time title={utcTimestamp(t.createdAt)}>{relativeTime(t.createdAt, now)}</time>
                {t.createdBy ? ` by ${t.createdBy}` : ""} · last used{" "}
                <time title={utcTimestamp(t.lastUsedAt)}>{relativeTime(t.lastUsedAt, now)}</time>
                {t.revokedAt && (
                  <>
                    {" "}
                    · revoked <time title={utcTimestamp(t.revokedAt)}>{relativeTime(t.revokedAt, now)}</time>
                  </>
                )}
              </p>
            </div>
            {canManage &&
              !t.revokedAt &&
              (confirming === t.id ? (
                <div className="flex items-center gap-2" role="group" aria-label={`Confirm revoking ${t.prefix}`}>
                  <span className="text-xs text-slate-700">Agents using it stop working.</span>
                  <Button type="button" variant="danger" onClick={() => onRevoke(t.id)} disabled={busy}>
                    Revoke {t.prefix}…
                  </Button>
                  <Button type="button" variant="ghost" onClick={() => setConfirming(null)}>
                    Cancel
                  </Button>
                </div>
              ) : (
                <Button type="button" variant="secondary" onClick={() => setConfirming(t.id)} aria-label={`Revoke token ${t.prefix}`}>
                  Revoke
                </Button>
              ))}
          </li>
        ))}
      </ul>
    </Card>
  );
}
