import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckContext } from "@/lib/engine/model/check";
import { clusterImagePolicyMode, kyvernoCheckRules, kyvernoPolicies, validationActionsMode, type PolicyMode } from "@/lib/engine/checks/helpers/admission-policies";
import { kyvernoWildcard, sigstoreGlob } from "@/lib/engine/checks/helpers/image-verification";
import { imageMatchCandidates, parseImageReference, type ImageReference } from "@/lib/engine/checks/helpers/image-reference";

/** in-toto predicate types of SLSA provenance (v0.1, v0.2, v1: GitHub artifact attestations, slsa-github-generator, Tekton Chains...). */
const SLSA_URI = /^https:\/\/slsa\.dev\/provenance\/v\d/;
/** cosign's predicate type shorthands, used by policy-controller. */
const SLSA_SHORTHANDS = new Set(["slsaprovenance", "slsaprovenance02", "slsaprovenance1"]);
const isSlsa = (t: unknown) => typeof t === "string" && (SLSA_URI.test(t) || SLSA_SHORTHANDS.has(t));

const POLICY_CONTROLLER_INCLUDE = "policy.sigstore.dev/include";

const SOURCES = [
  { group: "kyverno.io", resource: "clusterpolicies" },
  { group: "kyverno.io", resource: "policies" },
  { group: "policies.kyverno.io", resource: "imagevalidatingpolicies" },
  { group: "policy.sigstore.dev", resource: "clusterimagepolicies" },
] as const;

interface ProvenanceVerifier {
  object: KubeObject;
  label: string;
  mode: PolicyMode;
  /** Path of the image patterns, where a finding about coverage points. */
  imagesPath: string;
  /** True when the verifier checks this image (in this namespace). */
  covers(image: ImageReference, namespace: string, nsLabels: Record<string, string>): boolean;
}

const strings = (v: unknown) => asArray(v).filter((x): x is string => typeof x === "string" && x !== "");
const anyCandidate = (image: ImageReference, match: (s: string) => boolean) => imageMatchCandidates(image).some(match);

function kyvernoProvenance(ctx: CheckContext): ProvenanceVerifier[] {
  const out: ProvenanceVerifier[] = [];
  for (const policy of kyvernoPolicies(ctx.inventory)) {
    const policyNs = policy.kind === "Policy" ? ctx.inventory.namespaceOf(policy) : undefined;
    for (const r of kyvernoCheckRules(policy)) {
      if (r.type !== "verifyImages" || r.entry === undefined) continue;
      const entry = asRecord(asArray(r.rule.verifyImages)[r.entry]) ?? {};
      const attestations = asArray(entry.attestations).map(asRecord);
      if (!attestations.some((a) => isSlsa(a?.type) || isSlsa(a?.predicateType))) continue;
      const refs = [...strings(entry.imageReferences), ...strings([entry.image])];
      const skips = strings(entry.skipImageReferences);
      out.push({
        object: policy,
        label: `${policy.kind} ${policy.metadata.name}, rule ${asString(r.rule.name) ?? `#${r.index}`}`,
        mode: r.mode,
        imagesPath: `spec.rules[${r.index}].verifyImages[${r.entry}].imageReferences`,
        covers: (image, ns) =>
          (policyNs === undefined || policyNs === ns) &&
          refs.some((p) => anyCandidate(image, (s) => kyvernoWildcard(p, s))) &&
          !skips.some((p) => anyCandidate(image, (s) => kyvernoWildcard(p, s))),
      });
    }
  }
  return out;
}

function imageValidatingProvenance(ctx: CheckContext): ProvenanceVerifier[] {
  const out: ProvenanceVerifier[] = [];
  for (const kind of ["ImageValidatingPolicy", "NamespacedImageValidatingPolicy"]) {
    for (const policy of ctx.inventory.ofType("policies.kyverno.io", kind)) {
      const spec = asRecord((policy as UnknownRecord).spec) ?? {};
      const slsa = asArray(spec.attestations).some((a) => isSlsa(asRecord(asRecord(a)?.intoto)?.type) || isSlsa(asRecord(asRecord(a)?.referrer)?.type));
      if (!slsa) continue;
      const policyNs = kind.startsWith("Namespaced") ? ctx.inventory.namespaceOf(policy) : undefined;
      const globs = asArray(spec.matchImageReferences).map(asRecord);
      out.push({
        object: policy,
        label: `${kind} ${policy.metadata.name}`,
        mode: validationActionsMode(policy),
        imagesPath: "spec.matchImageReferences",
        // No pattern: every image. A CEL expression cannot be evaluated here: taken as matching.
        covers: (image, ns) =>
          (policyNs === undefined || policyNs === ns) &&
          (globs.length === 0 || globs.some((g) => (asString(g?.glob) !== undefined ? anyCandidate(image, (s) => kyvernoWildcard(asString(g!.glob)!, s)) : asString(g?.expression) !== undefined))),
      });
    }
  }
  return out;
}

function clusterImagePolicyProvenance(ctx: CheckContext): ProvenanceVerifier[] {
  const out: ProvenanceVerifier[] = [];
  for (const policy of ctx.inventory.ofType("policy.sigstore.dev", "ClusterImagePolicy")) {
    const spec = asRecord((policy as UnknownRecord).spec) ?? {};
    const slsa = asArray(spec.authorities).some((a) => asArray(asRecord(a)?.attestations).some((t) => isSlsa(asRecord(t)?.predicateType)));
    if (!slsa) continue;
    const globs = asArray(spec.images).map((i) => asString(asRecord(i)?.glob)).filter((g): g is string => g !== undefined);
    out.push({
      object: policy,
      label: `ClusterImagePolicy ${policy.metadata.name}`,
      mode: clusterImagePolicyMode(policy),
      imagesPath: "spec.images",
      // policy-controller only checks namespaces that opted in.
      covers: (image, _ns, labels) => labels[POLICY_CONTROLLER_INCLUDE] === "true" && globs.some((g) => anyCandidate(image, (s) => sigstoreGlob(g, s))),
    });
  }
  return out;
}

