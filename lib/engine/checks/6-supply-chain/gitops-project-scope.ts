import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, notApplicable, pass } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckOutcome } from "@/lib/engine/model/check";

const ARGO = "argoproj.io";
const RBAC_GROUP = "rbac.authorization.k8s.io";

const spec = (o: KubeObject): UnknownRecord => asRecord((o as UnknownRecord).spec) ?? {};

/** Argo CD matches group and kind entries as globs (`*`, `?`). */
function globMatches(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === value;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(value);
}

/** Index of the first entry of a cluster resource list that covers every ClusterRoleBinding (an entry limited to some names does not). */
function entryForClusterRoleBinding(list: unknown): number {
  const entries = asArray(list);
  for (let i = 0; i < entries.length; i++) {
    const e = asRecord(entries[i]);
    if (!e) continue;
    const name = asString(e.name) ?? "";
    if (name !== "" && name !== "*") continue;
    if (globMatches(asString(e.group) ?? "", RBAC_GROUP) && globMatches(asString(e.kind) ?? "", "ClusterRoleBinding")) return i;
  }
  return -1;
}

const isEverything = (e: unknown) => asString(asRecord(e)?.group) === "*" && asString(asRecord(e)?.kind) === "*";

function evaluateProject(o: KubeObject): CheckOutcome {
  const s = spec(o);
  const repos = asArray(s.sourceRepos);
  const destinations = asArray(s.destinations);
  // A project that allows no source or no destination deploys nothing.
  if (repos.length === 0 || destinations.length === 0) return notApplicable();
  if (!repos.includes("*")) return pass();
  // Cluster-scoped kinds are denied unless whitelisted; a blacklist entry wins over the whitelist.
  const allowed = entryForClusterRoleBinding(s.clusterResourceWhitelist);
  if (allowed === -1 || entryForClusterRoleBinding(s.clusterResourceBlacklist) !== -1) return pass();
  const entry = asArray(s.clusterResourceWhitelist)[allowed];
  const anywhere = destinations.some((d) => {
    const r = asRecord(d);
    return (asString(r?.server) === "*" || asString(r?.name) === "*") && asString(r?.namespace) === "*";
  });
  const path = `spec.clusterResourceWhitelist[${allowed}]`;
  if (o.metadata.name === "default" && anywhere && isEverything(entry)) {
    return fail(path, "the built-in default project is unchanged (sourceRepos: *, destinations: */*, clusterResourceWhitelist: */*): any repository may deploy any object, ClusterRoleBindings included, to any cluster and namespace; lock it down and move Applications to dedicated projects");
  }
  const what = isEverything(entry)
    ? "every cluster-scoped kind (group: *, kind: *), ClusterRoleBindings included"
    : `cluster-scoped objects of group ${asString(asRecord(entry)?.group) ?? ""}, kind ${asString(asRecord(entry)?.kind) ?? ""} (ClusterRoleBindings included)`;
  const where = anywhere ? " to any cluster and namespace" : "";
  return fail(path, `AppProject ${o.metadata.name} lets any repository (sourceRepos: *) deploy ${what}${where}: whoever can create an Application in it or push to a repository it syncs becomes cluster-admin; restrict sourceRepos or clusterResourceWhitelist`);
}

export const gitopsProjectScope = defineCheck({
  id: "gitops-project-scope",
  title: "Argo CD projects do not let any repository create cluster-wide RBAC",
  layer: 6,
  severity: "high",
  scope: "cluster",
  why: "An Argo CD AppProject decides which repositories its Applications may deploy from and which kinds they may create, and the controller applies them with cluster-wide rights. A project that accepts any repository and every cluster-scoped kind turns whoever can create an Application in it (or push to any repository one points at) into cluster-admin: one ClusterRoleBinding in a Git repository is enough. The built-in default project is exactly that until it is locked down.",
  references: {},
  needs: [{ group: ARGO, resource: "appprojects" }],
  evaluate(ctx) {
    const projects = ctx.inventory.ofType(ARGO, "AppProject");
    for (const o of projects) ctx.record({ resource: o }, evaluateProject(o));
    // Argo CD not installed (or not in the manifests): nothing to judge.
    if (projects.length === 0) ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
  },
  guide: `
A project fails when both hold: \`spec.sourceRepos\` contains \`*\` (any repository; \`!\` exclusions do not change that), and the cluster-scoped kinds it allows cover ClusterRoleBindings (an entry of \`spec.clusterResourceWhitelist\` whose group and kind globs match \`rbac.authorization.k8s.io\`/\`ClusterRoleBinding\`, not removed by \`spec.clusterResourceBlacklist\`). The finding points at that whitelist entry. Destinations do not matter for this: cluster-scoped objects ignore the destination namespace, so even a project limited to one namespace hands out cluster-admin this way. The built-in \`default\` project as Argo CD creates it (\`*\` everywhere) fails with its own message.

Deliberately not failed: a project that accepts any repository but no cluster-scoped RBAC, even with \`namespace: "*"\` destinations (a namespace-level risk: restrict its destinations anyway, below); a project with wildcard cluster resources that deploys only from listed repositories (the usual platform project: protect those repositories instead); a project with no source repository or no destination (it deploys nothing: not applicable). Projects are judged whether or not an Application uses them today: whoever may create Applications can use an idle one. Global projects (\`globalProjects\` in \`argocd-cm\`) are not read. Without AppProjects (Argo CD not installed) the check is not applicable.

## Fix

Give each team a project that lists its repositories, its destinations and the kinds it may create:

~~~yaml
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: shop
  namespace: argocd
spec:
  sourceRepos:
    - https://github.com/example/shop-deploy
  destinations:
    - server: https://kubernetes.default.svc
      namespace: shop
  clusterResourceWhitelist: []          # no cluster-scoped objects at all
  namespaceResourceBlacklist:           # no RBAC or quotas inside the namespace either
    - {group: rbac.authorization.k8s.io, kind: "*"}
    - {group: "", kind: ResourceQuota}
    - {group: "", kind: LimitRange}
~~~

A platform project that must create cluster-scoped objects keeps \`clusterResourceWhitelist\` but deploys only from the platform repository (\`sourceRepos: [https://github.com/example/platform]\`), whose branch is protected.

Lock down the \`default\` project as the Argo CD documentation recommends (Applications still in it are refused until you move them to a dedicated project):

~~~yaml
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: default
  namespace: argocd
spec:
  sourceRepos: []
  sourceNamespaces: []
  destinations: []
  namespaceResourceBlacklist:
    - group: "*"
      kind: "*"
~~~

~~~sh
kubectl -n argocd get applications -o custom-columns=NAME:.metadata.name,PROJECT:.spec.project
argocd app set <app> --project <dedicated-project>
~~~

## Prevent

Manage AppProjects in Git with review, limit who may create Applications in each project (\`argocd-rbac-cm\`, project roles), and reject wide-open projects with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-argocd-projects
spec:
  background: true
  rules:
    - name: no-wildcard-repos-with-cluster-resources
      match:
        any:
          - resources:
              kinds: [argoproj.io/v1alpha1/AppProject]
      validate:
        failureAction: Enforce
        message: "A project that accepts any repository (sourceRepos: *) may not allow cluster-scoped resources."
        deny:
          conditions:
            all:
              - key: "{{ contains(request.object.spec.sourceRepos || \`[]\`, '*') }}"
                operator: Equals
                value: true
              - key: "{{ length(request.object.spec.clusterResourceWhitelist || \`[]\`) }}"
                operator: GreaterThan
                value: 0
~~~
`,
});
