/**
 * Child process of the agent benchmark: a stand-in Kubernetes API server holding a generated
 * cluster of about N objects (no real API server can run here), and a minimal ingest endpoint
 * that checks and discards chunks. Prints one JSON line with the addresses, then serves until
 * its stdin closes. Runs apart from the measured agent so its memory is not counted.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { buildCluster, countObjects } from "@/agents/test/support/cluster-fixture";
import { startFakeApiServer } from "@/agents/test/support/fake-api-server";

const target = Number(process.argv[2] ?? "100000");
const token = "bench-api-token";
const perNamespace = 55 * (3 + 6) + 10; // deployments x (deployment, replicaset, 3 pods, service, sa, 2 reports) + namespace objects
const cluster = buildCluster({ appNamespaces: Math.max(1, Math.round(target / perNamespace)), deploymentsPerNamespace: 55, podsPerDeployment: 3, flavor: "eks" });
const api = await startFakeApiServer(cluster, { token });

let chunks = 0;
let bytes = 0;
const ingest = createServer((req, res) => {
  const hash = createHash("sha256");
  req.on("data", (part: Buffer) => {
    hash.update(part);
    bytes += part.length;
  });
  req.on("end", () => {
    const ok = req.headers["x-ramparts-content-sha256"] === hash.digest("hex");
    if (req.url?.includes("/chunks/")) chunks++;
    res.writeHead(ok ? (req.url?.endsWith("/complete") ? 202 : 201) : 400, { "Content-Type": "application/json" });
    res.end(JSON.stringify(ok ? { chunks, bytes } : { error: { code: "bad_digest", message: "sha256 mismatch" } }));
  });
});
await new Promise<void>((resolve) => ingest.listen(0, "127.0.0.1", resolve));

process.stdout.write(`${JSON.stringify({ objects: countObjects(cluster), apiToken: token, kubeconfig: api.writeKubeconfig(os.tmpdir()), ingestUrl: `http://127.0.0.1:${(ingest.address() as AddressInfo).port}` })}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  ingest.close();
  await api.close();
  process.exit(0);
});
