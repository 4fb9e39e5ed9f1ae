/** The domain check's public surface. The web endpoint uses scanPublicDomain (always PUBLIC_TARGET_POLICY). */
export { scanDomain, scanPublicDomain, streamDomainScan, buildReport, InvalidTargetError, GROUP_PROBES, type ScanOptions, type PublicScanOptions } from "./scan";
export { PUBLIC_TARGET_POLICY, operatorTargetPolicy, type TargetPolicy } from "./policy";
export { createDnsResolver, type DnsResolver, type DnsResolverOptions } from "./dns/dns-resolver";
export { parseTargetName, type TargetNameResult, type TargetNameError } from "./target-name";
export { loadPemBundle } from "./pem-bundle";
export type { DomainReport, ScanEvent, ScanProbe, GroupSummary } from "./report";
export type { CheckResult, CheckStatus, CheckGroup, CheckDefinition } from "./rules/types";
export type { DomainScore, Grade, ScoreCap } from "./rules/score";
export type { DomainEvidence } from "./rules/evidence";
export { CHECK_CATALOG } from "./rules/catalog";
