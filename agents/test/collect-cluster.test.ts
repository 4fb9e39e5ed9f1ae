/**
 * Collection against the stand-in API server (agents/test/support/fake-api-server.ts), which
 * replaces a real Kubernetes API server because none can run on this machine.
 */
import { readFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { snapshotV1Schema } from "@/lib/snapshot/schema";
import { collectCluster } from "../src/collect/collect-cluster";
import { createKubeApi, loadKubeConfig } from "../src/kube/kube-client";
import { createMemoryLogger } from "../src/log/logger";
import { SnapshotFileSink } from "../src/snapshot/snapshot-sink";
import { buildCluster, countObjects, KUBE_SYSTEM_UID } from "./support/cluster-fixture";
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from "./support/fake-api-server";

const TOKEN = "agent-token-for-tests";
const servers: FakeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function collect(options: Partial<FakeApiServerOptions> = {}, flavor: "kubeadm" | "eks" = "kubeadm") {
  const cluster = buildCluster({ appNamespaces: 6, deploymentsPerNamespace: 8, podsPerDeployment: 3, flavor });
  const server = await startFakeApiServer(cluster, { token: TOKEN, ...options });
  servers.push(server);
  const dir = mkdtempSync(path.join(os.tmpdir(), "agent-collect-"));
  const output = path.join(dir, "snapshot.json");
  const log = createMemoryLogger();
  const api = createKubeApi(loadKubeConfig({ kubeconfig: server.writeKubeconfig(dir) }));
  const result = await collectCluster({ api, sink: new SnapshotFileSink(output), log, agentVersion: "0.1.0", list: { pageSize: 50, retryBaseMs: 1 } });
  const snapshot = snapshotV1Schema.parse(JSON.parse(readFileSync(output, "utf8")));
  return { cluster, server, snapshot, result, log };
}

const keyOf = (o: { apiVersion: string; kind: string; metadata: { namespace?: string; name: string } }) => `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ""}|${o.metadata.name}`;

describe("collect from a live API (stand-in server)", { timeout: 120_000 }, () => {
  it("lists every served catalog resource page by page and writes a valid v1 snapshot", async () => {
    const { cluster, server, snapshot } = await collect();
    expect(countObjects(cluster)).toBeGreaterThanOrEqual(500);
    expect(snapshot.cluster.uid).toBe(KUBE_SYSTEM_UID);
    expect(snapshot.cluster.kubernetesVersion).toBe("v1.31.4");
    expect(snapshot.cluster.provider.name).toBe("self-managed");
    expect(snapshot.agent.mode).toBe("cluster");
    // 145 pods with pageSize 50 need 3 pages, chained with continue tokens.
    const podRequests = server.requests.filter((r) => r.startsWith("/api/v1/pods?"));
    expect(podRequests).toHaveLength(3);
    expect(podRequests[0]).toContain("limit=50");
    expect(podRequests[1]).toContain("continue=");
    const pods = snapshot.objects.filter((o) => o.kind === "Pod");
    expect(pods).toHaveLength(145);
    // Typed list items come without apiVersion/kind: the agent fills them in.
    expect(pods.every((p) => p.apiVersion === "v1")).toBe(true);
    const coverage = (resource: string) => snapshot.coverage.find((c) => c.resource === resource && !c.name);
    expect(coverage("pods")).toMatchObject({ status: "ok", count: 145, resourceVersion: "1000" });
    expect(coverage("k8srequiredlabels")).toMatchObject({ group: "constraints.gatekeeper.sh", status: "ok", count: 1 });
    expect(coverage("clusterpolicies")).toMatchObject({ status: "ok", count: 2 });
    // Cilium is not installed: recorded as absent without any request for it.
    expect(coverage("ciliumnetworkpolicies")).toMatchObject({ status: "absent" });
    expect(server.requests.some((r) => r.includes("cilium.io"))).toBe(false);
    const all = snapshot.objects.map(keyOf);
    expect(new Set(all).size).toBe(all.length);
  });

  it("never lists Secrets or ConfigMaps, and reads only the named ConfigMaps", async () => {
    const { server, snapshot } = await collect();
    expect(server.requests.filter((r) => /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets/.test(r))).toEqual([]);
    const configMapRequests = server.requests.filter((r) => r.includes("configmaps"));
    expect(configMapRequests.sort()).toEqual(["/api/v1/namespaces/kube-system/configmaps/cilium-config", "/api/v1/namespaces/kube-system/configmaps/kubeadm-config"]);
    expect(snapshot.objects.filter((o) => o.kind === "Secret")).toEqual([]);
    expect(snapshot.objects.filter((o) => o.kind === "ConfigMap").map((o) => o.metadata.name)).toEqual(["kubeadm-config"]);
    expect(snapshot.coverage.find((c) => c.name === "cilium-config")).toMatchObject({ status: "absent", namespace: "kube-system" });
  });

  it("records a forbidden resource and an absent CRD in coverage and goes on", async () => {
    const { snapshot, log } = await collect({ forbidden: ["rbac.authorization.k8s.io/roles", "constraints.gatekeeper.sh/k8spspprivilegedcontainer"], goneAfterDiscovery: ["kyverno.io/clusterpolicies"] });
    const roles = snapshot.coverage.find((c) => c.resource === "roles");
    expect(roles?.status).toBe("forbidden");
    expect(roles?.message).toContain('cannot list resource "roles" in API group "rbac.authorization.k8s.io"');
    const constraint = snapshot.coverage.find((c) => c.resource === "k8spspprivilegedcontainer");
    expect(constraint?.status).toBe("forbidden");
    expect(constraint?.message).toContain("gatekeeperConstraints");
    expect(snapshot.coverage.find((c) => c.resource === "clusterpolicies")?.status).toBe("absent");
    expect(snapshot.objects.some((o) => o.kind === "Role")).toBe(false);
    // Everything after the failures was still collected.
    expect(snapshot.objects.filter((o) => o.kind === "RoleBinding")).toHaveLength(6);
    expect(snapshot.objects.filter((o) => o.kind === "K8sRequiredLabels")).toHaveLength(1);
    expect(log.lines.some((l) => l.includes('"status":"forbidden"'))).toBe(true);
  });

  it("restarts a list whose continue token expired (410) without losing or repeating objects", async () => {
    const { cluster, server, snapshot } = await collect({ expireContinue: { "/pods": 2 } });
    const expected = cluster.resources.find((r) => r.resource === "pods")?.items.map((p) => { const m = p.metadata as { name: string; namespace: string }; return `${m.namespace}/${m.name}`; }) ?? [];
    const got = snapshot.objects.filter((o) => o.kind === "Pod").map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(got).size).toBe(got.length);
    for (const name of expected) expect(got).toContain(name);
    // Fresh lists (no continue) were issued again after each 410.
    expect(server.requests.filter((r) => r.startsWith("/api/v1/pods?") && !r.includes("continue="))).toHaveLength(3);
    expect(snapshot.coverage.find((c) => c.resource === "pods")?.message).toContain("restarted 2 time(s)");
  });

  it("guesses EKS from node provider IDs and the server version", async () => {
    const { snapshot } = await collect({}, "eks");
    expect(snapshot.cluster.provider.name).toBe("eks");
    expect(snapshot.cluster.provider.evidence.join(" ")).toMatch(/aws:\/\/|eks/);
  });

  it("fails with one clear message when the API rejects the credentials", async () => {
    const cluster = buildCluster({ appNamespaces: 1, deploymentsPerNamespace: 1, podsPerDeployment: 1 });
    const server = await startFakeApiServer(cluster, { token: TOKEN });
    servers.push(server);
    const api = createKubeApi(loadKubeConfig({ kubeconfig: server.writeKubeconfig(os.tmpdir(), "wrong-token") }));
    const output = path.join(mkdtempSync(path.join(os.tmpdir(), "agent-collect-")), "s.json");
    await expect(collectCluster({ api, sink: new SnapshotFileSink(output), log: createMemoryLogger(), agentVersion: "0.1.0" })).rejects.toThrow(/rejected the agent's credentials \(401\)/);
    expect(() => readFileSync(output)).toThrow();
    expect(() => readFileSync(`${output}.partial`)).toThrow();
  });
});
