import { defineContainerCheck, fail, notApplicable, pass } from "@/lib/engine/checks/define";

/** `name@algorithm:hex` as in the OCI distribution spec (sha256, sha512, blake3, ...). */
const DIGEST = /@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export const imageDigest = defineContainerCheck({
  id: "image-digest",
  title: "Images are pinned by digest",
  layer: 6,
  severity: "medium",
  scope: "container",
  why: "A tag is a movable pointer: whoever can push to the registry (or hijack the name) changes what runs at the next pull, and two nodes can run different code under the same tag. A digest names exact content, so what was scanned, signed and approved is what runs.",
  references: { nsa: ["Upgrading and application security practices"], kubescape: ["C-0306"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateContainer(c) {
    const image = c.image;
    if (image === undefined || image === "") return notApplicable();
    if (DIGEST.test(image)) return pass();
    return fail(c.at("image"), `image ${image} is referenced by tag, not by digest`);
  },
  guide: `
Reference images as \`name@sha256:<digest>\` (you may keep the tag for readers: \`name:1.27.1@sha256:<digest>\`; the digest wins).

## Fix

Resolve the digest of the tag you run today and pin it:

~~~sh
crane digest registry.example.com/web:1.27.1
# or: docker buildx imagetools inspect registry.example.com/web:1.27.1 --format '{{json .Manifest.Digest}}'
kubectl -n <namespace> set image deployment/<name> app=registry.example.com/web:1.27.1@sha256:<digest>
~~~

~~~yaml
containers:
  - name: app
    image: registry.example.com/web:1.27.1@sha256:4c3f...e9a1
~~~

Let automation keep digests fresh (Renovate's \`pinDigests\`, Dependabot, or your CI writing the digest it built into the manifest).

## Prevent

Kyverno can require digests, and rewrite tags to digests at admission after verifying signatures:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-image-digest
spec:
  background: true
  rules:
    - name: require-digest
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Images must be referenced by digest."
        pattern:
          spec:
            =(ephemeralContainers):
              - image: "*@*"
            =(initContainers):
              - image: "*@*"
            containers:
              - image: "*@*"
~~~

With \`verifyImages\`, Kyverno's \`mutateDigest: true\` (the default) pins the verified digest for you and \`verifyDigest: true\` rejects images left on tags.
`,
});
