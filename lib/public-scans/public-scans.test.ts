/**
 * The public domain check's service, storage, stream and routes, against a real database and the real
 * fixture world (DNS and web servers on loopback). The service tests inject a scan function that uses the
 * test policy, because the fixtures live on loopback with mapped ports; the route tests use the production
 * wiring (scanPublicDomain) and prove it refuses the same loopback fixtures.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { resetSettingsForTests } from "@/lib/config/settings";
import { useDbHandle } from "@/lib/db/client";
import { type DnsResolver, createDnsResolver, scanDomain } from "@/lib/domain-check";
import { type FixtureWorld, PUBLIC_FIXTURE_TLD, startFixtureWorld } from "@/lib/domain-check/testing/fixture-world";
import { testTargetPolicy } from "@/lib/domain-check/testing/test-policy";
import { AppError } from "@/lib/errors";
import { type TestDatabase, createTestDatabase } from "@/lib/testing/test-database";
import { POST as postCheck } from "@/app/api/public/domain-checks/route";
import { GET as getCheck } from "@/app/api/public/domain-checks/[id]/route";
import { GET as getEvents } from "@/app/api/public/domain-checks/[id]/events/route";
import { resetPublicDomainChecksForTests } from "./public-domain-checks";
import { DOMAIN_COOLDOWN_MS, PublicScanService, type PublicScanServiceOptions, REUSE_MS } from "./public-scan-service";
import { scanEventStream } from "./scan-event-stream";
import type { ScanFunction } from "./scan-runner";
import { GROUP_OUTLINE, STALE_AFTER_MS } from "./scan-store";
import type { ScanView, StoredScan } from "./scan-view";

let world: FixtureWorld;
let database: TestDatabase;
let resolver: DnsResolver;
const D = () => world.domains;

beforeAll(async () => {
  [world, database] = await Promise.all([startFixtureWorld({ tld: PUBLIC_FIXTURE_TLD }), createTestDatabase()]);
  resolver = createDnsResolver({ servers: [world.dns.server], timeoutMs: 1000, tries: 1 });
});

afterAll(async () => {
  await Promise.all([world?.close(), database?.close()]);
});

const fixtureScan: ScanFunction = (domain, { signal, onEvent }) =>
  scanDomain(domain, { policy: world.policy, resolver, trustAnchors: world.roots, intermediates: world.intermediates, signal, onEvent });

function service(overrides: Partial<PublicScanServiceOptions> = {}) {
  return new PublicScanService({
    db: async () => database.prisma,
    scan: fixtureScan,
    scansPerClientPer10Minutes: 50,
    maxConcurrentScans: 8,
    retentionDays: 30,
    requesterKey: "test-key",
    ...overrides,
  });
}

async function settle(svc: PublicScanService, id: string, timeoutMs = 30_000): Promise<StoredScan> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const scan = await svc.get(id);
    if (scan && scan.status !== "running") return scan;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`scan ${id} still running after ${timeoutMs} ms`);
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Reads a Server-Sent Events body to its end. */
async function readEvents(body: ReadableStream<Uint8Array>, timeoutMs = 30_000): Promise<{ event: string; data: unknown }[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text
    .split("\n\n")
    .map((block) => ({ event: /^event: (.+)$/m.exec(block)?.[1], data: /^data: (.+)$/m.exec(block)?.[1] }))
    .filter((e): e is { event: string; data: string } => Boolean(e.event && e.data))
    .map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
}

