import { CLUSTER_RESOURCE, defineCheck, notApplicable, verdict } from "@/lib/engine/checks/define";
import { asRecord, joinPath, type UnknownRecord } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";
import { isCredentialValue, isSensitiveName } from "@/lib/engine/checks/helpers/sensitive-names";

export const configmapSensitiveKeys = defineCheck({
  id: "configmap-sensitive-keys",
  title: "ConfigMaps hold no credentials",
  layer: 4,
  // Medium: only key names are judged (values are never read or shown), so the evidence is weaker than a literal env value.
  severity: "medium",
  scope: "workload",
  why: "ConfigMaps are meant to be read widely: the built-in view role, most monitoring and CI service accounts and many operators can read every one of them, they are not covered by Secret encryption at rest, and they end up in Git and support bundles. A password, token or private key stored in a ConfigMap is readable by all of them.",
  references: { nsa: ["Network separation and hardening: secrets"], kubescape: ["C-0012"], polaris: ["sensitiveConfigmapContent"] },
  needs: [{ group: "", resource: "configmaps", optional: true }],
  evaluate(ctx) {
    const inv = ctx.inventory;
    const configMaps = inv.ofType("", "ConfigMap").filter((cm) => !inv.isSkippedNamespace(inv.namespaceOf(cm)));
    // The agent never lists ConfigMaps (a list returns their data); it reads only the few named in its
    // settings, keeping key names. A live snapshot without such ConfigMaps says nothing about the rest.
    if (ctx.mode === "cluster" && configMaps.length === 0) {
      ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
      return;
    }
    for (const cm of configMaps) {
      const violations: Violation[] = [];
      for (const field of ["data", "binaryData"] as const) {
        const entries = asRecord((cm as UnknownRecord)[field]) ?? {};
        for (const [key, value] of Object.entries(entries)) {
          if (!isSensitiveName(key)) continue;
          if (field === "data" && !isCredentialValue(value)) continue;
          // Key names only: a finding never carries the value.
          violations.push({ path: joinPath(field, key), message: `key "${key}" looks like a credential: store it in a Secret (or a secret manager) and mount it as a file` });
        }
      }
      ctx.record({ resource: cm }, verdict(violations));
    }
  },
  guide: `
Move the credential to a Secret (better: to an external secret manager synced into a Secret), mount it as a file, and rotate it: everyone who can read ConfigMaps may have seen it. Keys are judged by name only (\`password\`, \`db.password\`, \`API_TOKEN\`, \`tls.key\`, \`credentials.json\`); values are never read into findings. Live snapshots do not list ConfigMaps (the agent reads only the ConfigMaps named in its settings), so this check covers manifests, \`kubectl get -o json\` output and those named ConfigMaps.

## Fix

~~~sh
# copy the value into a Secret, then delete the key from the ConfigMap
kubectl -n <namespace> create secret generic app-credentials \\
  --from-literal=db-password="$(kubectl -n <namespace> get configmap app-config -o jsonpath='{.data.db\\.password}')"
kubectl -n <namespace> patch configmap app-config --type json -p '[{"op":"remove","path":"/data/db.password"}]'
~~~

~~~yaml
spec:
  template:
    spec:
      containers:
        - name: app
          volumeMounts:
            - name: credentials
              mountPath: /run/secrets/app
              readOnly: true
      volumes:
        - name: credentials
          secret:
            secretName: app-credentials
~~~

## Prevent

Reject ConfigMaps with credential-looking keys, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-credentials-in-configmaps
spec:
  rules:
    - name: no-credential-keys
      match:
        any:
          - resources:
              kinds: [ConfigMap]
      validate:
        failureAction: Enforce
        message: "Credentials belong in Secrets, not ConfigMaps."
        deny:
          conditions:
            any:
              - key: "{{ keys(request.object.data || \`{}\`)[?regex_match('(?i)(password|passwd|secret|token|api[-_.]?key|private[-_.]?key|credentials)$', @)] | length(@) }}"
                operator: GreaterThan
                value: 0
~~~

and scan manifests before they merge (gitleaks, \`kubescape scan\` control C-0012).
`,
});
