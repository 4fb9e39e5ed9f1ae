import { type TargetPolicy, unsafeTestTargetPolicy } from "../policy";

/**
 * The only way to map ports 80/443 to the fixture servers' ephemeral ports. Lives under testing/ so the app
 * never imports it (the public endpoint goes through scanPublicDomain, which has no policy option at all).
 */
export function testTargetPolicy(options: { ports: { http: number; https: number }; allowPrivateTargets?: boolean; deniedCidrs?: string[] }): TargetPolicy {
  return unsafeTestTargetPolicy({ ports: options.ports, allowPrivateTargets: options.allowPrivateTargets ?? true, deniedCidrs: options.deniedCidrs });
}