describe("the public scan service", () => {
  it("starts a scan, stores its groups and report, then reuses it for five minutes", async () => {
    const svc = service();
    const first = await svc.request(`  ${D().good.toUpperCase()}. `, "198.51.100.7");
    expect(first.outcome).toBe("started");
    expect(first.scan.domain).toBe(D().good);
    const done = await settle(svc, first.scan.id);
    expect(done.status).toBe("finished");
    const row = await database.prisma.domainScan.findUniqueOrThrow({ where: { id: first.scan.id } });
    expect(row.grade).toMatch(/^A\+?$/);
    expect(row.algorithmVersion).toBe(1);
    expect((row.progress as unknown[]).length).toBe(4);
    expect((row.report as { evidence?: unknown }).evidence).toBeTruthy();
    // The address is kept only as a keyed hash.
    expect(row.requesterHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(row)).not.toContain("198.51.100.7");

    const again = await svc.request(D().good, "203.0.113.9");
    expect(again).toMatchObject({ outcome: "reused", scan: { id: first.scan.id } });
  });

  it("joins a running scan of the same domain instead of starting another", async () => {
    const svc = service();
    const [a, b] = await Promise.all([svc.request(D().mailFlaws, "192.0.2.1"), svc.request(D().mailFlaws, "192.0.2.2")]);
    expect([a.outcome, b.outcome].sort()).toEqual(["joined", "started"]);
    expect(a.scan.id).toBe(b.scan.id);
    await settle(svc, a.scan.id);
    expect(await database.prisma.domainScan.count({ where: { domain: D().mailFlaws } })).toBe(1);
  });

  it("rescans after the reuse window, once the cooldown has passed", async () => {
    let clock = Date.now();
    const svc = service({ now: () => new Date(clock) });
    const first = await svc.request(D().tls13Only, "192.0.2.3");
    await settle(svc, first.scan.id);
    clock += REUSE_MS + 1000;
    const second = await svc.request(D().tls13Only, "192.0.2.3");
    expect(second.outcome).toBe("started");
    expect(second.scan.id).not.toBe(first.scan.id);
    await settle(svc, second.scan.id);
  });

  it("refuses names the public policy refuses, whatever the scan function could reach", async () => {
    const svc = service();
    const cases: [string, string][] = [
      ["good.test", "reserved-name"],
      ["localhost", "single-label"],
      ["db.internal", "reserved-name"],
      ["127.0.0.1", "ip-literal"],
      ["2130706433", "ip-literal"],
      ["0x7f.1", "ip-literal"],
      ["[::ffff:127.0.0.1]", "not-a-bare-hostname"],
      [`https://${"x"}.com/`, "not-a-bare-hostname"],
      ["example.com:8443", "not-a-bare-hostname"],
      ["", "empty"],
    ];
    for (const [input, reason] of cases) {
      const error = await rejection(svc.request(input, "192.0.2.4"));
      expect(error.status, input).toBe(400);
      expect(error.details, input).toMatchObject({ field: "domain", reason });
    }
    expect(await database.prisma.domainScan.count({ where: { requesterHash: svc.requesterHash("192.0.2.4") } })).toBe(0);
  });

  it("limits new scans per client address, with the wait in Retry-After", async () => {
    const svc = service({ scansPerClientPer10Minutes: 2 });
    const a = await svc.request(D().expired, "192.0.2.5");
    const b = await svc.request(D().wrongName, "192.0.2.5");
    const error = await rejection(svc.request(D().selfSigned, "192.0.2.5"));
    expect(error.status).toBe(429);
    expect(error.details).toMatchObject({ reason: "client" });
    expect(error.details.retryAfterSeconds).toBeGreaterThan(500);
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(600);
    // Joining a running scan costs nothing, and another address has its own budget.
    expect((await svc.request(D().expired, "192.0.2.5")).outcome).toMatch(/joined|reused/);
    expect((await svc.request(D().selfSigned, "192.0.2.6")).outcome).toBe("started");
    await Promise.all([a, b].map((r) => settle(svc, r.scan.id)));
  });

  it("keeps a cooldown per target domain after a failed scan", async () => {
    let clock = Date.now();
    const svc = service({ now: () => new Date(clock), scan: async () => Promise.reject(new Error("resolver exploded")) });
    const first = await svc.request(D().rsa1024, "192.0.2.7");
    const failed = await settle(svc, first.scan.id);
    expect(failed).toMatchObject({ status: "failed", failureCode: "internal" });
    clock += 20_000;
    const error = await rejection(svc.request(D().rsa1024, "192.0.2.8"));
    expect(error.status).toBe(429);
    expect(error.details).toMatchObject({ reason: "domain" });
    expect(error.details.retryAfterSeconds).toBeGreaterThanOrEqual(39);
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(41);
    clock += DOMAIN_COOLDOWN_MS;
    expect((await svc.request(D().rsa1024, "192.0.2.8")).outcome).toBe("started");
  });

  it("answers 429 when the instance already runs its maximum of scans", async () => {
    const release: (() => void)[] = [];
    const svc = service({
      maxConcurrentScans: 1,
      scan: (domain, options) => new Promise((resolve, reject) => release.push(() => fixtureScan(domain, options).then(resolve, reject))),
    });
    const first = await svc.request(D().sha1, "192.0.2.9");
    const error = await rejection(svc.request(D().tls10, "192.0.2.10"));
    expect(error).toMatchObject({ status: 429, details: { reason: "busy", retryAfterSeconds: 15 } });
    release.forEach((go) => go());
    await settle(svc, first.scan.id);
  });

  it("fails a scan that outlives the hard limit, and aborts it", async () => {
    let aborted = false;
    const svc = service({
      scan: (_domain, { signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          }),
        ),
    });
    // The production limit is 58 s; the runner takes it as an option.
    (svc.runner as unknown as { options: { hardLimitMs: number } }).options.hardLimitMs = 300;
    const started = await svc.request(D().silent, "192.0.2.11");
    const done = await settle(svc, started.scan.id, 5000);
    expect(done).toMatchObject({ status: "failed", failureCode: "timeout" });
    expect(aborted).toBe(true);
  });

  it("reports a running scan whose runner is gone as interrupted when it is read", async () => {
    const svc = service();
    const orphan = await database.prisma.domainScan.create({
      data: { domain: `orphan.${PUBLIC_FIXTURE_TLD}`, startedAt: new Date(Date.now() - 2 * DOMAIN_COOLDOWN_MS), heartbeatAt: new Date(Date.now() - STALE_AFTER_MS - 5000) },
    });
    const fresh = await database.prisma.domainScan.create({ data: { domain: `busy.${PUBLIC_FIXTURE_TLD}` } });
    expect(await svc.get(orphan.id)).toMatchObject({ status: "failed", failureCode: "interrupted" });
    expect(await svc.get(fresh.id)).toMatchObject({ status: "running" });
    // A new request for the orphan's domain is not stuck joining it (its start is older than the cooldown).
    const retried = await svc.request(`orphan.${PUBLIC_FIXTURE_TLD}`, "192.0.2.12");
    expect(retried.outcome).toBe("started");
    await settle(svc, retried.scan.id);
  });

  it("deletes scans older than the retention period and keeps the others", async () => {
    const svc = service({ retentionDays: 7 });
    const old = await database.prisma.domainScan.create({ data: { domain: `old.${PUBLIC_FIXTURE_TLD}`, status: "finished", startedAt: new Date(Date.now() - 8 * 86_400_000) } });
    const recent = await database.prisma.domainScan.create({ data: { domain: `recent.${PUBLIC_FIXTURE_TLD}`, status: "finished", startedAt: new Date(Date.now() - 6 * 86_400_000) } });
    expect(await svc.deleteExpired()).toBeGreaterThanOrEqual(1);
    expect(await database.prisma.domainScan.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await database.prisma.domainScan.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });
});

