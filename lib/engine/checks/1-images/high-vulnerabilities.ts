import { defineCheck } from "@/lib/engine/checks/define";
import { evaluateCveCount, TRIVY_GROUP } from "@/lib/engine/checks/helpers/vulnerability-reports";

export const highVulnerabilities = defineCheck({
  id: "high-vulnerabilities",
  title: "Running images have no high-severity vulnerabilities",
  layer: 1,
  severity: "high",
  scope: "container",
  why: "High-severity CVEs are the usual second step of an attack: privilege escalation inside the container, denial of service, or remote exploitation that needs a precondition the attacker often has. Each one left in a running image widens what a foothold in that workload can become.",
  references: { nsa: ["Upgrading and application security practices"], kubescape: ["C-0085"] },
  needs: [
    { group: "", resource: "pods" },
    { group: TRIVY_GROUP, resource: "vulnerabilityreports" },
    { group: TRIVY_GROUP, resource: "clustervulnerabilityreports", optional: true },
  ],
  evaluate(ctx) {
    evaluateCveCount(ctx, "highCount", "high");
  },
  guide: `
Update the packages or the base image that carry the high-severity CVEs and roll the new image out. Ramparts reads the count from the container's Trivy \`VulnerabilityReport\` (\`report.summary.highCount\`).

## Fix

~~~sh
kubectl -n <namespace> get vulnerabilityreport <report> \\
  -o jsonpath='{range .report.vulnerabilities[?(@.severity=="HIGH")]}{.vulnerabilityID}{" "}{.resource}{" "}{.installedVersion}{" -> "}{.fixedVersion}{"\\n"}{end}'
# rebuild with the fixed versions, then
kubectl -n <namespace> set image deployment/<name> app=registry.example.com/web:1.27.2@sha256:<new digest>
~~~

Minimal bases (distroless, Chainguard/Wolfi, scratch for static binaries) remove most OS-package CVEs at once. When a CVE has no fix or does not apply, record a Ramparts exception with the reason and an expiry rather than ignoring the finding.

## Prevent

Scan in CI and fail on fixable high findings, and let automation keep dependencies current:

~~~yaml
# GitHub Actions
- uses: aquasecurity/trivy-action@0.28.0
  with:
    image-ref: registry.example.com/web:candidate
    severity: CRITICAL,HIGH
    ignore-unfixed: true
    exit-code: "1"
~~~

~~~json
{ "extends": ["config:recommended"], "vulnerabilityAlerts": { "enabled": true }, "dockerfile": { "pinDigests": true } }
~~~

(the second block is a \`renovate.json\` that opens pull requests for vulnerable dependencies and base images).
`,
});
