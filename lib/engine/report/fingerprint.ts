/**
 * Stable finding identity: the same problem on the same field of the same resource
 * gets the same fingerprint in every snapshot, so the backend can tell new findings
 * from resolved ones. The API version is left out (apps/v1beta2 -> apps/v1 is the
 * same Deployment); the API group stays in.
 */
import { apiGroupOf, type ResourceRef } from "@/lib/engine/model/kube";

export function fingerprintOf(checkId: string, resource: ResourceRef, container: string | null, path: string | null): string {
  const key = [checkId, apiGroupOf(resource.apiVersion), resource.kind, resource.namespace ?? "", resource.name, container ?? "", path ?? ""].join("\u0000");
  return hash128(key);
}

/** Two independent 53-bit hashes (cyrb53 with two seeds) as 28 hex characters: pure JS, no crypto import. */
function hash128(text: string): string {
  return cyrb53(text, 0x9e3779b9).toString(16).padStart(14, "0") + cyrb53(text, 0x85ebca6b).toString(16).padStart(14, "0");
}

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
