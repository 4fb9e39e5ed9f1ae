import { defineWorkloadCheck, notApplicable, pass, unknown, verdict } from "@/lib/engine/checks/define";
import { parseImageReference } from "@/lib/engine/checks/helpers/image-reference";
import { describeBinding } from "@/lib/engine/checks/helpers/rbac-grants";
import { hasProjectedToken, serviceAccountNameOf, serviceAccountPathOf, tokenMountOf } from "@/lib/engine/checks/helpers/service-account-token";
import type { ContainerRef } from "@/lib/engine/inventory/containers";
import { ruleGrants, type BindingInfo } from "@/lib/engine/inventory/rbac";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";
import type { Workload } from "@/lib/engine/inventory/workloads";
import { asArray, asRecord, asString, joinPath } from "@/lib/engine/model/kube";
import type { CheckContext, Violation } from "@/lib/engine/model/check";

const RBAC = "rbac.authorization.k8s.io";

/** Pod labels (and annotations) that only the runner controllers put on the pods that run jobs. */
const RUNNER_LABELS: readonly [string, string][] = [
  ["actions-ephemeral-runner", "GitHub Actions runner"], // actions-runner-controller, runner scale sets
  ["actions-runner-controller/inject-registration-token", "GitHub Actions runner"], // actions-runner-controller, legacy mode
  ["manager.runner.gitlab.com/name", "GitLab Runner job pod"],
  ["job.runner.gitlab.com/pod", "GitLab Runner job pod"],
  ["kubernetes.jenkins.io/controller", "Jenkins agent"], // Jenkins Kubernetes plugin
  ["jenkins/label", "Jenkins agent"],
];
const RUNNER_ANNOTATIONS: readonly [string, string][] = [["job.runner.gitlab.com/id", "GitLab Runner job pod"]];

/** Runner images by their last path components, so mirrors (registry.example.com/mirror/gitlab/gitlab-runner) match too. Controllers and operators are not runners. */
const RUNNER_IMAGES = new Map<string, string>([
  ["actions-runner", "GitHub Actions runner"],
  ["actions-runner-dind", "GitHub Actions runner"],
  ["actions-runner-dind-rootless", "GitHub Actions runner"],
  ["gitlab-runner", "GitLab Runner"],
  ["gitlab-runner-helper", "GitLab Runner job pod"],
  ["gitlab-runner-ocp", "GitLab Runner"],
  ["gitlab-runner-helper-ocp", "GitLab Runner job pod"],
]);
const JENKINS_OWNERS = new Set(["jenkins", "jenkinsci"]);
const JENKINS_AGENTS = new Set(["inbound-agent", "agent", "jnlp-slave", "slave", "ssh-agent"]);

function runnerImage(image: string | undefined): string | undefined {
  const ref = image ? parseImageReference(image) : undefined;
  if (!ref) return undefined;
  const parts = ref.repository.split("/");
  const last = parts[parts.length - 1]!;
  const known = RUNNER_IMAGES.get(last);
  if (known) return known;
  if (parts.length >= 2 && JENKINS_OWNERS.has(parts[parts.length - 2]!) && JENKINS_AGENTS.has(last)) return "Jenkins agent";
  return undefined;
}

/** What kind of CI runner the workload is, if it is one. */
function runnerOf(w: Workload, containers: readonly ContainerRef[]): string | undefined {
  for (const [key, what] of RUNNER_LABELS) if (w.podLabels[key] !== undefined) return what;
  for (const [key, what] of RUNNER_ANNOTATIONS) if (w.podAnnotations[key] !== undefined) return what;
  for (const c of containers) {
    const what = runnerImage(c.image);
    if (what) return what;
  }
  return undefined;
}

/** docker:dind, docker:27-dind, docker:dind-rootless, and the runner images that embed dockerd. */
function isDockerInDocker(image: string | undefined): boolean {
  const ref = image ? parseImageReference(image) : undefined;
  if (!ref) return false;
  if (ref.repository === "library/docker" || ref.repository.endsWith("/docker")) return (ref.tag ?? "").includes("dind");
  return /(^|\/)actions-runner-dind(-rootless)?$/.test(ref.repository);
}

