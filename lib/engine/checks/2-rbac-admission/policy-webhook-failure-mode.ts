import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, notApplicable, pass, verdict } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";
import { kyvernoCheckRules, kyvernoPolicies, vapBindings } from "@/lib/engine/checks/helpers/admission-policies";

const ADMISSION_GROUP = "admissionregistration.k8s.io";

/**
 * The webhooks through which policy engines enforce, by webhook name or backing Service. Kyverno:
 * only its "*.kyverno.svc-fail" webhooks (validate, mutate, image verification), which serve the
 * policies that want to fail closed; its other webhooks (policy syntax, cleanup, health) are
 * not enforcement points, and its "-ignore" webhooks serve policies that chose Ignore, reported
 * on those policies. sigstore: the "policy.sigstore.dev" webhook, not the one validating its CRDs.
 */
const ENGINES: readonly { name: string; test: (webhook: string, service: string, namespace: string) => boolean }[] = [
  { name: "Gatekeeper", test: (w) => w.endsWith(".gatekeeper.sh") },
  { name: "Kyverno", test: (w) => w.endsWith(".kyverno.svc-fail") },
  { name: "sigstore policy-controller", test: (w) => w === "policy.sigstore.dev" },
  { name: "Kubewarden", test: (w) => w.endsWith(".kubewarden.admission") },
  { name: "Ratify", test: (w, s) => w.includes("ratify") || s === "ratify" },
  { name: "Connaisseur", test: (w, s) => w.includes("connaisseur") || s.includes("connaisseur") },
  { name: "OPA", test: (w) => w.endsWith("openpolicyagent.org") },
];

function engineOf(webhook: UnknownRecord): string | undefined {
  const name = asString(webhook.name) ?? "";
  const service = asRecord(asRecord(webhook.clientConfig)?.service);
  return ENGINES.find((e) => e.test(name, asString(service?.name) ?? "", asString(service?.namespace) ?? ""))?.name;
}

/** Engine webhooks of a configuration. Mutating webhooks count only for Kyverno (image verification runs there). */
function enforcingWebhooks(config: KubeObject): { webhook: UnknownRecord; index: number; engine: string }[] {
  const out: { webhook: UnknownRecord; index: number; engine: string }[] = [];
  asArray((config as UnknownRecord).webhooks).forEach((w, index) => {
    const webhook = asRecord(w);
    if (!webhook) return;
    const engine = engineOf(webhook);
    if (!engine) return;
    if (config.kind === "MutatingWebhookConfiguration" && engine !== "Kyverno") return;
    out.push({ webhook, index, engine });
  });
  return out;
}

