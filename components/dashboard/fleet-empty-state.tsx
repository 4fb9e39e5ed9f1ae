import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** What a new organization sees: the three steps from nothing to a score. */
export function FleetEmptyState({ slug, canRegister }: { slug: string; canRegister: boolean }) {
  const steps = [
    { title: "Register a cluster", body: "Give it a name and an environment. You get an agent token, shown once." },
    { title: "Install the read-only agent", body: "Paste the Helm or kubectl commands we give you. The agent lists what it needs (never Secret values) and pushes a snapshot." },
    { title: "Read the score", body: "Within a minute of the first snapshot: the score, each defense layer, and every finding with the exact field to fix." },
  ];
  return (
    <Card className="space-y-5">
      <div>
        <h2 className="text-lg font-semibold">No clusters yet</h2>
        <p className="mt-1 max-w-2xl text-sm text-slate-700">Three steps to your first score:</p>
      </div>
      <ol className="grid gap-4 md:grid-cols-3">
        {steps.map((step, i) => (
          <li key={step.title} className="rounded-md border border-slate-200 p-4">
            <span className="inline-flex h-7 w-7 items-center justify-center rounded-full bg-blue-700 text-sm font-semibold text-white" aria-hidden="true">
              {i + 1}
            </span>
            <h3 className="mt-2 font-medium">{step.title}</h3>
            <p className="mt-1 text-sm text-slate-700">{step.body}</p>
          </li>
        ))}
      </ol>
      {canRegister ? (
        <ButtonLink href={`/o/${slug}/clusters/new`}>Register your first cluster</ButtonLink>
      ) : (
        <p className="text-sm text-slate-700">Ask an admin or owner of this organization to register the first cluster.</p>
      )}
      <details className="text-sm text-slate-700">
        <summary className="cursor-pointer font-medium text-slate-800">No cluster at hand? Try it on manifests</summary>
        <p className="mt-2">
          The agent builds a snapshot from <code>kubectl get -o json</code> output or YAML manifests, so you can score a staging export or the examples
          shipped with Ramparts: <code>ramparts-agent collect --from-file ./manifests --output snapshot.json</code>, then{" "}
          <code>ramparts-agent push snapshot.json --server … --token-file token</code> with the token of a registered cluster.
        </p>
      </details>
    </Card>
  );
}
