"use client";

import { Alert } from "@/components/ui/alert";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import type { InstallCommands } from "@/lib/clusters/install-commands";

/** A freshly issued agent token, shown once, with the commands that install the agent with it. */
export function TokenReveal({ token, install, serverUrl, heading, mode = "install" }: { token: string; install: InstallCommands; serverUrl: string; heading: string; mode?: "install" | "rotate" }) {
  return (
    <section aria-labelledby="token-heading" className="space-y-5">
      <h2 id="token-heading" className="text-lg font-semibold">
        {heading}
      </h2>
      <Alert tone="warning" title="Copy the token now: you will not see it again">
        Ramparts keeps only a hash of it. If it is lost, rotate the token on the cluster&apos;s settings page.
      </Alert>
      <div>
        <label htmlFor="agent-token" className="block text-sm font-medium text-slate-800">
          Agent token
        </label>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <input
            id="agent-token"
            readOnly
            value={token}
            spellCheck={false}
            autoComplete="off"
            onFocus={(e) => e.currentTarget.select()}
            className="block min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
          />
          <CopyButton text={token} label="Copy token" />
        </div>
      </div>
      {mode === "rotate" ? (
        <div className="space-y-1">
          <h3 className="font-medium">Put the new token in the agent&apos;s Secret</h3>
          <CodeBlock code={install.replaceToken} label="kubectl" copyLabel="Copy command" />
          <p className="text-sm text-slate-700">
            The agent uses it from its next run. The old token keeps working until you revoke it: revoke it once a snapshot arrived with the new one
            (its &quot;last used&quot; stops moving).
          </p>
        </div>
      ) : (
        <InstallSteps token={token} install={install} serverUrl={serverUrl} />
      )}
    </section>
  );
}

function InstallSteps({ token, install, serverUrl }: { token: string; install: InstallCommands; serverUrl: string }) {
  return (
    <>
      <div className="space-y-1">
        <h3 className="font-medium">1. Create the namespace and the token Secret</h3>
        <CodeBlock code={install.secret} label="kubectl" copyLabel="Copy commands" />
      </div>
      <div className="space-y-1">
        <h3 className="font-medium">2. Install the agent, with Helm…</h3>
        <CodeBlock code={install.helm} label="Helm" copyLabel="Copy Helm command" />
        <h3 className="pt-2 font-medium">…or with plain kubectl</h3>
        <CodeBlock code={install.kubectl} label="kubectl" copyLabel="Copy kubectl commands" />
      </div>
      <div className="space-y-1">
        <h3 className="font-medium">3. Run it once now (it then runs on its schedule)</h3>
        <CodeBlock code={install.runNow} label="kubectl" copyLabel="Copy commands" />
      </div>
      <details className="text-sm text-slate-700">
        <summary className="cursor-pointer font-medium text-slate-800">From a workstation instead (a one-off snapshot)</summary>
        <CodeBlock
          code={`printf '%s' '${token}' > ramparts-token\nramparts-agent run --kubeconfig ~/.kube/config --server ${serverUrl} --token-file ramparts-token`}
          label="shell"
          copyLabel="Copy commands"
        />
      </details>
    </>
  );
}