export const policyWebhookFailureMode = defineCheck({
  id: "policy-webhook-failure-mode",
  title: "Policy engine webhooks and policies fail closed",
  layer: 2,
  severity: "medium",
  scope: "cluster",
  why: "With failurePolicy Ignore, a request is admitted unchecked whenever the policy engine does not answer in time: during an upgrade, a crash, a network policy mistake, or a deliberate overload. An attacker who can slow the webhook down (or wait for it to restart) gets privileged pods and unsigned images past every policy.",
  references: { nsa: ["Pod security: Pod security enforcement"] },
  needs: [
    { group: ADMISSION_GROUP, resource: "validatingwebhookconfigurations" },
    { group: ADMISSION_GROUP, resource: "mutatingwebhookconfigurations", optional: true },
    { group: "kyverno.io", resource: "clusterpolicies", optional: true },
    { group: "kyverno.io", resource: "policies", optional: true },
    { group: ADMISSION_GROUP, resource: "validatingadmissionpolicies", optional: true },
  ],
  evaluate(ctx) {
    const inv = ctx.inventory;
    let evaluated = 0;
    for (const config of [...inv.ofType(ADMISSION_GROUP, "ValidatingWebhookConfiguration"), ...inv.ofType(ADMISSION_GROUP, "MutatingWebhookConfiguration")]) {
      const webhooks = enforcingWebhooks(config);
      if (webhooks.length === 0) {
        ctx.record({ resource: config }, notApplicable());
        continue;
      }
      evaluated++;
      const violations: Violation[] = webhooks
        .filter(({ webhook }) => webhook.failurePolicy === "Ignore")
        .map(({ webhook, index, engine }) => ({
          path: `webhooks[${index}].failurePolicy`,
          message: `${engine} webhook ${asString(webhook.name) ?? `#${index}`} fails open (failurePolicy: Ignore): requests are admitted unchecked when the engine does not answer`,
        }));
      ctx.record({ resource: config }, verdict(violations));
    }
    // Kyverno policies that enforce but chose to fail open.
    for (const policy of kyvernoPolicies(inv)) {
      if (!kyvernoCheckRules(policy).some((r) => r.mode.enforcing)) continue;
      evaluated++;
      const spec = asRecord((policy as UnknownRecord).spec);
      const viaConfig = asRecord(spec?.webhookConfiguration)?.failurePolicy;
      const [value, path] = viaConfig !== undefined ? [viaConfig, "spec.webhookConfiguration.failurePolicy"] : [spec?.failurePolicy, "spec.failurePolicy"];
      ctx.record({ resource: policy }, value === "Ignore" ? verdict([{ path, message: `Kyverno ${policy.kind} ${policy.metadata.name} enforces but fails open (failurePolicy: Ignore): its rules are skipped whenever Kyverno does not answer` }]) : pass());
    }
    // ValidatingAdmissionPolicies that deny, but let requests through when their expressions cannot be evaluated.
    const denying = new Set(vapBindings(inv).filter((b) => b.mode.enforcing).map((b) => b.policyName));
    for (const policy of inv.ofType(ADMISSION_GROUP, "ValidatingAdmissionPolicy")) {
      if (!denying.has(policy.metadata.name)) continue;
      evaluated++;
      const value = asRecord((policy as UnknownRecord).spec)?.failurePolicy;
      ctx.record({ resource: policy }, value === "Ignore" ? verdict([{ path: "spec.failurePolicy", message: `ValidatingAdmissionPolicy ${policy.metadata.name} denies, but fails open (failurePolicy: Ignore) when its expressions or parameters cannot be evaluated` }]) : pass());
    }
    if (evaluated === 0) ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
  },
  guide: `
Evaluated: the validating webhooks of known policy engines (Gatekeeper, Kyverno's \`*.kyverno.svc-fail\` webhooks, sigstore policy-controller, Kubewarden, Ratify, Connaisseur, OPA), Kyverno's mutating \`*.kyverno.svc-fail\` webhooks (image verification runs there), Kyverno policies that enforce (\`spec.webhookConfiguration.failurePolicy\`, or the deprecated \`spec.failurePolicy\`), and ValidatingAdmissionPolicies bound with Deny (\`spec.failurePolicy\`). \`failurePolicy: Ignore\` fails; \`Fail\`, the API default, passes. Kyverno's \`-ignore\` webhooks exist only for the policies that chose Ignore, which are reported on the policies themselves. Note that Gatekeeper installs its validating webhook with Ignore by default.

## Fix

~~~yaml
# Gatekeeper (Helm values)
validatingWebhookFailurePolicy: Fail
---
# Kyverno policy
spec:
  webhookConfiguration:
    failurePolicy: Fail
---
# a webhook configuration managed by hand
webhooks:
  - name: validation.gatekeeper.sh
    failurePolicy: Fail
    timeoutSeconds: 10
~~~

Failing closed makes the engine's availability matter: run it with several replicas, a PodDisruptionBudget and a high PriorityClass, and exclude its own namespace (and kube-system) from its webhook so it can always restart:

~~~sh
helm upgrade gatekeeper gatekeeper/gatekeeper -n gatekeeper-system --reuse-values \\
  --set validatingWebhookFailurePolicy=Fail --set replicas=3
~~~

## Prevent

Alert when the engine's webhooks change or its pods are not ready, and keep the webhook configuration under GitOps so a manual switch to Ignore is reverted. A ValidatingAdmissionPolicy can refuse the downgrade outright:

~~~yaml
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: policy-webhooks-fail-closed
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: ["admissionregistration.k8s.io"]
        apiVersions: ["v1"]
        operations: [CREATE, UPDATE]
        resources: [validatingwebhookconfigurations]
  validations:
    - expression: >-
        !object.metadata.name.startsWith('gatekeeper-') ||
        object.webhooks.all(w, !has(w.failurePolicy) || w.failurePolicy == 'Fail')
      message: "Policy engine webhooks must fail closed."
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: policy-webhooks-fail-closed
spec:
  policyName: policy-webhooks-fail-closed
  validationActions: [Deny]
~~~
`,
});
