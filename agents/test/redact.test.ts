import { describe, expect, it } from "vitest";
import { REDACTED } from "@/lib/snapshot/redaction";
import { maskCredentialsInText, redactArgs } from "../src/redact/credential-patterns";
import { reduceConfigMapData } from "../src/redact/named-configmaps";
import { redactObject } from "../src/redact/redact-object";
import type { KubeObject } from "@/lib/snapshot/schema";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { serviceExposure, SERVICE_EXPOSURE_ANNOTATIONS } from "@/lib/engine/checks/3-network/service-exposure";
import { PLATFORM_BINDING_ANNOTATION } from "@/lib/engine/checks/helpers/rbac-public-subjects";

describe("command-line redaction", () => {
  it("masks credential flag values in both forms and keeps the flags the checks read", () => {
    expect(
      redactArgs([
        "--password=hunter2hunter2",
        "--api-key",
        "abcd1234abcd",
        "--encryption-provider-config=/etc/kubernetes/enc.yaml",
        "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
        "--anonymous-auth=false",
        "--authorization-mode=Node,RBAC",
        "--token-auth-file=/etc/tokens.csv",
        "--db=postgres://app:s3cretpw@db:5432/app",
        "--token",
        "--verbose",
      ]),
    ).toEqual([
      `--password=${REDACTED}`,
      "--api-key",
      REDACTED,
      "--encryption-provider-config=/etc/kubernetes/enc.yaml",
      "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
      "--anonymous-auth=false",
      "--authorization-mode=Node,RBAC",
      "--token-auth-file=/etc/tokens.csv",
      `--db=postgres://app:${REDACTED}@db:5432/app`,
      "--token",
      "--verbose",
    ]);
  });

  it("masks credentials inside shell strings and free text", () => {
    expect(maskCredentialsInText("export API_TOKEN=abc123def456; run --x")).toBe(`export API_TOKEN=${REDACTED}; run --x`);
    expect(maskCredentialsInText("curl -H 'Authorization: Bearer abcd3fgh1jklmnop'")).toContain(`Bearer ${REDACTED}`);
    expect(maskCredentialsInText("key AKIAABCDEFGHIJKLMNOP here")).toBe(`key ${REDACTED} here`);
    expect(maskCredentialsInText("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")).toBe(REDACTED);
    expect(maskCredentialsInText("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")).toBe(REDACTED);
    expect(maskCredentialsInText("replicas: 3, image: nginx:1.27")).toBe("replicas: 3, image: nginx:1.27");
  });
});