describe("the event stream", () => {
  it("streams each group as it finishes, then the final report, and ends", async () => {
    const svc = service();
    const { scan } = await svc.request(D().badHeaders, "192.0.2.20");
    const events = await readEvents(scanEventStream(svc, scan, new AbortController().signal, () => {}));
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("scan");
    expect(names.at(-1)).toBe("scan-finished");
    const groups = events.filter((e) => e.event === "group-finished").map((e) => (e.data as { group: string }).group);
    expect(groups.sort()).toEqual(["email-dns", "http", "other", "tls"]);
    expect(names.filter((n) => n === "probe-finished").length).toBeGreaterThan(0);
    const final = events.at(-1)!.data as ScanView;
    expect(final.status).toBe("finished");
    expect(final.report?.score.kind).toBe("graded");
    expect(final.report).not.toHaveProperty("evidence");
    // The checks streamed for a group are the report's.
    const streamedHttp = events.find((e) => e.event === "group-finished" && (e.data as { group: string }).group === "http")!.data as { checks: { id: string; status: string }[] };
    const reportHttp = final.report!.groups.find((g) => g.group === "http")!;
    expect(streamedHttp.checks.map((c) => [c.id, c.status])).toEqual(reportHttp.checks.map((c) => [c.id, c.status]));
  });

  it("follows a scan running in another process through the database", async () => {
    const svc = service();
    const row = await database.prisma.domainScan.create({ data: { domain: `elsewhere.${PUBLIC_FIXTURE_TLD}` } });
    const stream = readEvents(scanEventStream(svc, row, new AbortController().signal, () => {}, { pollMs: 50 }));
    const group = { group: "http", title: "HTTP", checks: [], elapsedMs: 1200 };
    await new Promise((r) => setTimeout(r, 150));
    await database.prisma.domainScan.update({ where: { id: row.id }, data: { progress: [group] } });
    await new Promise((r) => setTimeout(r, 150));
    await database.prisma.domainScan.update({ where: { id: row.id }, data: { status: "failed", failureCode: "timeout", finishedAt: new Date() } });
    const events = await stream;
    expect(events.map((e) => e.event)).toEqual(["scan", "group-finished", "scan-failed"]);
    expect(events[2]!.data).toMatchObject({ status: "failed", failure: { code: "timeout" } });
  });

  it("sends a finished scan at once and ends", async () => {
    const svc = service();
    const row = await database.prisma.domainScan.create({ data: { domain: `done.${PUBLIC_FIXTURE_TLD}`, status: "failed", failureCode: "internal", finishedAt: new Date() } });
    const events = await readEvents(scanEventStream(svc, row, new AbortController().signal, () => {}), 2000);
    expect(events.map((e) => e.event)).toEqual(["scan", "scan-failed"]);
    expect(GROUP_OUTLINE.reduce((n, g) => n + g.checkCount, 0)).toBeGreaterThanOrEqual(30);
  });
});

