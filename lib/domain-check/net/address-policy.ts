import ipaddr from "ipaddr.js";
import type { TargetPolicy } from "../policy";

/**
 * Allow-list of addresses a scan may dial: only public unicast. ipaddr.process() unwraps IPv4-mapped IPv6
 * (::ffff:127.0.0.1 is loopback); every other range (loopback, private, link-local incl. 169.254.169.254,
 * unique-local, CGNAT, reserved, multicast, NAT64, 6to4, Teredo, unspecified) is refused.
 */
export function isPublicUnicast(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  try {
    return ipaddr.process(address).range() === "unicast";
  } catch {
    return false;
  }
}

function inDeniedRange(address: string, cidrs: readonly string[]): boolean {
  const parsed = ipaddr.process(address);
  return cidrs.some((cidr) => {
    const [range, bits] = ipaddr.parseCIDR(cidr);
    if (parsed.kind() === range.kind()) return parsed.match([range, bits] as never);
    // An IPv4 address also falls in an IPv6 range that covers its IPv4-mapped form.
    if (parsed.kind() === "ipv4" && range.kind() === "ipv6") return (parsed as ipaddr.IPv4).toIPv4MappedAddress().match([range, bits] as never);
    return false;
  });
}

export function addressAllowed(address: string, policy: TargetPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  if (inDeniedRange(address, policy.deniedCidrs)) return false;
  return policy.allowPrivateTargets || isPublicUnicast(address);
}

export class BlockedTargetError extends Error {
  readonly code = "BLOCKED_TARGET";
  constructor(message: string) {
    super(message);
  }
}
