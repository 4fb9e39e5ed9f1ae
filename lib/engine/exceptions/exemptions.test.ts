import { describe, expect, it } from "vitest";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { privilegedContainer } from "@/lib/engine/checks/2-rbac-admission/privileged-container";
import { hostNamespaces } from "@/lib/engine/checks/2-rbac-admission/host-namespaces";
import { exceptionRulesSchema, globToRegExp, type ExceptionRule } from "@/lib/engine/exceptions/exception-rule";
import { parseExemptAnnotation } from "@/lib/engine/exceptions/exemptions";

const manifests = parseManifests(
  [
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: tools, annotations: {ramparts.dev/exempt: 'host-namespaces'}}",
    "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: tools, labels: {team: infra}}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers: [{name: a, image: x, securityContext: {privileged: true}}]",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web-1, namespace: shop, annotations: {ramparts.dev/exempt: 'run-as-root, privileged-container'}}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x, securityContext: {privileged: true}}]",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web-2, namespace: shop}\nspec:\n  template:\n    metadata: {annotations: {ramparts.dev/exempt: privileged-container}}\n    spec:\n      containers: [{name: a, image: x, securityContext: {privileged: true}}]",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop, labels: {team: payments}}\nspec:\n  template:\n    spec:\n      containers: [{name: main, image: x, securityContext: {privileged: true}}, {name: debug, image: x, securityContext: {privileged: true}}]",
  ].join("\n---\n"),
  "t.yaml",
);

const NOW = new Date("2026-11-01T00:00:00Z");
const run = (exceptions: ExceptionRule[] = []) => evaluate(manifests, { now: NOW, checks: [privilegedContainer, hostNamespaces], exceptions });
const statusOf = (report: ReturnType<typeof run>, checkId: string, name: string, container?: string) =>
  report.findings.filter((f) => f.checkId === checkId && f.resource.name === name && (container === undefined || f.container === container)).map((f) => f.status);

describe("exceptions", () => {
  it("parses the annotation list", () => {
    expect([...parseExemptAnnotation(" a-b ,c,, ")]).toEqual(["a-b", "c"]);
    expect(parseExemptAnnotation(undefined).size).toBe(0);
  });

  it("applies annotations on the workload, its pod template and its namespace, for the named checks only", () => {
    const r = run();
    expect(statusOf(r, "privileged-container", "web-1")).toEqual(["excepted"]);
    expect(r.findings.find((f) => f.resource.name === "web-1")!.exception).toEqual({ source: "annotation", on: "resource" });
    expect(statusOf(r, "privileged-container", "web-2")).toEqual(["excepted"]);
    expect(r.findings.find((f) => f.resource.name === "web-2")!.exception).toEqual({ source: "annotation", on: "pod-template" });
    expect(statusOf(r, "host-namespaces", "agent")).toEqual(["excepted"]);
    // The namespace exempts host-namespaces, not privileged-container.
    expect(statusOf(r, "privileged-container", "agent")).toEqual(["fail"]);
  });

  it("applies rules by check, namespace glob, kind, name glob, label and container; records what each rule matched", () => {
    const rules: ExceptionRule[] = [
      { id: "infra", checkId: "privileged-container", labels: { team: "infra" }, reason: "node agent" },
      { id: "debug", checkId: "privileged-container", namespace: "sh*", kind: "Deployment", name: "a?i", container: "debug", reason: "debug sidecar" },
      { id: "wrong-kind", checkId: "privileged-container", kind: "StatefulSet", reason: "never matches" },
    ];
    const r = run(rules);
    expect(statusOf(r, "privileged-container", "agent")).toEqual(["excepted"]);
    expect(statusOf(r, "privileged-container", "api", "debug")).toEqual(["excepted"]);
    expect(statusOf(r, "privileged-container", "api", "main")).toEqual(["fail"]);
    expect(r.findings.find((f) => f.container === "debug")!.exception).toEqual({ source: "rule", id: "debug", reason: "debug sidecar" });
    expect(r.exceptions.map((e) => [e.id, e.state, e.matched])).toEqual([["infra", "active", 1], ["debug", "active", 1], ["wrong-kind", "active", 0]]);
  });

  it("stops applying a rule at its expiry, judged against the `now` passed in", () => {
    const rule: ExceptionRule = { checkId: "*", namespace: "shop", reason: "migration", expiresAt: "2026-11-01T00:00:00Z" };
    const expired = run([rule]);
    expect(statusOf(expired, "privileged-container", "api")).toEqual(["fail", "fail"]);
    expect(expired.exceptions[0]).toMatchObject({ state: "expired", matched: 0 });
    const active = evaluate(manifests, { now: new Date("2026-10-31T23:59:59Z"), checks: [privilegedContainer], exceptions: [rule] });
    expect(statusOf(active, "privileged-container", "api")).toEqual(["excepted", "excepted"]);
  });

  it("counts one outcome per container: excepting one container leaves its sibling failing", () => {
    const r = run([{ checkId: "privileged-container", name: "api", container: "debug", reason: "x" }]);
    const summary = r.checks.find((c) => c.id === "privileged-container")!;
    // agent and api/main fail; api/debug, web-1 and web-2 are excepted.
    expect(summary.counts).toMatchObject({ fail: 2, excepted: 3, pass: 0 });
  });

  it("validates rules: reason required, known fields only, ISO expiry", () => {
    expect(exceptionRulesSchema.safeParse([{ checkId: "privileged-container", reason: " " }]).success).toBe(false);
    expect(exceptionRulesSchema.safeParse([{ checkId: "privileged-container", reason: "x", team: "a" }]).success).toBe(false);
    expect(exceptionRulesSchema.safeParse([{ checkId: "privileged-container", reason: "x", expiresAt: "next week" }]).success).toBe(false);
    expect(exceptionRulesSchema.safeParse([{ checkId: "Bad Id", reason: "x" }]).success).toBe(false);
    expect(exceptionRulesSchema.safeParse([{ checkId: "*", reason: "x", expiresAt: "2027-01-01T00:00:00Z" }]).success).toBe(true);
  });

  it("matches globs anchored, escaping regex characters", () => {
    expect(globToRegExp("team-*").test("team-a")).toBe(true);
    expect(globToRegExp("team-*").test("xteam-a")).toBe(false);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
  });
});
