/**
 * Stable finding identity: the same problem on the same field of the same resource
 * gets the same fingerprint in every snapshot, so the backend can tell new findings
 * from resolved ones. The API version is left out (apps/v1beta2 -> apps/v1 is the
 * same Deployment); the API group stays in.
 */
import { apiGroupOf, type ResourceRef } from "@/lib/engine/model/kube";

export function fingerprintOf(checkId: string, resource: ResourceRef, container: string | null, path: string | null): string {
  // Same value as hashing the parts joined with NUL, without building the joined string.
  return hash128([checkId, apiGroupOf(resource.apiVersion), resource.kind, resource.namespace ?? "", resource.name, container ?? "", path ?? ""]);
}

/**
 * Two independent 53-bit hashes (cyrb53 with two seeds, one pass) of the parts joined with NUL,
 * as 28 hex characters: pure JS, no crypto import. Not for secrets: for identity and change detection.
 */
export function hash128(parts: readonly string[]): string {
  let a1 = 0xdeadbeef ^ 0x9e3779b9;
  let a2 = 0x41c6ce57 ^ 0x9e3779b9;
  let b1 = 0xdeadbeef ^ 0x85ebca6b;
  let b2 = 0x41c6ce57 ^ 0x85ebca6b;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) {
      // The NUL separator (char code 0).
      a1 = Math.imul(a1, 2654435761);
      a2 = Math.imul(a2, 1597334677);
      b1 = Math.imul(b1, 2654435761);
      b2 = Math.imul(b2, 1597334677);
    }
    const text = parts[p]!;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      a1 = Math.imul(a1 ^ ch, 2654435761);
      a2 = Math.imul(a2 ^ ch, 1597334677);
      b1 = Math.imul(b1 ^ ch, 2654435761);
      b2 = Math.imul(b2 ^ ch, 1597334677);
    }
  }
  return finish(a1, a2) + finish(b1, b2);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** 32-bit value as 8 hex digits (Number#toString(16) on large doubles is slow). */
function hex8(n: number): string {
  return HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

/** The 53-bit cyrb53 result (21 high bits of h2, 32 bits of h1) as 14 hex digits. */
function finish(h1: number, h2: number): string {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  // 2097151 & h2 < 2^21 fits in six hex digits.
  return hex8(2097151 & h2).slice(2) + hex8(h1 >>> 0);
}
