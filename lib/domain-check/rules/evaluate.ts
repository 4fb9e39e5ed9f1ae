import { CHECK_CATALOG, type CheckId } from "./catalog";
import { dkimVerdict } from "./dkim";
import { dmarcPolicyVerdict, dmarcRecordVerdict, dmarcReportingVerdict } from "./dmarc";
import { caaVerdict, dnssecVerdict, nsRedundancyVerdict } from "./dns-infrastructure";
import type { DomainEvidence } from "./evidence";
import {
  cookiesVerdict,
  corsVerdict,
  crossOriginIsolationVerdict,
  cspVerdict,
  framingVerdict,
  hstsVerdict,
  httpRedirectVerdict,
  referrerPolicyVerdict,
  sriVerdict,
  xContentTypeOptionsVerdict,
} from "./http";
import { mailProfile } from "./mail-profile";
import { bimiVerdict, tlsRptVerdict } from "./mail-reporting";
import { mtaStsVerdict } from "./mta-sts";
import { securityTxtVerdict } from "./security-txt";
import { spfAllVerdict, spfLookupsVerdict, spfRecordVerdict } from "./spf";
import {
  certExpiryVerdict,
  certHostnameVerdict,
  certKeyVerdict,
  certSignatureVerdict,
  certTrustVerdict,
  forwardSecrecyVerdict,
  httpsAvailableVerdict,
  ocspStaplingVerdict,
  tlsVersionsVerdict,
  weakCiphersVerdict,
} from "./tls";
import type { CheckGroup, CheckResult, Verdict } from "./types";
import { wwwConsistencyVerdict } from "./www";

/** Every check's rule. Each reads only the evidence parts its group waits for (see scan.ts GROUP_PROBES). */
const RULES: Record<CheckId, (e: DomainEvidence) => Verdict> = {
  "spf-record": (e) => spfRecordVerdict(e.mail),
  "spf-all": (e) => spfAllVerdict(e.mail),
  "spf-lookups": (e) => spfLookupsVerdict(e.mail),
  "dmarc-record": (e) => dmarcRecordVerdict(e.mail),
  "dmarc-policy": (e) => dmarcPolicyVerdict(e.mail),
  "dmarc-reporting": (e) => dmarcReportingVerdict(e.mail),
  dkim: (e) => dkimVerdict(e.mail, mailProfile(e.dns, e.mail)),
  "mta-sts": (e) => mtaStsVerdict(e.mail, mailProfile(e.dns, e.mail)),
  "tls-rpt": (e) => tlsRptVerdict(e.mail, mailProfile(e.dns, e.mail)),
  bimi: (e) => bimiVerdict(e.mail, mailProfile(e.dns, e.mail)),
  dnssec: (e) => dnssecVerdict(e.dns),
  caa: (e) => caaVerdict(e.dns),
  "ns-redundancy": (e) => nsRedundancyVerdict(e.dns),
  "https-available": httpsAvailableVerdict,
  "cert-trust": certTrustVerdict,
  "cert-hostname": certHostnameVerdict,
  "cert-expiry": certExpiryVerdict,
  "cert-key": certKeyVerdict,
  "cert-signature": certSignatureVerdict,
  "tls-versions": tlsVersionsVerdict,
  "tls-forward-secrecy": forwardSecrecyVerdict,
  "tls-weak-ciphers": weakCiphersVerdict,
  "ocsp-stapling": ocspStaplingVerdict,
  "http-redirect": httpRedirectVerdict,
  hsts: hstsVerdict,
  csp: cspVerdict,
  framing: framingVerdict,
  "x-content-type-options": xContentTypeOptionsVerdict,
  "referrer-policy": referrerPolicyVerdict,
  cookies: cookiesVerdict,
  cors: corsVerdict,
  "cross-origin-isolation": crossOriginIsolationVerdict,
  "subresource-integrity": sriVerdict,
  "security-txt": securityTxtVerdict,
  "www-consistency": wwwConsistencyVerdict,
};

export function evaluateCheck(id: CheckId, evidence: DomainEvidence): CheckResult {
  const definition = CHECK_CATALOG.find((c) => c.id === id)!;
  return { ...definition, references: [...definition.references], ...RULES[id](evidence) };
}

export function evaluateGroup(group: CheckGroup, evidence: DomainEvidence): CheckResult[] {
  return CHECK_CATALOG.filter((c) => c.group === group).map((c) => evaluateCheck(c.id, evidence));
}

export function evaluateAll(evidence: DomainEvidence): CheckResult[] {
  return CHECK_CATALOG.map((c) => evaluateCheck(c.id, evidence));
}
