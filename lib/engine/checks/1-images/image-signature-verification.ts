import { defineContainerCheck, fail, notApplicable, pass, unknown } from "@/lib/engine/checks/define";
import { kyvernoVerifiedAnnotation, unseenVerifierSources, VERIFIER_SOURCES, verificationCoverage, type Verifier } from "@/lib/engine/checks/helpers/image-verification";

function names(verifiers: readonly Verifier[]): string {
  const labels = [...new Set(verifiers.map((v) => `${v.label} (${v.mode})`))];
  return labels.length <= 2 ? labels.join(", ") : `${labels.slice(0, 2).join(", ")} and ${labels.length - 2} more`;
}

export const imageSignatureVerification = defineContainerCheck({
  id: "image-signature-verification",
  title: "Image signatures are verified at admission",
  layer: 1,
  severity: "high",
  scope: "container",
  why: "A signature ties an image to the pipeline that built it. Unless the cluster checks it before a pod starts, anyone who can push to the registry, hijack a tag or edit a manifest can run an image your CI never produced: a backdoored build, a typosquatted public image, a compromised dependency's release. Verification at admission (Kyverno verifyImages, sigstore policy-controller, Ratify) rejects those pods.",
  references: { nsa: ["Pod security: building secure container images"], kubescape: ["C-0236", "C-0237"] },
  needs: [{ group: "", resource: "pods" }, { group: "", resource: "namespaces", optional: true }, ...VERIFIER_SOURCES.map((s) => ({ ...s, optional: true }))],
  evaluateContainer(c, ctx) {
    if ((c.image ?? "").trim() === "") return notApplicable();
    const coverage = verificationCoverage(ctx, c);
    if (coverage.enforcing.length > 0) return pass();
    // Kyverno records a successful verification on the pods it admitted.
    const evidence = kyvernoVerifiedAnnotation(c);
    if (evidence === "pass") return pass();
    if (coverage.auditOnly.length > 0) {
      return fail(c.at("image"), `image ${c.image} is verified only without enforcement by ${names(coverage.auditOnly)}: an unsigned image would still be admitted`);
    }
    if (coverage.namespaceMisses.length > 0) {
      return fail(c.at("image"), `image ${c.image} matches ${names(coverage.namespaceMisses)}, but namespace ${c.workload.namespace} is not opted in (label policy.sigstore.dev/include=true)`);
    }
    const unseen = unseenVerifierSources(ctx);
    if (unseen.length > 0) return unknown(`no readable policy verifies image ${c.image}, and ${unseen.join(", ")} could not be listed`, c.at("image"));
    if (evidence === "fail") return fail(c.at("image"), `Kyverno recorded a failed signature verification of image ${c.image} (kyverno.io/verify-images), and no enforcing policy covers it`);
    return fail(c.at("image"), `no admission policy verifies the signature of image ${c.image} (Kyverno verifyImages, sigstore policy-controller, Ratify)`);
  },
  guide: `
Sign images in CI (cosign keyless with the CI's OIDC identity, or a KMS key), then make the cluster refuse pods whose images are not signed by that identity. The policy must be enforcing (Kyverno \`failureAction: Enforce\`, policy-controller \`mode: enforce\` with the namespace opted in, Gatekeeper \`enforcementAction: deny\` for Ratify) and must cover every image that runs, init and sidecar containers included.

## Fix

Sign in CI:

~~~sh
cosign sign --yes registry.example.com/shop/web@sha256:<digest>   # keyless, identity from the CI's OIDC token
~~~

Verify at admission with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: verify-image-signatures
spec:
  webhookConfiguration:
    failurePolicy: Fail
    timeoutSeconds: 30
  rules:
    - name: verify-signature
      match:
        any:
          - resources:
              kinds: [Pod]
      verifyImages:
        - imageReferences: ["registry.example.com/*"]
          failureAction: Enforce
          mutateDigest: true
          verifyDigest: true
          required: true
          attestors:
            - entries:
                - keyless:
                    subject: "https://github.com/example/*/.github/workflows/release.yaml@refs/heads/main"
                    issuer: https://token.actions.githubusercontent.com
                    rekor:
                      url: https://rekor.sigstore.dev
~~~

Or with the sigstore policy-controller (only namespaces labelled \`policy.sigstore.dev/include=true\` are checked):

~~~yaml
apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata:
  name: company-images
spec:
  mode: enforce
  images:
    - glob: "registry.example.com/**"
  authorities:
    - keyless:
        url: https://fulcio.sigstore.dev
        identities:
          - issuer: https://token.actions.githubusercontent.com
            subjectRegExp: "^https://github.com/example/.*$"
~~~

~~~sh
kubectl label namespace <namespace> policy.sigstore.dev/include=true
~~~

## Prevent

Keep the verification policy itself protected: deploy it through GitOps, allow only platform admins to change \`clusterpolicies.kyverno.io\` / \`clusterimagepolicies.policy.sigstore.dev\`, and keep the webhook failing closed (\`failurePolicy: Fail\`) so an unavailable verifier does not silently admit unsigned images. Images from outside your registries should first be mirrored and signed by your pipeline, so that one policy covers every image that runs.
`,
});
