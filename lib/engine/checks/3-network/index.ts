/** Layer 3 - Network policies and service mesh. Add one import and one entry per check. */
import type { Check } from "@/lib/engine/model/check";
import { defaultDenyIngress } from "@/lib/engine/checks/3-network/default-deny-ingress";
import { defaultDenyEgress } from "@/lib/engine/checks/3-network/default-deny-egress";
import { namespaceNetworkPolicy } from "@/lib/engine/checks/3-network/namespace-network-policy";
import { hostPort } from "@/lib/engine/checks/3-network/host-port";
import { serviceExposure } from "@/lib/engine/checks/3-network/service-exposure";
import { ciliumPolicyEnforcement } from "@/lib/engine/checks/3-network/cilium-policy-enforcement";
import { meshMtlsStrict } from "@/lib/engine/checks/3-network/mesh-mtls-strict";
import { meshNamespaceMembership } from "@/lib/engine/checks/3-network/mesh-namespace-membership";
import { meshWorkloadMembership } from "@/lib/engine/checks/3-network/mesh-workload-membership";
import { meshAuthorizationPolicy } from "@/lib/engine/checks/3-network/mesh-authorization-policy";
import { ingressTls } from "@/lib/engine/checks/3-network/ingress-tls";

export const layer3Checks: readonly Check[] = [
  defaultDenyIngress,
  defaultDenyEgress,
  namespaceNetworkPolicy,
  hostPort,
  serviceExposure,
  ciliumPolicyEnforcement,
  meshMtlsStrict,
  meshNamespaceMembership,
  meshWorkloadMembership,
  meshAuthorizationPolicy,
  ingressTls,
];
