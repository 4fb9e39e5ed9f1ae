import { defineCheck, notApplicable, verdict } from "@/lib/engine/checks/define";
import { asArray, asRecord, asString } from "@/lib/engine/model/kube";
import type { Violation } from "@/lib/engine/model/check";

/** A TLS entry covers a host when it lists it, matches it with a one-level wildcard, or lists no hosts (the controller's default certificate). */
function covers(tlsHosts: readonly (readonly string[] | null)[], host: string): boolean {
  return tlsHosts.some((hosts) => {
    if (hosts === null) return true;
    return hosts.some((h) => h === host || (h.startsWith("*.") && host.endsWith(h.slice(1)) && !host.slice(0, -h.length + 1).includes(".")));
  });
}

export const ingressTls = defineCheck({
  id: "ingress-tls",
  title: "Ingress hosts are served over TLS",
  layer: 3,
  severity: "medium",
  scope: "workload",
  why: "An Ingress host without a TLS entry is served in plain HTTP: session cookies, bearer tokens and form posts cross the network readable and alterable by anyone on the path, and browsers cannot pin the site with HSTS. TLS at the ingress is the one place where every external request can be encrypted and authenticated.",
  references: { nsa: ["Network separation and hardening"], kubescape: ["C-0263"] },
  needs: [{ group: "networking.k8s.io", resource: "ingresses" }],
  evaluate(ctx) {
    const inv = ctx.inventory;
    for (const ingress of inv.ofType("networking.k8s.io", "Ingress")) {
      if (inv.isSkippedNamespace(inv.namespaceOf(ingress))) continue;
      const spec = asRecord(ingress.spec);
      const tls = asArray(spec?.tls).map((entry) => {
        const hosts = asArray(asRecord(entry)?.hosts).map((h) => asString(h)).filter((h): h is string => Boolean(h));
        return hosts.length ? hosts : null;
      });
      const rules = asArray(spec?.rules);
      if (rules.length === 0 && !spec?.defaultBackend) {
        ctx.record({ resource: ingress }, notApplicable());
        continue;
      }
      const violations: Violation[] = [];
      rules.forEach((rule, i) => {
        const host = asString(asRecord(rule)?.host);
        if (!host) {
          if (tls.length === 0) violations.push({ path: `spec.rules[${i}]`, message: "the catch-all rule (no host) is served without TLS: add a host and a spec.tls entry for it" });
          return;
        }
        if (!covers(tls, host)) violations.push({ path: `spec.rules[${i}].host`, message: `host ${host} has no spec.tls entry: it is served over plain HTTP` });
      });
      if (rules.length === 0 && tls.length === 0) {
        violations.push({ path: "spec.defaultBackend", message: "the default backend is served without TLS: add a spec.tls entry" });
      }
      ctx.record({ resource: ingress }, verdict(violations));
    }
  },
  guide: `
Add a \`spec.tls\` entry for every host, with a certificate in a Secret of the Ingress's namespace. cert-manager issues and renews it when the Ingress carries its annotation.

## Fix

~~~yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: frontend, port: {number: 80}}
~~~

Most controllers then redirect HTTP to HTTPS by themselves (ingress-nginx does when a TLS entry exists); also send \`Strict-Transport-Security\`.

## Prevent

Refuse Ingresses whose hosts lack TLS, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-ingress-tls
spec:
  rules:
    - name: tls-for-every-host
      match:
        any:
          - resources:
              kinds: [Ingress]
      validate:
        failureAction: Enforce
        message: "Every Ingress host needs a spec.tls entry."
        deny:
          conditions:
            any:
              - key: "{{ request.object.spec.rules[].host || \`[]\` }}"
                operator: AnyNotIn
                value: "{{ request.object.spec.tls[].hosts[] || \`[]\` }}"
~~~
`,
});
