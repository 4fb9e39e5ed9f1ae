/**
 * The one public domain-check service of this process, wired from validated settings. Its scans always go
 * through scanPublicDomain (PUBLIC_TARGET_POLICY): nothing here, in the settings or in a request can make the
 * public endpoint reach private addresses, reserved names or other ports.
 */
import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import { getServers } from "node:dns";
import { settings } from "@/lib/config/settings";
import { db } from "@/lib/db/client";
import { createDnsResolver, loadPemBundle, scanPublicDomain } from "@/lib/domain-check";
import { logger } from "@/lib/observability/logger";
import { PublicScanService } from "./public-scan-service";

export class DomainCheckUnavailableError extends Error {
  override name = "DomainCheckUnavailableError";
}

const globalForChecks = globalThis as unknown as { rampartsPublicDomainChecks?: PublicScanService };

function trustConfiguration(caFile: string | undefined): { trustAnchors?: string[]; intermediates?: string[] } {
  if (!caFile) return {};
  let bundle: { roots: string[]; intermediates: string[] };
  try {
    bundle = loadPemBundle(readFileSync(caFile, "utf8"));
  } catch (error) {
    logger.error("domain_check.ca_file_unreadable", { caFile, error: (error as Error).message });
    throw new DomainCheckUnavailableError("The domain check is misconfigured on this server (DOMAIN_CHECK_CA_FILE).");
  }
  return { trustAnchors: bundle.roots.length > 0 ? bundle.roots : undefined, intermediates: bundle.intermediates };
}

function create(): PublicScanService {
  const config = settings();
  const servers = config.domainCheck.dnsServers ?? (config.mode === "production" ? undefined : getServers());
  if (!servers || servers.length === 0) {
    throw new DomainCheckUnavailableError("The domain check is not configured on this server (DOMAIN_CHECK_DNS_SERVERS).");
  }
  const resolver = createDnsResolver({ servers });
  const trust = trustConfiguration(config.domainCheck.caFile);
  const requesterKey = crypto
    .createHash("sha256")
    .update(`ramparts-domain-scan-requester:${config.authSecret ?? crypto.randomBytes(32).toString("hex")}`)
    .digest();
  return new PublicScanService({
    db,
    scan: (domain, { signal, onEvent }) => scanPublicDomain(domain, { resolver, ...trust, signal, onEvent }),
    scansPerClientPer10Minutes: config.domainCheck.scansPerClientPer10Minutes,
    maxConcurrentScans: config.domainCheck.maxConcurrentScans,
    retentionDays: config.domainCheck.retentionDays,
    requesterKey,
    onError: (event, fields) => logger.warn(event, fields),
  });
}

/** The process-wide service (shared by every route bundle through globalThis). */
export function publicDomainChecks(): PublicScanService {
  globalForChecks.rampartsPublicDomainChecks ??= create();
  return globalForChecks.rampartsPublicDomainChecks;
}

/** For tests that change the configuration. */
export function resetPublicDomainChecksForTests(): void {
  globalForChecks.rampartsPublicDomainChecks = undefined;
}