/** The runtime sockets, and the host directories that hold them (a mount of /run exposes /run/containerd/containerd.sock). */
const SOCKET_FILE = /(^|\/)(docker|containerd|crio|cri-dockerd|podman)\.sock$/;
const SOCKET_DIR = /^\/(?:(?:var\/)?run(?:\/(?:docker|containerd|crio|podman|k3s|k3s\/containerd))?)?$/;

function socketExposure(hostPath: string): string | undefined {
  const p = hostPath.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
  if (SOCKET_FILE.test(p)) return "the container runtime socket";
  if (p === "/") return "the node's whole filesystem, runtime socket included";
  if (SOCKET_DIR.test(p)) return "the directory that holds the container runtime socket";
  return undefined;
}

const isClusterAdminRole = (b: BindingInfo) => b.roleRef.name === "cluster-admin" || (b.role?.rules.some((r) => ruleGrants(r, { verb: "*", resource: "*", apiGroup: "*" })) ?? false);

/**
 * The ClusterRoleBinding that makes the workload's ServiceAccount cluster-admin (cluster-admin
 * itself, or a ClusterRole with every verb on every resource), through the account, its user
 * name or the service-account groups. "unknown" when a candidate role could not be read.
 */
function clusterAdminBinding(w: Workload, ctx: CheckContext): BindingInfo | "unknown" | undefined {
  const rbac = ctx.inventory.rbac;
  const sa = serviceAccountNameOf(w);
  const subjects = [
    { kind: "ServiceAccount", name: sa, namespace: w.namespace },
    { kind: "User", name: `system:serviceaccount:${w.namespace}:${sa}` },
    { kind: "Group", name: "system:serviceaccounts" },
    { kind: "Group", name: `system:serviceaccounts:${w.namespace}` },
  ];
  let unseenRole = false;
  for (const subject of subjects) {
    for (const b of rbac.bindingsOf(subject)) {
      if (b.kind !== "ClusterRoleBinding" || b.roleRef.kind !== "ClusterRole") continue;
      if (isClusterAdminRole(b)) return b;
      if (!b.role && !ctx.canSee(RBAC, "clusterroles")) unseenRole = true;
    }
  }
  return unseenRole ? "unknown" : undefined;
}

