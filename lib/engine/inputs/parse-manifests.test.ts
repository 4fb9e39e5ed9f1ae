import { describe, expect, it } from "vitest";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { InputError } from "@/lib/engine/inputs/input-error";

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("expected an InputError");
}

describe("parseManifests", () => {
  it("reads multi-document YAML with Helm source comments and records each object's line", () => {
    const text = [
      "---",
      "# Source: web/templates/sa.yaml",
      "apiVersion: v1",
      "kind: ServiceAccount",
      "metadata:",
      "  name: web",
      "---",
      "# Source: web/templates/deploy.yaml",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: web",
      "  namespace: shop",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: app",
      "          image: nginx",
      "---",
      "",
    ].join("\n");
    const parsed = parseManifests(text, "web.yaml");
    expect(parsed.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["ServiceAccount/web", "Deployment/web"]);
    expect(parsed.sources).toEqual([
      { file: "web.yaml", documentIndex: 0, itemPath: [], line: 3, column: 1 },
      { file: "web.yaml", documentIndex: 1, itemPath: [], line: 9, column: 1 },
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it("reads YAML 1.1 scalars the way kubectl does", () => {
    const parsed = parseManifests("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: yes\n  mode: 0644\n", "p.yaml");
    const spec = parsed.objects[0]!.spec as { hostNetwork: unknown; mode: unknown };
    expect(spec.hostNetwork).toBe(true);
    expect(spec.mode).toBe(420);
  });

  it("flattens List kinds, nested Lists included, with item paths and lines", () => {
    const text = [
      "apiVersion: v1",
      "kind: List",
      "items:",
      "  - apiVersion: v1",
      "    kind: Namespace",
      "    metadata: {name: a}",
      "  - apiVersion: v1",
      "    kind: List",
      "    items:",
      "      - apiVersion: v1",
      "        kind: Namespace",
      "        metadata: {name: b}",
    ].join("\n");
    const parsed = parseManifests(text, "list.yaml");
    expect(parsed.objects.map((o) => o.metadata.name)).toEqual(["a", "b"]);
    expect(parsed.sources[0]).toMatchObject({ itemPath: ["items", 0], line: 4 });
    expect(parsed.sources[1]).toMatchObject({ itemPath: ["items", 1, "items", 0], line: 10 });
  });

  it("reads `kubectl get -A -o json` output", () => {
    const kubectl = {
      apiVersion: "v1",
      kind: "List",
      metadata: { resourceVersion: "" },
      items: [
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "prod" }, spec: {} },
        { apiVersion: "v1", kind: "Pod", metadata: { name: "api-1", namespace: "prod" }, spec: {} },
      ],
    };
    const parsed = parseManifests(JSON.stringify(kubectl, null, 2), "cluster.json");
    expect(parsed.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual(["Deployment/prod/api", "Pod/prod/api-1"]);
    expect(parsed.sources[1]).toMatchObject({ file: "cluster.json", itemPath: ["items", 1] });
  });

  it("fills kind and apiVersion of typed list items (PodList from the API)", () => {
    const parsed = parseManifests(JSON.stringify({ apiVersion: "v1", kind: "PodList", items: [{ metadata: { name: "p", namespace: "x" } }] }), "pods.json");
    expect(parsed.objects[0]).toMatchObject({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } });
  });

  it("names the file and line of a YAML syntax error", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n  namespace: x\n";
    const err = errorOf(() => parseManifests(text, "bad.yaml"));
    expect(err.source).toBe("bad.yaml");
    expect(err.line).toBeGreaterThanOrEqual(9);
    expect(err.line).toBeLessThanOrEqual(11);
    expect(err.message).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML/);
  });

  it("locates invalid JSON by line", () => {
    const err = errorOf(() => parseManifests('{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p",}\n  oops\n}', "bad.json"));
    expect(err.message).toMatch(/^bad\.json:\d+/);
    expect(err.problem).toMatch(/invalid JSON/);
  });

  it("hints at helm template for unrendered charts", () => {
    const err = errorOf(() => parseManifests("apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{- include \"x\" . | nindent 4 }}\n", "templates/svc.yaml"));
    expect(err.problem).toMatch(/helm template/);
  });

  it("rejects an object without metadata.name, naming kind and line", () => {
    const err = errorOf(() => parseManifests("apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: {a: b}\n", "ns.yaml"));
    expect(err.problem).toBe("Namespace has no metadata.name");
    expect(err.line).toBe(1);
  });

  it("rejects unquoted non-string label values like the API server does", () => {
    const err = errorOf(() => parseManifests("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    version: 2\n", "ns.yaml"));
    expect(err.problem).toMatch(/metadata\.labels\["version"\] must be a string/);
  });

  it("names the list item when JSON gives no line", () => {
    const err = errorOf(() => parseManifests(JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "a" } }, { apiVersion: "v1", kind: "Pod", metadata: {} }] }), "c.json"));
    expect(err.message).toBe("c.json: items[1]: Pod has no metadata.name");
  });

  it("skips non-Kubernetes documents with a warning instead of failing", () => {
    const parsed = parseManifests("replicaCount: 2\nimage: {tag: x}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", "values.yaml");
    expect(parsed.objects).toHaveLength(1);
    expect(parsed.warnings).toEqual([{ file: "values.yaml", line: 1, message: expect.stringMatching(/not a Kubernetes object/) }]);
  });

  it("explains YAML 1.1 booleans in names", () => {
    const err = errorOf(() => parseManifests("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: no}\n", "p.yaml"));
    expect(err.problem).toMatch(/metadata\.namespace must be a string \(YAML reads y, n, yes, no, on and off as booleans/);
  });

  it("rejects a scalar document", () => {
    const err = errorOf(() => parseManifests("just text\n", "t.yaml"));
    expect(err.problem).toMatch(/expected a Kubernetes object/);
  });

  it("gives an empty result for empty and comment-only input", () => {
    expect(parseManifests("", "e.yaml").objects).toEqual([]);
    expect(parseManifests("# nothing\n---\n---\n", "e.yaml").objects).toEqual([]);
  });
});
