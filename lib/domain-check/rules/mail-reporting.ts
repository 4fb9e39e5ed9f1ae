import { answered, parseTagList, recordsOf, versionedTxt } from "./dns-answers";
import type { MailEvidence } from "./evidence";
import { effectiveDmarc } from "./dmarc";
import type { MailProfile } from "./mail-profile";
import type { Verdict } from "./types";

/** TLS-RPT (RFC 8460) and BIMI (informational). */

export function tlsRptVerdict(mail: MailEvidence, profile: MailProfile): Verdict {
  if (profile.unknown) return { status: "not-tested", summary: "The MX lookup failed.", evidence: {} };
  if (!profile.receivesMail) return { status: "not-applicable", summary: "The domain receives no mail (no MX hosts).", evidence: {} };
  const answer = mail.tlsRpt;
  if (!answered(answer)) return { status: "not-tested", summary: `The DNS query for ${answer.name} failed.`, evidence: {} };
  const records = versionedTxt(answer, "TLSRPTv1");
  if (records.length === 0) return { status: "warn", summary: `No TLS-RPT record at ${answer.name}.`, evidence: { txt: recordsOf(answer) } };
  if (records.length > 1) return { status: "fail", summary: `${records.length} TLS-RPT records: senders ignore them.`, evidence: { records } };
  const rua = (parseTagList(records[0]!).tags.get("rua") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (rua.length === 0 || !rua.every((u) => /^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u)))
    return { status: "fail", summary: "The TLS-RPT record has no valid rua= (mailto: or https:).", evidence: { record: records[0] } };
  return { status: "pass", summary: `TLS failure reports go to ${rua.join(", ")}.`, evidence: { record: records[0] } };
}

export function bimiVerdict(mail: MailEvidence, profile: MailProfile): Verdict {
  if (profile.nonSending) return { status: "not-applicable", summary: "The domain sends no mail.", evidence: {} };
  const answer = mail.bimi;
  if (!answered(answer)) return { status: "not-tested", summary: `The DNS query for ${answer.name} failed.`, evidence: {} };
  const records = versionedTxt(answer, "BIMI1");
  const dmarc = effectiveDmarc(mail);
  const enforcing = dmarc !== null && dmarc.appliedPolicy !== "none" && (dmarc.pct === null || dmarc.pct === 100);
  if (records.length === 0) return { status: "info", summary: "No BIMI record (optional).", evidence: {} };
  const note = enforcing ? "" : " It has no effect until DMARC enforces (quarantine or reject at 100%).";
  // l= and a= are attacker-controlled URLs: recorded, never fetched.
  return { status: "info", summary: `BIMI record published.${note}`, evidence: { record: records[0], dmarcEnforcing: enforcing } };
}
