import type { KubeObject } from "@/lib/snapshot/schema";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import { CLUSTER_RESOURCE, defineCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import {
  clusterImagePolicies,
  clusterImagePolicyMode,
  ENGINE_SOURCES,
  gatekeeperConstraints,
  gatekeeperMode,
  kubewardenMode,
  kubewardenPolicies,
  kyvernoCelPolicies,
  kyvernoCheckRules,
  kyvernoPolicies,
  validationActionsMode,
  vapBindings,
  type PolicyMode,
} from "@/lib/engine/checks/helpers/admission-policies";

interface EnginePolicy {
  object: KubeObject;
  engine: string;
  mode: PolicyMode;
  /** Why it cannot enforce whatever its mode says (a binding to a missing policy, a policy without binding). */
  problem?: string;
}

/** Every policy of every engine, with the mode that decides whether it blocks. */
/** `policiesVisible`: whether ValidatingAdmissionPolicies could be listed (a binding's policy may only be unseen). */
export function enginePolicies(inv: Inventory, policiesVisible = true): EnginePolicy[] {
  const out: EnginePolicy[] = [];
  for (const policy of kyvernoPolicies(inv)) {
    const rules = kyvernoCheckRules(policy);
    if (rules.length === 0) continue; // mutate/generate only: nothing to enforce
    const enforcing = rules.find((r) => r.mode.enforcing);
    out.push({ object: policy, engine: "Kyverno", mode: enforcing ? enforcing.mode : rules[0]!.mode });
  }
  for (const policy of kyvernoCelPolicies(inv)) out.push({ object: policy, engine: "Kyverno", mode: validationActionsMode(policy) });
  for (const c of gatekeeperConstraints(inv)) out.push({ object: c, engine: "Gatekeeper", mode: gatekeeperMode(c) });
  for (const b of vapBindings(inv)) {
    if (b.policy || !policiesVisible) out.push({ object: b.binding, engine: "ValidatingAdmissionPolicy", mode: b.mode });
    else out.push({ object: b.binding, engine: "ValidatingAdmissionPolicy", mode: { enforcing: false, value: "", path: "spec.policyName" }, problem: `binds policy ${b.policyName || "(none)"}, which does not exist: nothing is enforced` });
  }
  const bound = new Set(vapBindings(inv).map((b) => b.policyName));
  for (const policy of inv.ofType("admissionregistration.k8s.io", "ValidatingAdmissionPolicy")) {
    if (!bound.has(policy.metadata.name)) out.push({ object: policy, engine: "ValidatingAdmissionPolicy", mode: { enforcing: false, value: "", path: RESOURCE_ITSELF }, problem: "has no ValidatingAdmissionPolicyBinding: it is never evaluated" });
  }
  for (const p of kubewardenPolicies(inv)) out.push({ object: p, engine: "Kubewarden", mode: kubewardenMode(p) });
  for (const p of clusterImagePolicies(inv)) out.push({ object: p, engine: "sigstore policy-controller", mode: clusterImagePolicyMode(p) });
  return out;
}

function notEnforcingMessage(p: EnginePolicy): string {
  const what = `${p.object.kind.startsWith(p.engine) ? "" : `${p.engine} `}${p.object.kind} ${p.object.metadata.name}`;
  if (p.problem) return `${what} ${p.problem}`;
  return `${what} only reports violations (${p.mode.value}): no admission policy in the cluster blocks anything`;
}

export const admissionPolicyEnforcement = defineCheck({
  id: "admission-policy-enforcement",
  title: "An admission policy engine blocks violations (not audit only)",
  layer: 2,
  severity: "medium",
  scope: "cluster",
  why: "Pod Security Admission covers pod fields only. Registries, image signatures, labels, RBAC objects, Services and Ingresses need a policy engine (Kyverno, Gatekeeper, ValidatingAdmissionPolicy) that rejects bad requests. In audit, dry-run or warn mode the engine writes reports while every request is still admitted, so the cluster drifts back to the state the policies describe as forbidden.",
  references: { cis: ["5.2.1"], nsa: ["Pod security: Pod security enforcement"] },
  needs: ENGINE_SOURCES.map((s) => ({ ...s, optional: true })),
  evaluate(ctx) {
    const policies = enginePolicies(ctx.inventory, ctx.canSee("admissionregistration.k8s.io", "validatingadmissionpolicies"));
    const enforcing = policies.filter((p) => p.mode.enforcing);
    if (enforcing.length > 0) {
      for (const p of enforcing) ctx.record({ resource: p.object }, pass());
      return;
    }
    if (policies.length > 0) {
      for (const p of policies) ctx.record({ resource: p.object }, fail(p.mode.path, notEnforcingMessage(p)));
      return;
    }
    const hidden = ENGINE_SOURCES.filter((s) => !ctx.canSee(s.group, s.resource)).map((s) => `${s.resource}.${s.group}`);
    if (hidden.length > 0) {
      ctx.record({ resource: CLUSTER_RESOURCE }, unknown(`no enforcing admission policy found, but these lists could not be read: ${hidden.join(", ")}`));
      return;
    }
    ctx.record({ resource: CLUSTER_RESOURCE }, fail(RESOURCE_ITSELF, "no admission policy engine policies found (Kyverno, Gatekeeper, ValidatingAdmissionPolicy, Kubewarden): only Pod Security Admission, if any, checks what is admitted"));
  },
  guide: `
The check passes when at least one policy blocks: a Kyverno \`validate\` or \`verifyImages\` rule whose action is Enforce (the rule's \`failureAction\`, else the deprecated \`spec.validationFailureAction\`; Kyverno's default is Audit), a Kyverno ValidatingPolicy or ImageValidatingPolicy with \`validationActions\` including Deny, a Gatekeeper constraint with \`enforcementAction: deny\` (the default), a ValidatingAdmissionPolicyBinding with \`validationActions\` including Deny for a policy that exists, a Kubewarden policy in \`protect\` mode, or a sigstore ClusterImagePolicy in \`enforce\` mode. When policies exist but none blocks, each is reported at the field that keeps it in audit mode. Policies staged in audit mode next to enforcing ones are fine.

## Fix

Move the policies you have validated in audit mode to enforcement:

~~~yaml
# Kyverno: per rule (Kyverno 1.13+)
spec:
  rules:
    - name: require-run-as-non-root
      validate:
        failureAction: Enforce      # was Audit
---
# Gatekeeper constraint
spec:
  enforcementAction: deny           # was dryrun or warn
---
# ValidatingAdmissionPolicyBinding
spec:
  validationActions: [Deny]         # was [Audit] or [Warn]
~~~

~~~sh
# check what would be blocked before switching: the engines' reports
kubectl get policyreports -A
kubectl get constraints -o custom-columns=NAME:.metadata.name,ACTION:.spec.enforcementAction,VIOLATIONS:.status.totalViolations
~~~

## Prevent

Keep the engine's policies in Git with the enforcement mode reviewed like code, and stop the mode from being downgraded in place with a policy on the policies themselves, for example with a ValidatingAdmissionPolicy:

~~~yaml
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: kyverno-policies-enforce
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: ["kyverno.io"]
        apiVersions: ["*"]
        operations: [CREATE, UPDATE]
        resources: [clusterpolicies]
  validations:
    - expression: >-
        !has(object.spec.rules) || object.spec.rules.all(r, !has(r.validate) ||
        (has(r.validate.failureAction) && r.validate.failureAction == 'Enforce'))
      message: "ClusterPolicies must enforce; stage new rules in a separate, clearly named audit policy."
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: kyverno-policies-enforce
spec:
  policyName: kyverno-policies-enforce
  validationActions: [Deny]
~~~
`,
});
