import { defineContainerCheck, verdict } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";
import { isRedacted } from "@/lib/snapshot/redaction";
import { credentialShapeOf, isCredentialValue, isSensitiveName } from "@/lib/engine/checks/helpers/sensitive-names";

export const hardcodedEnvSecret = defineContainerCheck({
  id: "hardcoded-env-secret",
  title: "No credentials written in plain text in container environment variables",
  layer: 4,
  severity: "high",
  scope: "container",
  why: "A password or token written as a literal env value lives in the workload's spec: anyone with read access to Deployments (the built-in view role, CI logs, Helm release history, GitOps repositories, kubectl's last-applied annotation) reads it, and it never rotates. RBAC on Secrets, encryption at rest and external secret managers protect none of it.",
  references: { nsa: ["Network separation and hardening: secrets"], kubescape: ["C-0012"], polaris: ["sensitiveContainerEnvVar"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateContainer(c) {
    const violations: Violation[] = [];
    asArray(c.container.env).forEach((e, i) => {
      const entry = asRecord(e);
      if (!entry || !("value" in entry)) return;
      const name = asString(entry.name) ?? "";
      const value = entry.value;
      // Values are never echoed: the agent redacts them, and a message is no place for a credential.
      const shape = credentialShapeOf(value);
      if (shape) {
        violations.push({ path: c.at(`env[${i}].value`), message: `${name || "a variable"} holds ${shape} in plain text: move it to a Secret mounted as a file` });
        return;
      }
      if (!isSensitiveName(name) || !isCredentialValue(value)) return;
      const seen = isRedacted(value) ? "a literal value (redacted by the agent)" : "a literal value";
      violations.push({ path: c.at(`env[${i}].value`), message: `${name} looks like a credential and is set to ${seen}: move it to a Secret mounted as a file or to a secret manager` });
    });
    return verdict(violations);
  },
  guide: `
Rotate the credential first (it has been readable by everyone who can read the workload), then store it in a Secret, or better in an external secret manager, and mount it as a file. Names are judged by their last word (\`DB_PASSWORD\`, \`GITHUB_TOKEN\`, \`STRIPE_SECRET_KEY\`); settings such as \`PASSWORD_MIN_LENGTH\`, \`TOKEN_TTL\` or \`*_FILE\` paths are not flagged. In live snapshots the agent never sends env values, so a literal value counts even though it is redacted.

## Fix

~~~sh
kubectl -n <namespace> create secret generic db-credentials --from-literal=password='<new password>'
~~~

~~~yaml
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: DB_PASSWORD_FILE          # instead of DB_PASSWORD: "s3cr3t"
              value: /run/secrets/db/password
          volumeMounts:
            - name: db-credentials
              mountPath: /run/secrets/db
              readOnly: true
      volumes:
        - name: db-credentials
          secret:
            secretName: db-credentials
~~~

Then remove the value from Git history and Helm values, where it also lives.

## Prevent

Scan manifests before they merge (gitleaks, trufflehog, \`kubescape scan\` control C-0012) and reject literal credentials at admission, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-literal-credentials-in-env
spec:
  rules:
    - name: no-literal-credentials
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: "Credentials must come from a Secret or a secret manager, not a literal env value."
        foreach:
          - list: "request.object.spec.[containers, initContainers, ephemeralContainers][].env[]"
            deny:
              conditions:
                all:
                  - key: "{{ regex_match('(?i)(password|passwd|secret|token|api_?key|private_?key|credentials)$', element.name) }}"
                    operator: Equals
                    value: true
                  - key: "{{ element.value || '' }}"
                    operator: NotEquals
                    value: ""
~~~
`,
});
