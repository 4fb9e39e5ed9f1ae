import { createPublicKey } from "node:crypto";
import { answered, parseTagList, recordsOf } from "./dns-answers";
import type { MailEvidence } from "./evidence";
import type { MailProfile } from "./mail-profile";
import type { Verdict } from "./types";

/** DKIM (RFC 6376, RFC 8301, RFC 8463): keys found at guessed selectors and the `_domainkey` node. */

export interface DkimKey {
  selector: string;
  keyType: string;
  bits: number | null;
  revoked: boolean;
  problem: string | null;
}

export function parseDkimKey(selector: string, record: string): DkimKey | null {
  const { tags } = parseTagList(record);
  const version = tags.get("v");
  if (version !== undefined && version !== "DKIM1") return null;
  if (!tags.has("p")) return null;
  const keyType = (tags.get("k") ?? "rsa").toLowerCase();
  const p = (tags.get("p") ?? "").replace(/\s+/g, "");
  if (p === "") return { selector, keyType, bits: null, revoked: true, problem: null };
  if (keyType === "ed25519") {
    const raw = Buffer.from(p, "base64");
    return { selector, keyType, bits: 256, revoked: false, problem: raw.length === 32 ? null : "Ed25519 key is not 32 bytes" };
  }
  if (keyType !== "rsa") return { selector, keyType, bits: null, revoked: false, problem: `unknown key type ${keyType}` };
  try {
    // Pure decoding of the published SubjectPublicKeyInfo; no I/O.
    const key = createPublicKey({ key: Buffer.from(p, "base64"), format: "der", type: "spki" });
    return { selector, keyType, bits: key.asymmetricKeyDetails?.modulusLength ?? null, revoked: false, problem: null };
  } catch {
    return { selector, keyType, bits: null, revoked: false, problem: "the p= key does not decode" };
  }
}

export function dkimVerdict(mail: MailEvidence, profile: MailProfile): Verdict {
  if (profile.nonSending) return { status: "not-applicable", summary: "The domain sends no mail (null MX or SPF -all with DMARC reject).", evidence: {} };
  const keys: DkimKey[] = [];
  let selectorErrors = 0;
  for (const [selector, answer] of Object.entries(mail.dkim.selectors)) {
    if (!answered(answer)) selectorErrors += 1;
    for (const txt of recordsOf(answer)) {
      const key = parseDkimKey(selector, txt);
      if (key) keys.push(key);
    }
  }
  const wildcard = mail.dkim.wildcard.outcome === "records";
  const evidence: Record<string, unknown> = {
    selectorsTried: Object.keys(mail.dkim.selectors),
    keys: keys.map((k) => ({ selector: k.selector, type: k.keyType, bits: k.bits, revoked: k.revoked, problem: k.problem })),
    domainKeyNode: mail.dkim.domainKey.outcome,
    wildcard,
  };
  if (wildcard) return { status: "info", summary: `${mail.dkim.wildcard.name} answers for a random selector (wildcard), so keys cannot be told apart from the wildcard.`, evidence };
  const usable = keys.filter((k) => !k.revoked && k.problem === null);
  const strong = usable.filter((k) => k.keyType === "ed25519" || (k.bits ?? 0) >= 2048);
  const medium = usable.filter((k) => k.keyType === "rsa" && (k.bits ?? 0) >= 1024 && (k.bits ?? 0) < 2048);
  if (strong.length > 0) return { status: "pass", summary: `DKIM key${strong.length > 1 ? "s" : ""} found at selector ${strong.map((k) => k.selector).join(", ")}.`, evidence };
  if (medium.length > 0) return { status: "warn", summary: `Only RSA keys of ${medium.map((k) => k.bits).join(", ")} bits: 2048 is recommended.`, evidence };
  if (usable.length > 0) return { status: "fail", summary: `Only keys under 1024 bits, which receivers must not accept (RFC 8301).`, evidence };
  if (mail.dkim.domainKey.outcome === "records" || mail.dkim.domainKey.outcome === "nodata")
    return { status: "pass", summary: `${mail.dkim.domainKey.name} exists (keys are published under it; the selectors are not guessable).`, evidence };
  if (!answered(mail.dkim.domainKey) || selectorErrors > 0) return { status: "not-tested", summary: "DKIM lookups failed, so keys could not be looked for.", evidence };
  return { status: "warn", summary: `No DKIM key found at ${Object.keys(mail.dkim.selectors).length} common selectors and ${mail.dkim.domainKey.name} does not exist. Keys at custom selectors cannot be discovered.`, evidence };
}
