import { defineContainerCheck, fail, notApplicable, pass } from "@/lib/engine/checks/define";
import { parseImageReference } from "@/lib/engine/checks/helpers/image-reference";

export const imageTag = defineContainerCheck({
  id: "image-tag",
  title: "Images name an explicit version, not latest",
  layer: 1,
  severity: "medium",
  scope: "container",
  why: "An image without a tag, or tagged latest, runs whatever was pushed last: a node that pulls tomorrow may run different code from one that pulled today, a rollback cannot return to a known version, and a compromised or careless push reaches production at the next restart with no change in the manifest. Nobody can tell from the cluster which build is running or whether it was scanned.",
  references: { nsa: ["Pod security: building secure container images"], polaris: ["tagNotSpecified"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateContainer(c) {
    const raw = c.image;
    if (raw === undefined || raw.trim() === "") return notApplicable();
    const image = parseImageReference(raw);
    if (!image) return fail(c.at("image"), `image "${raw}" is not a valid image reference`);
    // A digest names exact content: the tag beside it (even "latest") is only a label.
    if (image.digest !== undefined) return pass();
    if (image.tag === undefined) return fail(c.at("image"), `image ${raw} has no tag: the runtime pulls :latest, whatever it points to today`);
    if (image.tag.toLowerCase() === "latest") return fail(c.at("image"), `image ${raw} uses the mutable latest tag`);
    return pass();
  },
  guide: `
Reference every image by an explicit version, ideally pinned by digest too (\`name:1.27.1@sha256:<digest>\`: readers see the version, the runtime pulls exactly the digest). \`latest\` and a missing tag (which means \`latest\`) change under you.

## Fix

~~~yaml
containers:
  - name: app
    # was: image: registry.example.com/web  or  registry.example.com/web:latest
    image: registry.example.com/web:1.27.1@sha256:4c3f...e9a1
~~~

~~~sh
# find the version and digest that run today, then pin them
kubectl -n <namespace> get pods -l app=<app> -o jsonpath='{range .items[*].status.containerStatuses[*]}{.image}{" "}{.imageID}{"\\n"}{end}'
kubectl -n <namespace> set image deployment/<name> app=registry.example.com/web:1.27.1@sha256:<digest>
~~~

Let automation bump versions (Renovate, Dependabot, Flux image automation) instead of relying on \`latest\`.

## Prevent

Kyverno (the \`disallow-latest-tag\` policy from its library):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-latest-tag
spec:
  background: true
  rules:
    - name: require-image-tag
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "An image tag is required."
        pattern:
          spec:
            =(ephemeralContainers):
              - image: "*:*"
            =(initContainers):
              - image: "*:*"
            containers:
              - image: "*:*"
    - name: validate-image-tag
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Using the mutable tag 'latest' is not allowed."
        pattern:
          spec:
            =(ephemeralContainers):
              - image: "!*:latest"
            =(initContainers):
              - image: "!*:latest"
            containers:
              - image: "!*:latest"
~~~

Gatekeeper's library has the same control as \`K8sDisallowedTags\` (parameter \`tags: ["latest"]\`).
`,
});
