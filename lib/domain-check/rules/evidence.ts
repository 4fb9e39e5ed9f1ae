/**
 * The recorded evidence of one domain scan: everything the probes saw, as plain data.
 * Every verdict and the score are pure functions of this object (see rules/), so a stored
 * scan can be re-graded and tests can replay evidence without a network.
 */

/** How one DNS question was answered. "error" (timeout, SERVFAIL, refused) means "not tested", never "absent". */
export interface DnsAnswer<T> {
  name: string;
  type: string;
  outcome: "records" | "nodata" | "nxdomain" | "error";
  records: T[];
  /** AD flag of the validating resolver's answer. */
  authenticated: boolean;
  error?: string;
}

export interface MxRecord {
  preference: number;
  exchange: string;
}

export interface CaaRecord {
  flags: number;
  tag: string;
  value: string;
}

export interface DnsEvidence {
  apexA: DnsAnswer<string>;
  apexAAAA: DnsAnswer<string>;
  wwwA: DnsAnswer<string>;
  wwwAAAA: DnsAnswer<string>;
  mx: DnsAnswer<MxRecord>;
  ns: DnsAnswer<string>;
  /** A and AAAA of each name server, keyed by the NS host name. */
  nsAddresses: Record<string, string[]>;
  /** CAA lookups from the domain towards the TLD; the first non-empty one is relevant (RFC 8659). */
  caa: DnsAnswer<CaaRecord>[];
  dnssec: {
    /** SOA of the apex asked with the DO bit: AD tells whether the resolver validated it. */
    soa: DnsAnswer<string>;
    ds: DnsAnswer<string>;
    /** Asked again with CD=1 only when the first answer was SERVFAIL (bogus vs broken). */
    soaCheckingDisabled: DnsAnswer<string> | null;
  };
}

export interface MailEvidence {
  apexTxt: DnsAnswer<string>;
  /** TXT of every include/redirect target, keyed by domain. */
  spfTargets: Record<string, DnsAnswer<string>>;
  dmarc: DnsAnswer<string>;
  /** Fallback to the organizational domain when the domain itself has no record (RFC 7489 §6.6.3). */
  dmarcOrganizational: { domain: string; answer: DnsAnswer<string> } | null;
  /** `<domain>._report._dmarc.<destination>` TXT for external report destinations, keyed by destination domain. */
  dmarcReportAuthorizations: Record<string, DnsAnswer<string>>;
  dkim: {
    domainKey: DnsAnswer<string>;
    wildcard: DnsAnswer<string>;
    selectors: Record<string, DnsAnswer<string>>;
  };
  mtaSts: { record: DnsAnswer<string>; policy: HttpExchange | null };
  tlsRpt: DnsAnswer<string>;
  bimi: DnsAnswer<string>;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  keyType: string;
  keyBits: number | null;
  curve: string | null;
  /** e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", or the OID when unknown. */
  signatureAlgorithm: string;
  selfSigned: boolean;
  ocspUris: string[];
  fingerprint256: string;
}

/** accepted = handshake completed; rejected = the server refused that offer; error = could not tell. */
export type ProbeOutcome = "accepted" | "rejected" | "error";

export type TlsVersionName = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

export interface TlsHandshakeEvidence {
  outcome: "ok" | "refused" | "timeout" | "blocked" | "error";
  error?: string;
  protocol?: string;
  cipher?: { name: string; standardName: string; version: string };
  ephemeralKey?: { type: string; name?: string; size?: number };
  /** Chain validated against the trust anchors. */
  authorized: boolean;
  authorizationError: string | null;
  /** Whether the chain validates once the known intermediates are added (null = not retried). */
  authorizedWithIntermediates: boolean | null;
  hostnameMatches: boolean;
  /** Leaf first, as sent by the server. */
  chain: CertificateInfo[];
  ocspStapled: boolean;
}

export interface TlsAddressEvidence {
  address: string;
  handshake: TlsHandshakeEvidence;
  versions: Record<TlsVersionName, ProbeOutcome>;
  /** Handshakes offering only static-RSA (no forward secrecy) or only CBC suites, TLS 1.2. */
  staticRsaAccepted: ProbeOutcome;
  cbcAccepted: ProbeOutcome;
  /** Raw ClientHello probes for suites Node's OpenSSL cannot offer. */
  weakSuites: Record<WeakSuiteFamily, ProbeOutcome>;
  sslv3: ProbeOutcome;
}

export type WeakSuiteFamily = "rc4" | "3des" | "export" | "null" | "anon";

export interface TlsEvidence {
  /** The host probed: the apex, or www when the apex has no address. Null when neither has one. */
  host: string | null;
  addresses: TlsAddressEvidence[];
}

export interface HtmlSummary {
  scripts: { src: string | null; integrity: string | null; crossorigin: string | null }[];
  metaCsp: string[];
  metaReferrer: string[];
}

export interface HttpExchange {
  url: string;
  method: "GET" | "OPTIONS";
  outcome: "response" | "refused" | "timeout" | "blocked" | "error";
  error?: string;
  status?: number;
  /** Response headers as Node combines them (duplicates joined with ", "), set-cookie apart. */
  headers?: Record<string, string>;
  setCookies?: string[];
  /** For https: whether the certificate chain and name validated. Null for http. */
  tlsVerified?: boolean | null;
  tlsError?: string | null;
  /** Request headers that matter for grading (Origin for CORS). */
  requestHeaders?: Record<string, string>;
  /** Kept only for small text bodies that rules parse (security.txt, MTA-STS policy). */
  body?: string;
  bodyTruncated?: boolean;
  html?: HtmlSummary;
}

export interface RedirectChain {
  start: string;
  exchanges: HttpExchange[];
  /** final = last exchange is not a redirect; others mean the chain was cut. */
  end: "final" | "max-redirects" | "failed" | "blocked-location";
  blockedLocation?: string;
}

export interface HttpEvidence {
  host: string | null;
  httpChain: RedirectChain | null;
  httpsChain: RedirectChain | null;
  robots: HttpExchange | null;
  cors: HttpExchange | null;
  /** Hosts of the HTTP redirect route and the scanned host that are on the HSTS preload list supplied to the scan. */
  preloaded: Record<string, { includeSubDomains: boolean }>;
}

export interface OtherEvidence {
  securityTxt: { wellKnown: RedirectChain | null; legacy: RedirectChain | null };
  www: { httpsChain: RedirectChain | null; httpChain: RedirectChain | null } | null;
}

export interface DomainEvidence {
  domain: string;
  /** The clock used for expiry rules: the scan's start. */
  observedAt: string;
  dns: DnsEvidence;
  mail: MailEvidence;
  tls: TlsEvidence;
  http: HttpEvidence;
  other: OtherEvidence;
}