export const ciRunnerIsolation = defineWorkloadCheck({
  id: "ci-runner-isolation",
  title: "CI runners in the cluster cannot take over their node or the cluster",
  layer: 6,
  severity: "high",
  scope: "workload",
  why: "A self-hosted CI runner executes whatever the pipeline says: code from every branch, pull request and third-party action or image it uses. When the runner pod is privileged, mounts the container runtime socket, shares the node's network or process namespace, or holds a cluster-admin token, one malicious commit or compromised dependency escapes the job and takes over the node (and every pod and secret on it) or the whole cluster.",
  references: { nsa: ["Pod security: privileged containers"] },
  needs: [
    { group: "", resource: "pods" },
    { group: "", resource: "serviceaccounts", optional: true },
    { group: RBAC, resource: "clusterrolebindings", optional: true },
    { group: RBAC, resource: "clusterroles", optional: true },
  ],
  evaluateWorkload(w, ctx) {
    const containers = ctx.inventory.containersOf(w);
    const runner = runnerOf(w, containers);
    if (!runner) return notApplicable();
    const violations: Violation[] = [];

    for (const c of containers) {
      const sc = effectiveSecurityContext(c);
      if (sc.privileged.value !== true) continue;
      const message = isDockerInDocker(c.image)
        ? `Docker-in-Docker container ${c.name} (${c.image ?? "?"}) of this ${runner} runs privileged, as DinD requires: every job can take over the node; build images with rootless BuildKit or Kaniko instead`
        : `container ${c.name} of this ${runner} runs privileged: every job can take over the node`;
      violations.push({ path: sc.privileged.path, message });
    }

    for (const field of ["hostNetwork", "hostPID"] as const) {
      if (w.podSpec[field] !== true) continue;
      const what = field === "hostNetwork" ? "the node's network namespace (node-local services, cloud metadata, all traffic)" : "the node's process namespace (it sees and can signal every process on the node)";
      violations.push({ path: joinPath(w.podSpecPath, field), message: `this ${runner} runs with ${field}: true: every job shares ${what}` });
    }

    const volumes = asArray(w.podSpec.volumes);
    for (let i = 0; i < volumes.length; i++) {
      const volume = asRecord(volumes[i]);
      const hostPath = asString(asRecord(volume?.hostPath)?.path);
      const what = hostPath === undefined ? undefined : socketExposure(hostPath);
      if (!what) continue;
      violations.push({
        path: `${joinPath(joinPath(w.podSpecPath, "volumes"), i)}.hostPath.path`,
        message: `volume ${asString(volume?.name) ?? `#${i}`} of this ${runner} mounts ${hostPath} from the node, ${what}: every job can start privileged containers on the node`,
      });
    }

    // Without a token in the pod, the ServiceAccount's rights are out of the jobs' reach.
    const saPath = serviceAccountPathOf(w);
    const sa = `${w.namespace}/${serviceAccountNameOf(w)}`;
    let doubt: string | undefined;
    const admin = clusterAdminBinding(w, ctx);
    if (admin && admin !== "unknown") {
      const token = tokenMountOf(w, ctx);
      const rights = admin.roleRef.name === "cluster-admin" ? "cluster-admin" : `every verb on every resource (ClusterRole ${admin.roleRef.name})`;
      if (token.mounted === true || hasProjectedToken(w)) {
        violations.push({ path: saPath, message: `this ${runner} runs as ServiceAccount ${sa}, granted ${rights} cluster-wide by ${describeBinding(admin)}: every job holds full control of the cluster` });
      } else if (token.mounted === "unknown") {
        doubt = `ServiceAccount ${sa} is granted ${rights} by ${describeBinding(admin)}; whether its token is mounted depends on the ServiceAccount, which could not be read`;
      }
    } else if (admin === "unknown") {
      doubt = `ServiceAccount ${sa} is bound cluster-wide to a ClusterRole that could not be read (clusterroles not listed): whether it is cluster-admin is unknown`;
    } else if (!ctx.canSee(RBAC, "clusterrolebindings")) {
      doubt = `whether ServiceAccount ${sa} is bound to cluster-admin is unknown: clusterrolebindings could not be listed`;
    }

    if (violations.length > 0) return verdict(violations);
    if (doubt) return unknown(doubt, saPath);
    return pass();
  },
  guide: `
Evaluated: pods of self-hosted CI runners, recognized by the labels their controllers set (actions-runner-controller: \`actions-ephemeral-runner\`, \`actions-runner-controller/inject-registration-token\`; GitLab Runner job pods: \`manager.runner.gitlab.com/name\`, \`job.runner.gitlab.com/pod\`; Jenkins Kubernetes plugin agents: \`kubernetes.jenkins.io/controller\`, \`jenkins/label\`) or by their images (\`actions-runner\`, \`actions-runner-dind\`, \`gitlab-runner\`, \`gitlab-runner-helper\`, \`jenkins/inbound-agent\`, \`jenkins/agent\`, mirrors included). A runner fails for each of: a privileged container (the runner, its job containers or a Docker-in-Docker sidecar such as \`docker:dind\`, which needs privileged by design), a hostPath volume on a container runtime socket (\`/var/run/docker.sock\`, \`/run/containerd/containerd.sock\`, \`/var/run/crio/crio.sock\`...) or a directory holding one (\`/run\`, \`/var/run\`, \`/run/containerd\`, \`/\`), \`hostNetwork\` or \`hostPID\`, and a ServiceAccount whose token the pod mounts and that a ClusterRoleBinding grants cluster-admin (or a ClusterRole with every verb on every resource, directly or through the \`system:serviceaccounts\` groups).

Deliberately not evaluated: workloads that are not runners (privileged-container, host-path-volume and host-namespaces cover them), runner controllers and operators (they do not run jobs), Tekton and Argo Workflows, job pods of actions-runner-controller's Kubernetes mode (they carry the job's image and no runner label), and namespace-scoped RBAC of the runner (rbac-pod-create, rbac-secrets-access). Without any runner the check is not applicable; when the RBAC lists could not be read and nothing else fails, the runner is unknown.

## Fix

Build images without a Docker daemon: a rootless BuildKit (or a Kaniko-style builder) needs no privilege. Keep the runner itself unprivileged and point its jobs at a shared rootless buildkitd that runs in its own namespace:

~~~yaml
# GitHub Actions runner scale set (gha-runner-scale-set values): no dind, no socket, no privilege
template:
  spec:
    serviceAccountName: ci-runner              # a dedicated account, no ClusterRoleBinding
    automountServiceAccountToken: false        # unless jobs deploy with it (then bind a namespaced Role)
    containers:
      - name: runner
        image: ghcr.io/actions/actions-runner:2.321.0
        command: ["/home/runner/run.sh"]
        env:
          - {name: BUILDKIT_HOST, value: "tcp://buildkitd.buildkit.svc:1234"}   # docker buildx create --driver remote "$BUILDKIT_HOST"
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
        volumeMounts:
          - {name: work, mountPath: /home/runner/_work}
    volumes:
      - {name: work, emptyDir: {}}             # the job workspace: an emptyDir, never a host directory
---
# The builder, in namespace buildkit (rootless: unconfined seccomp/AppArmor, but not privileged; protect its port with mTLS)
apiVersion: apps/v1
kind: Deployment
metadata: {name: buildkitd, namespace: buildkit}
spec:
  selector: {matchLabels: {app: buildkitd}}
  template:
    metadata: {labels: {app: buildkitd}}
    spec:
      automountServiceAccountToken: false
      containers:
        - name: buildkitd
          image: moby/buildkit:v0.18.2-rootless
          args: ["--addr", "tcp://0.0.0.0:1234", "--oci-worker-no-process-sandbox"]
          securityContext:
            runAsUser: 1000
            runAsGroup: 1000
            seccompProfile: {type: Unconfined}
            appArmorProfile: {type: Unconfined}
~~~

Remove runtime-socket hostPath volumes, \`hostNetwork\` and \`hostPID\` from the runner template, and drop cluster-wide bindings:

~~~sh
kubectl get clusterrolebindings -o json \\
  | jq -r '.items[] | select(.subjects[]? | .kind=="ServiceAccount" and .namespace=="<runner-namespace>") | .metadata.name'
kubectl delete clusterrolebinding <binding>
# jobs that deploy get a Role in their target namespace, or better, deploy through GitOps
~~~

When a job truly needs a Docker daemon, isolate the blast radius: run the runners ephemeral (one job per pod), on a dedicated node pool tainted for them (or in a separate cluster) with no other workloads or secrets, and keep the exception explicit with \`ramparts.dev/exempt: ci-runner-isolation\` on that workload.

~~~yaml
spec:
  template:
    spec:
      nodeSelector: {node-role/ci: "true"}
      tolerations:
        - {key: ci-only, operator: Exists, effect: NoSchedule}
~~~

## Prevent

Enforce the \`baseline\` Pod Security Standard on the runners' namespaces: it rejects privileged pods, hostPath volumes and host namespaces. (A rootless BuildKit sidecar needs unconfined seccomp and AppArmor, which \`baseline\` refuses too: run buildkitd as a shared remote builder in its own namespace, or use a Kaniko-style builder, which needs neither.)

~~~sh
kubectl label namespace <runner-namespace> pod-security.kubernetes.io/enforce=baseline
~~~

And keep cluster-admin away from CI identities with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-cluster-admin-for-ci
spec:
  background: true
  rules:
    - name: ci-service-accounts
      match:
        any:
          - resources:
              kinds: [ClusterRoleBinding]
      validate:
        failureAction: Enforce
        message: "ServiceAccounts of the CI namespace (ci) may not be bound cluster-wide."
        deny:
          conditions:
            any:
              - key: "{{ request.object.subjects[?kind=='ServiceAccount' && namespace=='ci'] | length(@) }}"
                operator: GreaterThan
                value: 0
~~~
`,
});
