/** The six defense-in-depth layers a score is broken into. */
export type LayerId = 1 | 2 | 3 | 4 | 5 | 6;

export interface LayerInfo {
  id: LayerId;
  name: string;
  /** Folder under lib/engine/checks/ holding this layer's checks and fixtures. */
  folder: string;
}

export const LAYERS: readonly LayerInfo[] = [
  { id: 1, name: "Container images", folder: "1-images" },
  { id: 2, name: "RBAC and admission control", folder: "2-rbac-admission" },
  { id: 3, name: "Network policies and service mesh", folder: "3-network" },
  { id: 4, name: "Secrets management", folder: "4-secrets" },
  { id: 5, name: "Runtime threat detection and audit logging", folder: "5-runtime-audit" },
  { id: 6, name: "Supply chain and CI/CD", folder: "6-supply-chain" },
];

export function layerInfo(id: LayerId): LayerInfo {
  return LAYERS[id - 1]!;
}
