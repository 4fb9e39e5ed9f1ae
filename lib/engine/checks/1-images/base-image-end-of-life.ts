import { defineContainerCheck, fail, notApplicable, pass } from "@/lib/engine/checks/define";
import { TRIVY_GROUP, vulnerabilityIndex } from "@/lib/engine/checks/helpers/vulnerability-reports";

export const baseImageEndOfLife = defineContainerCheck({
  id: "base-image-end-of-life",
  title: "Images are not built on an end-of-life operating system",
  layer: 1,
  severity: "medium",
  scope: "container",
  why: "Once a distribution release reaches end of life, its maintainers stop publishing security fixes: every vulnerability found afterwards in its packages stays open forever, and scanners may not even report it because the distribution no longer issues advisories. A clean vulnerability report on an end-of-life base is therefore not reassuring.",
  references: { nsa: ["Upgrading and application security practices"] },
  needs: [
    { group: "", resource: "pods" },
    { group: TRIVY_GROUP, resource: "vulnerabilityreports" },
    { group: TRIVY_GROUP, resource: "clustervulnerabilityreports", optional: true },
  ],
  evaluateContainer(c, ctx) {
    if (c.type === "ephemeralContainer") return notApplicable();
    const report = vulnerabilityIndex(ctx).forContainer(c).report;
    // Trivy sets report.os.eosl; without a report (or an older Trivy) there is nothing to judge here.
    const eosl = report?.os?.eosl;
    if (!report || eosl === undefined) return notApplicable();
    if (!eosl) return pass();
    const os = [report.os?.family, report.os?.name].filter(Boolean).join(" ");
    return fail(c.at("image"), `image ${c.image} is based on ${os || "an operating system"}, which no longer receives security fixes (VulnerabilityReport ${report.ref}: os.eosl)`);
  },
  guide: `
Rebuild the image on a supported release of its base (or move to a minimal base that is rebuilt continuously, such as distroless or Chainguard/Wolfi images), and roll it out. Trivy Operator marks the report's \`report.os.eosl: true\` when the detected OS release is past its end of support.

## Fix

~~~dockerfile
# was: FROM debian:10-slim   (buster, end of life)
FROM debian:12-slim
# or, better, a minimal base for the runtime stage:
# FROM gcr.io/distroless/base-debian12:nonroot
~~~

~~~sh
kubectl get vulnerabilityreports -A -o json | jq -r '.items[] | select(.report.os.eosl == true) | "\\(.metadata.namespace)/\\(.metadata.name) \\(.report.os.family) \\(.report.os.name)"'
~~~

## Prevent

Fail CI when the base is end of life: Trivy's JSON output marks it in \`Metadata.OS.EOSL\`.

~~~sh
trivy image --format json --output scan.json registry.example.com/web:candidate
jq -e '.Metadata.OS.EOSL != true' scan.json > /dev/null || { echo "base image OS is end of life"; exit 1; }
~~~

Pin base images by digest and let Renovate or Dependabot propose base upgrades, and rebuild images on a schedule, so that releases approaching end of life are replaced before they get there.
`,
});