describe("object redaction", () => {
  it("is idempotent (push redacts collected files again)", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", "x/y": "z" } }, spec: { containers: [{ name: "c", env: [{ name: "A", value: "b" }], args: ["--password=abcdefgh"] }] } };
    const once = redactObject(pod);
    expect(redactObject(once)).toEqual(once);
    expect(once?.metadata.annotations).toEqual({ "x/y": REDACTED });
  });

  it("drops List wrappers and nameless objects, keeps Kubernetes shape", () => {
    expect(redactObject({ apiVersion: "v1", kind: "List", metadata: { name: "x" }, items: [] })).toBeNull();
    expect(redactObject({ apiVersion: "v1", kind: "Pod", metadata: {} })).toBeNull();
    expect(redactObject({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", managedFields: [{}] }, spec: { replicas: 2 } })).toEqual({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: 2 } });
  });

  it("keeps only derived keys of named ConfigMaps", () => {
    expect(reduceConfigMapData("kube-system", "cilium-config", { "enable-policy": "always", "enable-hubble": "true", "clustermesh-secret": "x", "cluster-name": "a b c $(pw)" })).toEqual({ "enable-policy": "always", "enable-hubble": "true", "cluster-name": REDACTED });
    const kubeadm = reduceConfigMapData("kube-system", "kubeadm-config", { ClusterConfiguration: "apiServer:\n  extraArgs:\n  - name: oidc-client-secret\n    value: s3cr3t\n  - name: audit-policy-file\n    value: /etc/audit.yaml\n" });
    expect(kubeadm.ClusterConfiguration).toContain("value: /etc/audit.yaml");
    expect(kubeadm.ClusterConfiguration).not.toContain("s3cr3t");
    expect(reduceConfigMapData("default", "app", { DATABASE_URL: "postgres://u:p@h/db" })).toEqual({ DATABASE_URL: REDACTED });
  });
});

describe("what redaction leaves alone", () => {
  it("keeps image references, host:port pairs and prose exact", () => {
    const pod = redactObject({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "token-service:1.4.2", args: ["--upstream=secret-store:8200"] }] } });
    expect(pod?.spec).toEqual({ containers: [{ name: "c", image: "token-service:1.4.2", args: ["--upstream=secret-store:8200"] }] });
    expect(maskCredentialsInText("Uses Basic authentication and Token rotation")).toBe("Uses Basic authentication and Token rotation");
    expect(maskCredentialsInText('{"password":"abcdefgh1"}')).toBe(`{"password":"${REDACTED}"}`);
    expect(maskCredentialsInText("password: abcdefgh1")).toBe(`password: ${REDACTED}`);
  });

  it("masks a Ramparts agent token wherever it appears", () => {
    const token = `rpa_${"A1b2C3d4".repeat(5)}xyz`;
    expect(maskCredentialsInText(`token for the agent ${token}`)).not.toContain(token);
  });
});

describe("annotations the engine reads", () => {
  it("keeps every annotation the service-exposure check reads, so an internal load balancer passes on a live cluster", () => {
    for (const key of SERVICE_EXPOSURE_ANNOTATIONS) {
      const svc = redactObject({ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "a", annotations: { [key]: "internal" } } });
      expect(svc?.metadata.annotations?.[key], key).toBe("internal");
    }
    // Through the agent's redaction and into the engine, as a live snapshot travels.
    const lb = (annotations: Record<string, string>) =>
      redactObject({ apiVersion: "v1", kind: "Service", metadata: { name: "admin", namespace: "shop", annotations }, spec: { type: "LoadBalancer", ports: [{ port: 443 }], selector: { app: "admin" } } })!;
    const verdictFor = (svc: KubeObject) => {
      const report = evaluate({ objects: [svc], coverage: [{ group: "", version: "v1", resource: "services", status: "ok" }, { group: "", version: "v1", resource: "pods", status: "ok" }] }, { now: "2026-11-28T00:00:00Z", checks: [serviceExposure] });
      return report.checks[0]!.status;
    };
    expect(verdictFor(lb({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }))).toBe("pass");
    expect(verdictFor(lb({ "networking.gke.io/load-balancer-type": "Internal" }))).toBe("pass");
    expect(verdictFor(lb({ "service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/8" }))).toBe("pass");
    expect(verdictFor(lb({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" }))).toBe("fail");
    // An annotation no check reads still travels redacted.
    expect(lb({ "example.com/owner": "team-a" }).metadata.annotations).toEqual({ "example.com/owner": REDACTED });
  });

  it("keeps OpenShift's mark on the RBAC bindings it maintains", () => {
    const binding = redactObject({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "system:basic-users", annotations: { [PLATFORM_BINDING_ANNOTATION]: "true" } } });
    expect(binding?.metadata.annotations).toEqual({ [PLATFORM_BINDING_ANNOTATION]: "true" });
  });

  it("keeps Ramparts exemptions and Pod Security labels exact", () => {
    const binding = redactObject({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "b", annotations: { "ramparts.dev/exempt": "cluster-admin-binding", "ramparts.dev/exempt-reason": "GitOps controller", "example.com/owner": "team-a" } } });
    expect(binding?.metadata.annotations).toEqual({ "ramparts.dev/exempt": "cluster-admin-binding", "ramparts.dev/exempt-reason": "GitOps controller", "example.com/owner": REDACTED });
  });
});
