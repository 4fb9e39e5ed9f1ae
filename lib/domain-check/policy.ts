/**
 * Target policies: which names and addresses a scan may reach, and on which ports.
 *
 * - PUBLIC_TARGET_POLICY (the web endpoint): public names and public unicast addresses only, ports 80/443.
 *   It is a frozen constant with no options; nothing can configure it to reach private targets.
 * - operatorTargetPolicy(): the CLI; `allowPrivateTargets` also accepts reserved names (*.test, *.internal)
 *   and private/loopback addresses. Ports stay 80/443.
 * - Port mapping exists only for tests (lib/domain-check/testing/test-policy.ts), because tests cannot bind 80/443.
 *
 * scanDomain() only accepts policies made here (a private brand), so a hand-built object cannot smuggle in options.
 */

export interface TargetPolicy {
  readonly kind: "public" | "operator" | "test";
  /** Reserved names and non-public addresses (loopback, private, link-local, ...) are reachable. */
  readonly allowPrivateTargets: boolean;
  readonly ports: Readonly<{ http: number; https: number }>;
  /** Extra address ranges never dialled, even when private targets are allowed (own VPC, metadata, egress NAT). */
  readonly deniedCidrs: readonly string[];
}

const issued = new WeakSet<TargetPolicy>();

function issue(policy: TargetPolicy): TargetPolicy {
  for (const cidr of policy.deniedCidrs) {
    if (!/^[0-9a-f:.]+\/\d{1,3}$/i.test(cidr)) throw new Error(`Invalid CIDR ${cidr}`);
  }
  const frozen = Object.freeze({ ...policy, ports: Object.freeze({ ...policy.ports }), deniedCidrs: Object.freeze([...policy.deniedCidrs]) });
  issued.add(frozen);
  return frozen;
}

export const PUBLIC_TARGET_POLICY: TargetPolicy = issue({ kind: "public", allowPrivateTargets: false, ports: { http: 80, https: 443 }, deniedCidrs: [] });

export function operatorTargetPolicy(options: { allowPrivateTargets: boolean; deniedCidrs?: string[] }): TargetPolicy {
  return issue({ kind: "operator", allowPrivateTargets: options.allowPrivateTargets === true, ports: { http: 80, https: 443 }, deniedCidrs: options.deniedCidrs ?? [] });
}

/** For lib/domain-check/testing only (see test-policy.ts): loopback fixtures listen on ephemeral ports. */
export function unsafeTestTargetPolicy(options: { ports: { http: number; https: number }; allowPrivateTargets: boolean; deniedCidrs?: string[] }): TargetPolicy {
  for (const port of [options.ports.http, options.ports.https]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Invalid test port ${port}`);
  }
  return issue({ kind: "test", allowPrivateTargets: options.allowPrivateTargets, ports: options.ports, deniedCidrs: options.deniedCidrs ?? [] });
}

export function assertIssuedPolicy(policy: TargetPolicy): void {
  if (!issued.has(policy)) throw new TypeError("Target policy must come from lib/domain-check/policy (PUBLIC_TARGET_POLICY or operatorTargetPolicy)");
}
