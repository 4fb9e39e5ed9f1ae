import { defineContainerCheck, verdict } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

export const secretEnvVars = defineContainerCheck({
  id: "secret-env-vars",
  title: "Secrets reach containers as files, not environment variables",
  layer: 4,
  // Low: the value still lives in a Secret guarded by RBAC; what env delivery adds is exposure
  // inside and around the process (child processes, crash reports, debug endpoints, logs).
  severity: "low",
  scope: "container",
  why: "Environment variables are inherited by every child process, printed by crash reporters, debug pages and `env` in support sessions, and readable in /proc/<pid>/environ. A secret handed over as a variable cannot be rotated without a restart either. Mounted files stay in memory-backed volumes, can be readable by the app user only, and are refreshed in place when the Secret changes.",
  references: { cis: ["5.4.1"], nsa: ["Network separation and hardening: secrets"], kubescape: ["C-0207"] },
  needs: [{ group: "", resource: "pods" }],
  evaluateContainer(c) {
    const violations: Violation[] = [];
    asArray(c.container.env).forEach((e, i) => {
      const entry = asRecord(e);
      const ref = asRecord(asRecord(entry?.valueFrom)?.secretKeyRef);
      if (!ref) return;
      violations.push({
        path: c.at(`env[${i}].valueFrom.secretKeyRef`),
        message: `${asString(entry?.name) ?? "a variable"} is set from Secret ${asString(ref.name) ?? "?"} (key ${asString(ref.key) ?? "?"}): mount the Secret as a file instead`,
      });
    });
    asArray(c.container.envFrom).forEach((e, i) => {
      const ref = asRecord(asRecord(e)?.secretRef);
      if (!ref) return;
      violations.push({ path: c.at(`envFrom[${i}].secretRef`), message: `every key of Secret ${asString(ref.name) ?? "?"} becomes an environment variable: mount the Secret as files instead` });
    });
    return verdict(violations);
  },
  guide: `
Mount the Secret as a read-only volume and point the app at the file. Most images accept a \`_FILE\` variant of their variables (\`POSTGRES_PASSWORD_FILE\`, \`MYSQL_ROOT_PASSWORD_FILE\`, Spring's \`configtree:\`); an external secret manager (Vault Agent, Secrets Store CSI) writes files too. Mounted Secrets are updated in place when they change (not with \`subPath\`).

## Fix

~~~yaml
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: DB_PASSWORD_FILE
              value: /run/secrets/db/password
          volumeMounts:
            - name: db-credentials
              mountPath: /run/secrets/db
              readOnly: true
      volumes:
        - name: db-credentials
          secret:
            secretName: db-credentials
            defaultMode: 0400
            items:
              - key: password
                path: password
~~~

## Prevent

Reject secret references in the environment, with Kyverno (audit first: many charts still use them):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: secrets-not-from-env
spec:
  rules:
    - name: no-secret-env
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Audit
        message: "Mount Secrets as files instead of passing them as environment variables."
        pattern:
          spec:
            containers:
              - =(env):
                  - =(valueFrom):
                      X(secretKeyRef): "null"
                =(envFrom):
                  - X(secretRef): "null"
~~~

Switch \`failureAction\` to \`Enforce\` once the audit reports are clean.
`,
});
