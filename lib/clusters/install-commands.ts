/**
 * The commands that install the agent for one cluster, shown once with its new token: create the
 * namespace and the token Secret, then Helm (agents/chart) or plain kubectl (agents/deploy). Pure:
 * the UI renders them, and docs/agent.md describes the same steps.
 */
export interface InstallCommandsInput {
  /** The app's public base URL (what the agent pushes to). */
  appUrl: string;
  /** The plaintext token (only at registration or rotation). */
  token: string;
  /** Minutes between agent runs: becomes the chart's schedule. */
  scheduleMinutes: number;
  namespace?: string;
}

export interface InstallCommands {
  /** Creates the namespace (restricted Pod Security) and the Secret holding the token. */
  secret: string;
  helm: string;
  kubectl: string;
  /** Runs the agent once now and follows its log. */
  runNow: string;
  /** Rotation: replace the Secret's token in place (the next run uses it). */
  replaceToken: string;
}

/** Single-quotes a value for POSIX shells. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'"'"'`)}'`;
}

/** A cron expression for "every N minutes": minute steps below an hour, hour steps above. */
export function cronForMinutes(minutes: number): string {
  if (minutes < 60) return `*/${Math.max(1, minutes)} * * * *`;
  const hours = Math.max(1, Math.round(minutes / 60));
  if (hours >= 24) return "0 0 * * *";
  return `0 */${hours} * * *`;
}

export function agentInstallCommands(input: InstallCommandsInput): InstallCommands {
  const ns = input.namespace ?? "ramparts";
  const server = input.appUrl.replace(/\/+$/, "");
  const hours = input.scheduleMinutes / 60;
  const scheduleFlag = Number.isInteger(hours) && hours >= 1 && hours <= 24 ? `--set intervalHours=${hours}` : `--set schedule=${shellQuote(cronForMinutes(input.scheduleMinutes))}`;
  const secret = [
    `kubectl create namespace ${ns}`,
    `kubectl label namespace ${ns} pod-security.kubernetes.io/enforce=restricted`,
    `kubectl -n ${ns} create secret generic ramparts-agent-token --from-literal=token=${shellQuote(input.token)}`,
  ].join("\n");
  const helm = `helm install ramparts-agent ./agents/chart -n ${ns} --set server.url=${shellQuote(server)} ${scheduleFlag}`;
  const kubectl = [
    `kubectl apply -f agents/deploy/ramparts-agent.yaml`,
    `kubectl -n ${ns} set env cronjob/ramparts-agent RAMPARTS_SERVER_URL=${shellQuote(server)}`,
    `kubectl -n ${ns} patch cronjob ramparts-agent --type merge -p ${shellQuote(JSON.stringify({ spec: { schedule: cronForMinutes(input.scheduleMinutes) } }))}`,
  ].join("\n");
  const runNow = [`kubectl -n ${ns} create job --from=cronjob/ramparts-agent ramparts-agent-now`, `kubectl -n ${ns} logs -f job/ramparts-agent-now`].join("\n");
  const replaceToken = `kubectl -n ${ns} create secret generic ramparts-agent-token --from-literal=token=${shellQuote(input.token)} --dry-run=client -o yaml | kubectl apply -f -`;
  return { secret, helm, kubectl, runNow, replaceToken };
}
