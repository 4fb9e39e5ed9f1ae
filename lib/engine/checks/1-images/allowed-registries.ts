import { defineContainerCheck, fail, notApplicable, pass } from "@/lib/engine/checks/define";
import { imageFromPrefix, normalizeRegistryPrefix, parseImageReference } from "@/lib/engine/checks/helpers/image-reference";

export const allowedRegistries = defineContainerCheck({
  id: "allowed-registries",
  title: "Images come from allowed registries",
  layer: 1,
  severity: "medium",
  scope: "container",
  why: "Every registry an image comes from is someone who can run code in the cluster. Public images can be typosquatted, abandoned or taken over, and a compromised workload or careless deploy can point a pod at an attacker's registry. Restricting images to the registries you mirror, scan and sign makes every other image control (scanning, signatures, provenance) cover what actually runs.",
  references: { nsa: ["Pod security: building secure container images"], kubescape: ["C-0078"] },
  needs: [{ group: "", resource: "pods" }],
  // Only meaningful once the organization has said which registries it trusts.
  appliesTo: (c, ctx) => (ctx.options.allowedRegistries ?? []).some((r) => normalizeRegistryPrefix(r) !== "") && (c.image ?? "").trim() !== "",
  evaluateContainer(c, ctx) {
    const allowed = (ctx.options.allowedRegistries ?? []).filter((r) => normalizeRegistryPrefix(r) !== "");
    const raw = c.image;
    if (raw === undefined) return notApplicable();
    const image = parseImageReference(raw);
    if (!image) return fail(c.at("image"), `image "${raw}" is not a valid image reference, so its registry cannot be checked`);
    if (allowed.some((prefix) => imageFromPrefix(image, prefix))) return pass();
    const list = allowed.length <= 4 ? allowed.join(", ") : `${allowed.slice(0, 4).join(", ")} and ${allowed.length - 4} more`;
    return fail(c.at("image"), `image ${raw} comes from ${image.name}, outside the allowed registries (${list})`);
  },
  guide: `
Pull every image through a registry you control (a mirror or pull-through cache of the public images you use), and list those registries in Ramparts' \`allowedRegistries\` option. Docker Hub images written without a host (\`nginx\`) come from \`docker.io/library/nginx\`.

## Fix

Mirror the image into an allowed registry and point the workload at the copy:

~~~sh
crane copy docker.io/library/nginx:1.27.1 registry.example.com/mirror/nginx:1.27.1
kubectl -n <namespace> set image deployment/<name> app=registry.example.com/mirror/nginx:1.27.1@sha256:<digest>
~~~

~~~yaml
containers:
  - name: app
    image: registry.example.com/mirror/nginx:1.27.1@sha256:<digest>
~~~

## Prevent

Reject images from anywhere else at admission. Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-image-registries
spec:
  background: true
  rules:
    - name: validate-registries
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Images must come from registry.example.com."
        pattern:
          spec:
            =(ephemeralContainers):
              - image: "registry.example.com/*"
            =(initContainers):
              - image: "registry.example.com/*"
            containers:
              - image: "registry.example.com/*"
~~~

Gatekeeper's library has the same control as \`K8sAllowedRepos\` (parameter \`repos\`; end each entry with \`/\` so \`registry.example.com\` does not also allow \`registry.example.com.evil.io\`).
`,
});
