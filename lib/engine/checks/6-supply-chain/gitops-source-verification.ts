import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, notApplicable, pass, unknown } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckContext, CheckOutcome } from "@/lib/engine/model/check";

const FLUX_SOURCE = "source.toolkit.fluxcd.io";
const FLUX_HELM = "helm.toolkit.fluxcd.io";
const ARGO = "argoproj.io";

const SOURCES = [
  { group: FLUX_SOURCE, resource: "gitrepositories" },
  { group: FLUX_SOURCE, resource: "ocirepositories" },
  { group: FLUX_SOURCE, resource: "helmcharts" },
  { group: ARGO, resource: "appprojects" },
] as const;

const spec = (o: KubeObject): UnknownRecord => asRecord((o as UnknownRecord).spec) ?? {};

function gitRepository(o: KubeObject): CheckOutcome {
  const verify = asRecord(spec(o).verify);
  if (verify && asString(asRecord(verify.secretRef)?.name)) return pass();
  return fail("spec.verify", `GitRepository ${o.metadata.name} is reconciled without verifying commit signatures (spec.verify with the trusted OpenPGP keys)`);
}

function verifiedByProvider(o: KubeObject, path: string, what: string): CheckOutcome {
  const verify = asRecord(getPath(o, path));
  const provider = asString(verify?.provider);
  if (provider === "cosign" || provider === "notation") return pass();
  return fail(path, `${what} is pulled without verifying its signature (${path}.provider: cosign or notation)`);
}

function getPath(o: KubeObject, path: string): unknown {
  let cur: unknown = o;
  for (const key of path.split(".")) cur = asRecord(cur)?.[key];
  return cur;
}

/**
 * A HelmChart (or a HelmRelease's chart template) can only be verified when it comes from an OCI
 * HelmRepository. From a Git source, the Git source is what gets verified; from a plain HTTPS
 * Helm repository Flux cannot verify anything.
 */
function helmSource(ctx: CheckContext, sourceRef: UnknownRecord | undefined, defaultNs: string): "oci" | "other" | "unseen" {
  if (asString(sourceRef?.kind) !== "HelmRepository") return "other";
  const name = asString(sourceRef?.name) ?? "";
  const repo = ctx.inventory.get(FLUX_SOURCE, "HelmRepository", asString(sourceRef?.namespace) ?? defaultNs, name);
  if (!repo) return ctx.canSee(FLUX_SOURCE, "helmrepositories") ? "other" : "unseen";
  return asString(spec(repo).type) === "oci" ? "oci" : "other";
}

/** AppProjects Applications deploy through; all of them when no Application is in the input. Projects that allow no source or destination deploy nothing. */
function usedProjects(ctx: CheckContext): Set<string> | undefined {
  const apps = ctx.inventory.ofType(ARGO, "Application");
  if (apps.length === 0) return undefined;
  return new Set(apps.map((a) => asString(spec(a).project) || "default"));
}