export const imageProvenanceVerification = defineCheck({
  id: "image-provenance-verification",
  title: "SLSA build provenance is verified at admission",
  layer: 6,
  severity: "medium",
  scope: "cluster",
  why: "A signature says who signed an image; a provenance attestation says how and from what it was built: which repository and commit, which workflow, which builder. Verifying SLSA provenance at admission refuses images built outside your pipeline or from an unexpected branch or fork, even when someone obtained a signing identity, and ties every running image to reviewed source.",
  references: { cis: ["5.5.1"], nsa: ["Pod security: building secure container images"] },
  needs: [{ group: "", resource: "pods" }, ...SOURCES.map((s) => ({ ...s, optional: true }))],
  evaluate(ctx) {
    const verifiers = [...kyvernoProvenance(ctx), ...imageValidatingProvenance(ctx), ...clusterImagePolicyProvenance(ctx)];
    const enforcing = verifiers.filter((v) => v.mode.enforcing);
    if (enforcing.length > 0) {
      // An enforcing policy must reach at least one running image, or it protects nothing today.
      const images = ctx.inventory.containers.map((c) => ({ image: parseImageReference(c.image ?? ""), ns: c.workload.namespace })).filter((x): x is { image: ImageReference; ns: string } => x.image !== undefined);
      const coversSomething = (v: ProvenanceVerifier) => images.some(({ image, ns }) => v.covers(image, ns, ctx.inventory.namespace(ns)?.labels ?? {}));
      const effective = images.length === 0 ? enforcing : enforcing.filter(coversSomething);
      if (effective.length > 0) {
        for (const v of new Set(effective.map((e) => e.object))) ctx.record({ resource: v }, pass());
        return;
      }
      for (const v of enforcing) {
        const hint = v.object.kind === "ClusterImagePolicy" ? " in a namespace labelled policy.sigstore.dev/include=true" : "";
        ctx.record({ resource: v.object }, fail(v.imagesPath, `${v.label} verifies SLSA provenance, but none of the ${images.length} running container images matches its image patterns${hint}`));
      }
      return;
    }
    if (verifiers.length > 0) {
      for (const v of verifiers) ctx.record({ resource: v.object }, fail(v.mode.path, `${v.label} checks SLSA provenance without enforcing it (${v.mode.value}): an image without provenance is still admitted`));
      return;
    }
    const unseen = SOURCES.filter((s) => !ctx.canSee(s.group, s.resource)).map((s) => `${s.resource}.${s.group}`);
    if (unseen.length > 0) {
      ctx.record({ resource: CLUSTER_RESOURCE }, unknown(`no provenance-verifying policy found, but ${unseen.join(", ")} could not be listed`));
      return;
    }
    ctx.record({ resource: CLUSTER_RESOURCE }, fail(RESOURCE_ITSELF, "no admission policy verifies SLSA provenance attestations (Kyverno verifyImages attestations, Kyverno ImageValidatingPolicy, sigstore policy-controller ClusterImagePolicy)"));
  },
  guide: `
This check is about provenance: an in-toto attestation of predicate type \`https://slsa.dev/provenance/v0.2\` or \`/v1\` (cosign's \`slsaprovenance\`, \`slsaprovenance02\`, \`slsaprovenance1\`), verified at admission. Verifying the signature alone is the image-signature-verification check. It passes when at least one enforcing policy (Kyverno \`failureAction: Enforce\`, ImageValidatingPolicy \`validationActions: [Deny]\`, ClusterImagePolicy \`mode: enforce\`) verifies such an attestation for images that actually run (for policy-controller, in namespaces labelled \`policy.sigstore.dev/include: "true"\`). Third-party images rarely carry provenance: scope the policy to the images you build.

## Fix

Produce provenance in CI (GitHub: \`actions/attest-build-provenance\`, or the SLSA generator; Tekton Chains; GitLab SLSA provenance), then verify it with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: verify-slsa-provenance
spec:
  webhookConfiguration:
    failurePolicy: Fail
    timeoutSeconds: 30
  rules:
    - name: slsa-provenance
      match:
        any:
          - resources:
              kinds: [Pod]
      verifyImages:
        - imageReferences: ["registry.example.com/shop/*"]
          failureAction: Enforce
          attestations:
            - type: https://slsa.dev/provenance/v1
              attestors:
                - entries:
                    - keyless:
                        issuer: https://token.actions.githubusercontent.com
                        subject: "https://github.com/example/*"
              conditions:
                - all:
                    - key: "{{ buildDefinition.externalParameters.workflow.repository }}"
                      operator: Equals
                      value: https://github.com/example/shop
~~~

Or with the sigstore policy-controller:

~~~yaml
apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata:
  name: slsa-provenance
spec:
  mode: enforce
  images:
    - glob: "registry.example.com/shop/**"
  authorities:
    - keyless:
        identities:
          - issuer: https://token.actions.githubusercontent.com
            subjectRegExp: "^https://github.com/example/shop/"
      attestations:
        - name: must-have-provenance
          predicateType: https://slsa.dev/provenance/v1
~~~

~~~sh
kubectl label namespace shop policy.sigstore.dev/include=true
~~~

## Prevent

Keep the verification policy and its enforcement mode in Git, make the CI pipeline fail when provenance cannot be generated, and check new images before deploying with \`cosign verify-attestation --type slsaprovenance1\` (or \`gh attestation verify\`) so a missing attestation is caught before admission rejects the rollout.
`,
});
