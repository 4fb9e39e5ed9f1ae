import type { DnsAnswer } from "./evidence";

/** Helpers for reading recorded DNS answers: an "error" answer is unknown, never "absent". */

export function answered<T>(answer: DnsAnswer<T> | null | undefined): boolean {
  return !!answer && answer.outcome !== "error";
}

export function recordsOf<T>(answer: DnsAnswer<T> | null | undefined): T[] {
  return answer && answer.outcome === "records" ? answer.records : [];
}

/** TXT records whose first tag is `v=<version>` (case-insensitive), as RFCs 7208/7489/8461/8460 select them. */
export function versionedTxt(answer: DnsAnswer<string> | null | undefined, version: string): string[] {
  const pattern = new RegExp(`^\\s*v\\s*=\\s*${version.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*(;|$|\\s)`, "i");
  return recordsOf(answer).filter((txt) => pattern.test(txt));
}

/** `k=v; k=v` tag lists (DMARC, DKIM, MTA-STS, TLS-RPT, BIMI). Later duplicates are kept apart for validation. */
export function parseTagList(text: string): { tags: Map<string, string>; duplicates: string[]; malformed: string[] } {
  const tags = new Map<string, string>();
  const duplicates: string[] = [];
  const malformed: string[] = [];
  for (const part of text.split(";")) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) {
      malformed.push(trimmed);
      continue;
    }
    const key = trimmed.slice(0, eq).trim().toLowerCase();
    const value = trimmed.slice(eq + 1).trim();
    if (tags.has(key)) duplicates.push(key);
    else tags.set(key, value);
  }
  return { tags, duplicates, malformed };
}

export function normalizeHost(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}