describe("the public routes (production wiring: scanPublicDomain)", () => {
  const saved = { ...process.env };

  beforeEach(() => {
    process.env = { ...saved, NODE_ENV: "test", RAMPARTS_MODE: "test", DOMAIN_CHECK_DNS_SERVERS: world.dns.server, DOMAIN_CHECK_SCANS_PER_CLIENT: "3" };
    resetSettingsForTests();
    resetPublicDomainChecksForTests();
    useDbHandle({ prisma: database.prisma, close: async () => {} });
  });

  afterAll(() => {
    process.env = saved;
    resetSettingsForTests();
    resetPublicDomainChecksForTests();
  });

  async function call(handler: typeof postCheck, init: { method?: string; path: string; params?: Record<string, string>; body?: string; headers?: Record<string, string> }) {
    const headers = new Headers({ "x-forwarded-for": "198.51.100.99", ...init.headers });
    if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    const request = new NextRequest(new URL(init.path, "http://localhost:3000"), { method: init.method ?? "GET", headers, body: init.body });
    return handler(request, { params: Promise.resolve(init.params ?? {}) });
  }

  async function pollUntilDone(id: string): Promise<ScanView> {
    for (let i = 0; i < 300; i++) {
      const response = await call(getCheck, { path: `/api/public/domain-checks/${id}`, params: { id } });
      const { scan } = (await response.json()) as { scan: ScanView };
      if (scan.status !== "running") return scan;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("still running");
  }

  it("never connects to loopback, private or metadata addresses, even for public names", async () => {
    // Control: a scan allowed to reach private addresses does hit the recorder on the forbidden address.
    const before = world.forbiddenConnections.length;
    await scanDomain("loopback-target.com", { policy: testTargetPolicy({ ports: world.ports, allowPrivateTargets: true }), resolver, deadlineMs: 5000 });
    expect(world.forbiddenConnections.length).toBeGreaterThan(before);
    world.forbiddenConnections.length = 0;

    for (const domain of ["loopback-target.com", "metadata-target.com", "mixed-target.com", D().forbiddenHops, D().neglected]) {
      const response = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: JSON.stringify({ domain }), headers: { "x-forwarded-for": `198.51.100.${domain.length}` } });
      expect(response.status, domain).toBe(202);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      const body = (await response.json()) as { outcome: string; scan: ScanView };
      expect(response.headers.get("location")).toBe(`/api/public/domain-checks/${body.scan.id}`);
      const done = await pollUntilDone(body.scan.id);
      const https = done.report?.groups.flatMap((g) => g.checks).find((c) => c.id === "https-available");
      expect(https?.status, domain).not.toBe("pass");
    }
    expect(world.forbiddenConnections).toEqual([]);
  });

  it("answers 400 with the reason for refused names", async () => {
    for (const [domain, reason] of [["good.test", "reserved-name"], ["0x7f.1", "ip-literal"], ["http://example.com", "not-a-bare-hostname"]]) {
      const response = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: JSON.stringify({ domain }) });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; field: string; reason: string; message: string } };
      expect(body.error).toMatchObject({ code: "validation_failed", field: "domain", reason });
      expect(body.error.message.length).toBeGreaterThan(10);
    }
    const missing = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: JSON.stringify({}) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { field: string } }).error.field).toBe("domain");
    const form = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: "domain=x.com", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
  });

  it("refuses cross-site browser requests", async () => {
    const response = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: JSON.stringify({ domain: "example.org" }), headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    const fetchSite = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: JSON.stringify({ domain: "example.org" }), headers: { "sec-fetch-site": "cross-site" } });
    expect(fetchSite.status).toBe(403);
  });

  it("answers 429 with Retry-After once a client has started its scans", async () => {
    const headers = { "x-forwarded-for": "203.0.113.50" };
    const domains = [1, 2, 3, 4].map((n) => `rate-${n}-${crypto.randomUUID().slice(0, 8)}.${PUBLIC_FIXTURE_TLD}`);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (const domain of domains) {
      last = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: JSON.stringify({ domain }), headers });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(500);
    expect(((await last!.json()) as { error: { code: string; reason: string } }).error).toMatchObject({ code: "rate_limited", reason: "client" });
  });

  it("streams events over HTTP and 404s unknown ids", async () => {
    const created = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: JSON.stringify({ domain: "loopback-target.com" }), headers: { "x-forwarded-for": "203.0.113.77" } });
    const { scan } = (await created.json()) as { scan: ScanView };
    const response = await call(getEvents, { path: scan.links.events, params: { id: scan.id } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = await readEvents(response.body!);
    expect(["scan-finished", "scan-failed"]).toContain(events.at(-1)!.event);
    const unknown = await call(getCheck, { path: "/api/public/domain-checks/nope", params: { id: "nope" } });
    expect(unknown.status).toBe(404);
    const missing = await call(getCheck, { path: "/api/public/domain-checks/cl0000000000000000000000", params: { id: "cl0000000000000000000000" } });
    expect(missing.status).toBe(404);
  });

  it("is off in production without a configured resolver", async () => {
    process.env = { ...saved, NODE_ENV: "production", RAMPARTS_MODE: "production", NEXTAUTH_SECRET: "x".repeat(32), SMTP_URL: "smtp://127.0.0.1:2525", DOMAIN_CHECK_DNS_SERVERS: "" };
    resetSettingsForTests();
    resetPublicDomainChecksForTests();
    const response = await call(postCheck, { method: "POST", path: "/api/public/domain-checks", body: JSON.stringify({ domain: "example.org" }) });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("DOMAIN_CHECK_DNS_SERVERS");
  });
});

