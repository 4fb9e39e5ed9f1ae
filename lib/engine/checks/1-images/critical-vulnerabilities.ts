import { defineCheck } from "@/lib/engine/checks/define";
import { evaluateCveCount, TRIVY_GROUP } from "@/lib/engine/checks/helpers/vulnerability-reports";

export const criticalVulnerabilities = defineCheck({
  id: "critical-vulnerabilities",
  title: "Running images have no critical vulnerabilities",
  layer: 1,
  severity: "critical",
  scope: "container",
  why: "A critical CVE is typically remotely exploitable with no authentication and public exploit code: a workload running such an image can be taken over from wherever it is reachable, and from there everything its service account, network position and node allow. These are the findings attackers scan the internet for.",
  references: { nsa: ["Upgrading and application security practices"], kubescape: ["C-0085"] },
  needs: [
    { group: "", resource: "pods" },
    { group: TRIVY_GROUP, resource: "vulnerabilityreports" },
    { group: TRIVY_GROUP, resource: "clustervulnerabilityreports", optional: true },
  ],
  evaluate(ctx) {
    evaluateCveCount(ctx, "criticalCount", "critical");
  },
  guide: `
Rebuild the image on a patched base and dependency set, then roll it out. Ramparts reads the count from the container's Trivy \`VulnerabilityReport\` (\`report.summary.criticalCount\`); the report lists each CVE, the package and the fixed version.

## Fix

~~~sh
# which CVEs, in which packages, fixed in which versions
kubectl -n <namespace> get vulnerabilityreport <report> \\
  -o jsonpath='{range .report.vulnerabilities[?(@.severity=="CRITICAL")]}{.vulnerabilityID}{" "}{.resource}{" "}{.installedVersion}{" -> "}{.fixedVersion}{"\\n"}{end}'
~~~

~~~dockerfile
# Rebuild on the current patch release of the base image and update the vulnerable packages
FROM gcr.io/distroless/static-debian12:nonroot
~~~

~~~sh
kubectl -n <namespace> set image deployment/<name> app=registry.example.com/web:1.27.2@sha256:<new digest>
~~~

When no fix exists yet, reduce exposure (network policy, no service account token, read-only filesystem) and record a time-limited Ramparts exception with the reason, so the finding comes back when it expires.

## Prevent

Fail CI builds on critical findings (\`trivy image --severity CRITICAL --exit-code 1 --ignore-unfixed\`), rebuild images on a schedule so base image fixes flow in, and block unscanned or vulnerable images at admission, for example with a Kyverno \`verifyImages\` rule that requires a vulnerability attestation produced by CI:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-vulnerability-scan
spec:
  webhookConfiguration:
    failurePolicy: Fail
  rules:
    - name: check-vulnerability-attestation
      match:
        any:
          - resources:
              kinds: [Pod]
      verifyImages:
        - imageReferences: ["registry.example.com/*"]
          failureAction: Enforce
          attestations:
            - type: https://cosign.sigstore.dev/attestation/vuln/v1
              attestors:
                - entries:
                    - keyless:
                        subject: "https://github.com/example/*"
                        issuer: https://token.actions.githubusercontent.com
              conditions:
                - all:
                    - key: "{{ scanner.result.Results[].Vulnerabilities[?Severity == 'CRITICAL'][] | length(@) }}"
                      operator: Equals
                      value: 0
~~~
`,
});
