import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { parse } from "tldts";
import type { TargetPolicy } from "./policy";

/**
 * Validates what a user typed as "the domain to check". Only a bare host name is accepted: no scheme, port,
 * path, credentials or IP literal in any notation (WHATWG parsing turns 0x7f.1 or 2130706433 into 127.0.0.1,
 * so the literal check runs on the normalized name too).
 */

export type TargetNameError =
  | "empty"
  | "too-long"
  | "not-a-bare-hostname"
  | "ip-literal"
  | "invalid-hostname"
  | "single-label"
  | "reserved-name"
  | "no-public-suffix";

export type TargetNameResult = { ok: true; domain: string } | { ok: false; code: TargetNameError; message: string };

/** Special-use and internal names (RFC 6761, RFC 6762, RFC 7686, RFC 8375, ICANN .internal) never scanned publicly. */
const RESERVED_SUFFIXES = ["localhost", "local", "internal", "test", "example", "invalid", "onion", "arpa", "alt", "lan", "home", "corp", "intranet", "localdomain"];

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function fail(code: TargetNameError, message: string): TargetNameResult {
  return { ok: false, code, message };
}

export function isReservedName(domain: string): boolean {
  const labels = domain.split(".");
  const last = labels.at(-1) ?? "";
  return RESERVED_SUFFIXES.includes(last) || domain.endsWith(".home.arpa") || /(^|\.)(example\.(com|net|org))$/.test(domain);
}

export function parseTargetName(input: string, policy: TargetPolicy): TargetNameResult {
  const raw = input.trim();
  if (!raw) return fail("empty", "Enter a domain name, e.g. example.com.");
  if (raw.length > 253) return fail("too-long", "A domain name has at most 253 characters.");
  if (/[/:@?#\\\s[\]%]/.test(raw)) return fail("not-a-bare-hostname", "Enter a bare domain name (like example.com), without scheme, port, path or credentials.");
  if (isIP(raw) || isIP(raw.replace(/^\[|\]$/g, ""))) return fail("ip-literal", "IP addresses are not accepted; enter a domain name.");
  const ascii = domainToASCII(raw.toLowerCase());
  if (!ascii) return fail("invalid-hostname", "This is not a valid domain name.");
  let normalized: string;
  try {
    normalized = new URL(`http://${ascii}/`).hostname;
  } catch {
    return fail("invalid-hostname", "This is not a valid domain name.");
  }
  normalized = normalized.replace(/\.$/, "");
  if (isIP(normalized) || isIP(normalized.replace(/^\[|\]$/g, "")) || /^[0-9.]+$/.test(normalized) || /^0x/i.test(normalized))
    return fail("ip-literal", "IP addresses are not accepted in any notation; enter a domain name.");
  if (normalized.length > 253) return fail("too-long", "A domain name has at most 253 characters.");
  const labels = normalized.split(".");
  if (!labels.every((l) => LABEL.test(l))) return fail("invalid-hostname", "Each part of a domain name has 1-63 letters, digits or hyphens.");
  if (labels.length < 2) return fail("single-label", "Enter a full domain name with a dot, e.g. example.com.");
  if (/^\d+$/.test(labels.at(-1)!)) return fail("ip-literal", "IP addresses are not accepted; enter a domain name.");
  if (policy.allowPrivateTargets) return { ok: true, domain: normalized };
  if (isReservedName(normalized)) return fail("reserved-name", "Reserved and internal names (like .test, .internal, .local) cannot be checked.");
  const parsed = parse(normalized, { allowPrivateDomains: true });
  if (!parsed.publicSuffix || !(parsed.isIcann || parsed.isPrivate) || !parsed.domain || normalized === parsed.publicSuffix)
    return fail("no-public-suffix", "This name does not end in a public suffix (like .com or .co.uk).");
  return { ok: true, domain: normalized };
}
