import { describe, expect, it } from "vitest";
import { createFieldLocator } from "@/lib/engine/inputs/field-locator";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";

const text = [
  "apiVersion: v1", // 1
  "kind: Namespace",
  "metadata:",
  "  name: shop",
  "  labels:", // 5
  "    pod-security.kubernetes.io/enforce: baseline",
  "---",
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata: {name: web, namespace: shop}", // 10
  "spec:",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: a", // 15
  "          image: a",
  "        - name: b",
  "          image: b",
  "          securityContext:",
  "            privileged: true", // 20
].join("\n");

describe("createFieldLocator", () => {
  const parsed = parseManifests(text, "f.yaml");
  const locate = createFieldLocator(text);

  it("finds the line of a nested field through list indexes", () => {
    expect(locate(parsed.sources[1]!, "spec.template.spec.containers[1].securityContext.privileged")).toEqual({ line: 20, column: 13, exact: true });
  });

  it("finds keys that need bracket notation", () => {
    expect(locate(parsed.sources[0]!, 'metadata.labels["pod-security.kubernetes.io/enforce"]')).toMatchObject({ line: 6, exact: true });
  });

  it("falls back to the nearest existing parent for a missing field", () => {
    expect(locate(parsed.sources[1]!, "spec.template.spec.containers[0].securityContext.runAsNonRoot")).toEqual({ line: 15, column: 11, exact: false });
  });

  it("locates list items of kubectl JSON output", () => {
    const json = JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "a" } }, { apiVersion: "v1", kind: "Pod", metadata: { name: "b" }, spec: { hostPID: true } }] }, null, 2);
    const fromJson = parseManifests(json, "c.json");
    const line = createFieldLocator(json)(fromJson.sources[1]!, "spec.hostPID");
    expect(line?.exact).toBe(true);
    expect(json.split("\n")[line!.line - 1]).toContain('"hostPID": true');
  });
});