export const gitopsSourceVerification = defineCheck({
  id: "gitops-source-verification",
  title: "GitOps tools verify the signatures of what they deploy",
  layer: 6,
  severity: "medium",
  scope: "cluster",
  why: "A GitOps controller applies whatever its source says, usually with cluster-wide rights. Without signature verification, anyone who can push to the repository or registry (a stolen deploy key, a compromised CI token, a forced push) deploys to the cluster, bypassing review. Verifying signed commits or signed artifacts ties every change to a trusted key.",
  references: {},
  needs: [...SOURCES, { group: FLUX_SOURCE, resource: "helmrepositories" }, { group: FLUX_HELM, resource: "helmreleases" }, { group: ARGO, resource: "applications" }].map((s) => ({ ...s, optional: true })),
  evaluate(ctx) {
    const inv = ctx.inventory;
    let seen = false;
    for (const o of inv.ofType(FLUX_SOURCE, "GitRepository")) {
      seen = true;
      ctx.record({ resource: o }, gitRepository(o));
    }
    for (const o of inv.ofType(FLUX_SOURCE, "OCIRepository")) {
      seen = true;
      ctx.record({ resource: o }, verifiedByProvider(o, "spec.verify", `OCIRepository ${o.metadata.name}`));
    }
    const chartNames = new Set<string>();
    for (const o of inv.ofType(FLUX_SOURCE, "HelmChart")) {
      seen = true;
      const ns = inv.namespaceOf(o) ?? "default";
      chartNames.add(`${ns}/${o.metadata.name}`);
      const source = helmSource(ctx, asRecord(spec(o).sourceRef), ns);
      if (source === "oci") ctx.record({ resource: o }, verifiedByProvider(o, "spec.verify", `HelmChart ${o.metadata.name}`));
      else if (source === "unseen") ctx.record({ resource: o }, unknown(`HelmChart ${o.metadata.name} comes from HelmRepository ${asString(asRecord(spec(o).sourceRef)?.name) ?? "?"}, which could not be read: whether it is an OCI repository (verifiable) is unknown`, "spec.verify"));
      else ctx.record({ resource: o }, notApplicable());
    }
    // HelmReleases with a chart template create a HelmChart "<namespace>-<name>" in the source's namespace; manifests may carry only the release.
    for (const o of inv.ofType(FLUX_HELM, "HelmRelease")) {
      const chartSpec = asRecord(asRecord(spec(o).chart)?.spec);
      if (!chartSpec) continue;
      const ns = inv.namespaceOf(o) ?? "default";
      const sourceRef = asRecord(chartSpec.sourceRef);
      const chartNs = asString(sourceRef?.namespace) ?? ns;
      if (chartNames.has(`${chartNs}/${ns}-${o.metadata.name}`)) continue;
      seen = true;
      const source = helmSource(ctx, sourceRef, ns);
      if (source === "oci") ctx.record({ resource: o }, verifiedByProvider(o, "spec.chart.spec.verify", `HelmRelease ${o.metadata.name}'s chart`));
      else ctx.record({ resource: o }, notApplicable());
    }
    const used = usedProjects(ctx);
    for (const o of inv.ofType(ARGO, "AppProject")) {
      seen = true;
      const s = spec(o);
      const deploysNothing = asArray(s.sourceRepos).length === 0 || asArray(s.destinations).length === 0;
      if (deploysNothing || (used && !used.has(o.metadata.name))) {
        ctx.record({ resource: o }, notApplicable());
        continue;
      }
      const keys = asArray(s.signatureKeys).filter((k) => asString(asRecord(k)?.keyID));
      const integrity = asRecord(s.sourceIntegrity);
      const verified = keys.length > 0 || (integrity !== undefined && Object.keys(integrity).length > 0);
      ctx.record({ resource: o }, verified ? pass() : fail("spec.signatureKeys", `Argo CD AppProject ${o.metadata.name} syncs Git revisions without verifying commit signatures (spec.signatureKeys lists no GnuPG key)`));
    }
    if (seen) return;
    const unseen = SOURCES.filter((s) => !ctx.canSee(s.group, s.resource)).map((s) => `${s.resource}.${s.group}`);
    if (unseen.length > 0) ctx.record({ resource: CLUSTER_RESOURCE }, unknown(`no GitOps source found, but ${unseen.join(", ")} could not be listed`));
    else ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
  },
  guide: `
Evaluated: Flux GitRepositories (\`spec.verify\` with the OpenPGP keys of the committers), OCIRepositories (\`spec.verify.provider\`: cosign or notation), HelmCharts and HelmRelease chart templates from OCI Helm repositories (\`verify.provider\`), and Argo CD AppProjects that Applications use (\`spec.signatureKeys\`, or \`spec.sourceIntegrity\` on Argo CD 3.5+). Charts from plain HTTPS Helm repositories cannot be verified by Flux and are not applicable; an AppProject that allows no source or destination deploys nothing. Without any GitOps tool the check is not applicable.

## Fix

Flux, signed commits:

~~~yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: platform
  namespace: flux-system
spec:
  url: ssh://git@github.com/example/platform
  ref: {branch: main}
  verify:
    mode: HEAD                   # or Tag, TagAndHEAD
    secretRef:
      name: flux-pgp-public-keys # Secret holding the trusted public keys (*.asc)
~~~

Flux, signed OCI artifacts (cosign keyless):

~~~yaml
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: shop-manifests
  namespace: flux-system
spec:
  url: oci://registry.example.com/manifests/shop
  ref: {semver: ">=1.0.0"}
  verify:
    provider: cosign
    matchOIDCIdentity:
      - issuer: "^https://token.actions.githubusercontent.com$"
        subject: "^https://github.com/example/shop/.github/workflows/release.yaml@refs/tags/v.*$"
~~~

Argo CD:

~~~sh
argocd gpg add --from ./release-signing-key.asc
argocd proj edit shop   # add the key ID under signatureKeys
~~~

~~~yaml
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: shop
  namespace: argocd
spec:
  signatureKeys:
    - keyID: 4AEE18F83AFDEB23
~~~

## Prevent

Protect the branch the controller follows (required reviews, signed commits required by the Git host), sign release artifacts in CI, and reject sources without verification with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-flux-source-verification
spec:
  rules:
    - name: gitrepository-verify
      match:
        any:
          - resources:
              kinds: [source.toolkit.fluxcd.io/v1/GitRepository]
      validate:
        failureAction: Enforce
        message: "GitRepositories must verify commit signatures (spec.verify)."
        pattern:
          spec:
            verify:
              secretRef:
                name: "?*"
~~~
`,
});
