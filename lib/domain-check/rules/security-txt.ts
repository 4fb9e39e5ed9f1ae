import type { DomainEvidence, HttpExchange, RedirectChain } from "./evidence";
import { httpApplicability } from "./http";
import type { Verdict } from "./types";

/** security.txt (RFC 9116): location, media type, required fields and expiry. */

export interface ParsedSecurityTxt {
  contacts: string[];
  expires: string[];
  errors: string[];
}

const KNOWN_FIELDS = new Set(["acknowledgments", "canonical", "contact", "encryption", "expires", "hiring", "policy", "preferred-languages", "csaf"]);

export function parseSecurityTxt(body: string): ParsedSecurityTxt {
  const result: ParsedSecurityTxt = { contacts: [], expires: [], errors: [] };
  let text = body;
  if (text.startsWith("-----BEGIN PGP SIGNED MESSAGE-----")) {
    // Keep only the signed content; the signature itself is not verified.
    text = text.split(/\r?\n\r?\n/).slice(1).join("\n\n").split("-----BEGIN PGP SIGNATURE-----")[0] ?? "";
  }
  let languages = 0;
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (!m) {
      result.errors.push(`line ${index + 1} is not "Field: value"`);
      continue;
    }
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (!KNOWN_FIELDS.has(field)) continue;
    if (field === "contact") {
      if (!/^(mailto:|https:\/\/|tel:)/i.test(value)) result.errors.push(`Contact "${value.slice(0, 80)}" is not a mailto:, https:// or tel: URI`);
      result.contacts.push(value);
    } else if (field === "expires") {
      if (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) result.errors.push(`Expires "${value.slice(0, 80)}" is not an RFC 3339 date-time`);
      result.expires.push(value);
    } else if (field === "preferred-languages") {
      languages += 1;
    }
  }
  if (result.contacts.length === 0) result.errors.push("no Contact field");
  if (result.expires.length === 0) result.errors.push("no Expires field");
  if (result.expires.length > 1) result.errors.push("Expires appears more than once");
  if (languages > 1) result.errors.push("Preferred-Languages appears more than once");
  return result;
}

function finalExchange(chain: RedirectChain | null): HttpExchange | null {
  if (!chain || chain.end !== "final") return null;
  const last = chain.exchanges.at(-1);
  return last && last.outcome === "response" ? last : null;
}

function timedOut(chain: RedirectChain | null): boolean {
  return !!chain && chain.end === "failed" && chain.exchanges.at(-1)?.outcome === "timeout";
}

export function securityTxtVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app && app.verdict.status === "not-applicable") return app.verdict;
  const { wellKnown, legacy } = evidence.other.securityTxt;
  const primary = finalExchange(wellKnown);
  const fallback = finalExchange(legacy);
  if (!primary && timedOut(wellKnown)) return { status: "not-tested", summary: "The request for /.well-known/security.txt timed out.", evidence: {} };
  const found = primary?.status === 200 ? primary : fallback?.status === 200 ? fallback : null;
  if (!found) {
    if (!primary && !fallback && (timedOut(legacy) || !wellKnown)) return { status: "not-tested", summary: "security.txt could not be requested.", evidence: {} };
    return { status: "warn", summary: "No security.txt at /.well-known/security.txt.", evidence: { status: primary?.status ?? null } };
  }
  const contentType = (found.headers?.["content-type"] ?? "").toLowerCase();
  const parsed = parseSecurityTxt(found.body ?? "");
  const ev = { url: found.url, contentType: found.headers?.["content-type"] ?? null, contacts: parsed.contacts, expires: parsed.expires, errors: parsed.errors };
  const now = Date.parse(evidence.observedAt);
  const expires = parsed.expires.length === 1 ? Date.parse(parsed.expires[0]!) : NaN;
  if (!Number.isNaN(expires) && expires < now) return { status: "fail", summary: `security.txt expired on ${parsed.expires[0]}: researchers are told to treat it as stale.`, evidence: ev };
  const problems: string[] = [];
  if (found !== primary) problems.push("it is served at /security.txt instead of /.well-known/security.txt");
  if (!found.url.startsWith("https://")) problems.push("it is not served over HTTPS");
  if (!/^text\/plain\b/.test(contentType)) problems.push(`its media type is "${contentType || "missing"}" instead of text/plain`);
  const charset = /charset=([^;]+)/.exec(contentType)?.[1]?.trim().replace(/"/g, "");
  if (charset && charset !== "utf-8") problems.push(`its charset is ${charset} instead of utf-8`);
  problems.push(...parsed.errors);
  if (!Number.isNaN(expires) && expires - now > 366 * 86_400_000) problems.push("Expires is more than a year ahead");
  if (found.bodyTruncated) problems.push("it is larger than 100 KiB");
  if (problems.length > 0) return { status: "warn", summary: `security.txt found, but ${problems.join("; ")}.`, evidence: ev };
  return { status: "pass", summary: `security.txt lists ${parsed.contacts.join(", ")} and expires ${parsed.expires[0]}.`, evidence: ev };
}
