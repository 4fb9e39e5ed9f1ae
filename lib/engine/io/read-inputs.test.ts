import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { readInputs } from "@/lib/engine/io/read-inputs";
import { InputError } from "@/lib/engine/inputs/input-error";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ramparts-read-"));
  await mkdir(path.join(dir, "b-sub"));
  await mkdir(path.join(dir, ".git"));
  await writeFile(path.join(dir, "a.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
  await writeFile(path.join(dir, "b-sub", "c.yml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: d}\n");
  await writeFile(path.join(dir, "b-sub", "e.json"), JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "e" } }));
  await writeFile(path.join(dir, "README.md"), "# not a manifest\n");
  await writeFile(path.join(dir, ".git", "x.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: hidden}\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readInputs", () => {
  it("walks a directory recursively in a stable order, skipping hidden folders and other files", async () => {
    const input = await readInputs(dir);
    expect(input.objects.map((o) => o.metadata.name)).toEqual(["a", "c", "d", "e"]);
    expect(input.sources?.[2]).toMatchObject({ file: path.join(dir, "b-sub", "c.yml"), documentIndex: 1, line: 5 });
  });

  it("reads stdin for '-'", async () => {
    const input = await readInputs("-", { stdin: Readable.from(["apiVersion: v1\nkind: Namespace\n", "metadata: {name: s}\n"]) });
    expect(input.objects[0]?.metadata.name).toBe("s");
    expect(input.sources?.[0]?.file).toBe("<stdin>");
  });

  it("recognizes an agent snapshot and keeps its coverage and cluster identity", async () => {
    const file = path.join(dir, "snap.json.snapshot");
    const snapshot = {
      schemaVersion: "1.0",
      agent: { version: "0.1.0" },
      cluster: { uid: "u-1", kubernetesVersion: "v1.31.2", provider: { name: "eks", evidence: [] } },
      collectedAt: "2026-11-01T00:00:00Z",
      coverage: [{ group: "", version: "v1", resource: "pods", status: "forbidden" }],
      objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } }],
    };
    await writeFile(file, JSON.stringify(snapshot));
    const input = await readInputs(file);
    expect(input.cluster).toMatchObject({ provider: "eks", kubernetesVersion: "v1.31.2", uid: "u-1" });
    expect(input.coverage).toEqual(snapshot.coverage);
  });

  it("names the field when a snapshot is invalid", async () => {
    const file = path.join(dir, "bad-snapshot.txt");
    await writeFile(file, JSON.stringify({ schemaVersion: "1.0", agent: { version: "1" }, cluster: { uid: "u", kubernetesVersion: "1", provider: { name: "eks", evidence: [] } }, collectedAt: "2026-11-01T00:00:00Z", coverage: [], objects: [{ apiVersion: "v1", kind: "Pod", metadata: {} }] }));
    await expect(readInputs(file)).rejects.toThrow(/invalid snapshot at objects\[0\]\.metadata\.name/);
  });

  it("reports a missing path as an InputError naming it", async () => {
    const missing = path.join(dir, "nope.yaml");
    const err = await readInputs(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(`${missing}: no such file or directory`);
  });

  it("reports a syntax error with the file inside a directory", async () => {
    const bad = await mkdtemp(path.join(tmpdir(), "ramparts-bad-"));
    await writeFile(path.join(bad, "ok.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
    await writeFile(path.join(bad, "z.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n   bad: indent\n");
    const err = (await readInputs(bad).catch((e: unknown) => e)) as InputError;
    expect(err.source).toBe(path.join(bad, "z.yaml"));
    expect(err.line).toBeGreaterThan(1);
    await rm(bad, { recursive: true, force: true });
  });
});
