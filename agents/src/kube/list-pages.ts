/**
 * Paginated LIST of one resource (limit + continue). Pages are handed over as they arrive so the
 * caller can redact and stream them: at most one page is in memory.
 * An expired continue token (410 Gone) restarts the list from the beginning and skips what was
 * already handed over: etcd returns objects in key order (namespace/name), so "key <= last key"
 * is exactly the part already seen.
 */
import type { KubeApi, KubeResponse } from "./kube-client";
import { statusMessage } from "./kube-client";
import type { CoverageStatus } from "@/lib/snapshot/schema";

export interface ListTarget {
  group: string;
  version: string;
  resource: string;
  kind: string;
}

export interface ListOutcome {
  status: CoverageStatus;
  /** Objects handed to onPage. */
  count: number;
  resourceVersion?: string;
  restarts: number;
  message?: string;
}

export interface ListOptions {
  pageSize?: number;
  /** How many times an expired continue token may restart the list. */
  maxRestarts?: number;
  /** Retries of one page on 429/5xx/transport errors before the resource is recorded as "error". */
  maxPageRetries?: number;
  retryBaseMs?: number;
}

export type RawObject = Record<string, unknown> & { metadata?: { name?: string; namespace?: string } };

export function listPath(target: Pick<ListTarget, "group" | "version" | "resource">): string {
  return target.group === "" ? `/api/${target.version}/${target.resource}` : `/apis/${target.group}/${target.version}/${target.resource}`;
}

function objectKey(object: RawObject): string {
  const meta = object.metadata ?? {};
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ""}` : (meta.name ?? "");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function listAll(
  api: KubeApi,
  target: ListTarget,
  onPage: (items: RawObject[]) => Promise<void>,
  options: ListOptions = {},
): Promise<ListOutcome> {
  const pageSize = options.pageSize ?? 500;
  const maxRestarts = options.maxRestarts ?? 3;
  const maxPageRetries = options.maxPageRetries ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const apiVersion = target.group === "" ? target.version : `${target.group}/${target.version}`;
  const path = listPath(target);

  let count = 0;
  let restarts = 0;
  let lastKey: string | undefined;
  let skipUpTo: string | undefined;
  let continueToken: string | undefined;
  let resourceVersion: string | undefined;

  for (;;) {
    let response: KubeResponse | undefined;
    let lastFailure = "";
    for (let attempt = 0; attempt <= maxPageRetries; attempt++) {
      if (attempt > 0) await sleep(Math.random() * retryBaseMs * 2 ** attempt);
      try {
        response = await api.get(path, { limit: String(pageSize), continue: continueToken });
      } catch (error) {
        response = undefined;
        lastFailure = error instanceof Error ? error.message : String(error);
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        lastFailure = statusMessage(response);
        response = undefined;
        continue;
      }
      break;
    }
    if (!response) return { status: "error", count, restarts, resourceVersion, message: `listing ${path} failed: ${lastFailure}` };

    if (response.status === 403) return { status: "forbidden", count, restarts, message: statusMessage(response) };
    if (response.status === 404) return { status: "absent", count, restarts, message: statusMessage(response) };
    if (response.status === 410 && continueToken !== undefined) {
      if (restarts >= maxRestarts) {
        return { status: "error", count, restarts, resourceVersion, message: `continue token expired ${restarts + 1} times; list incomplete` };
      }
      restarts++;
      skipUpTo = lastKey;
      continueToken = undefined;
      continue;
    }
    if (response.status !== 200) return { status: "error", count, restarts, resourceVersion, message: statusMessage(response) };

    const list = response.body as { items?: unknown; metadata?: { continue?: string; resourceVersion?: string } } | undefined;
    if (!list || !Array.isArray(list.items)) return { status: "error", count, restarts, message: `listing ${path} returned no items array` };
    const rv = list.metadata?.resourceVersion;
    if (typeof rv === "string") resourceVersion = rv;

    const page: RawObject[] = [];
    for (const raw of list.items as unknown[]) {
      if (!raw || typeof raw !== "object") continue;
      const item = raw as RawObject;
      const key = objectKey(item);
      if (skipUpTo !== undefined && key <= skipUpTo) continue;
      // Typed lists leave apiVersion/kind off their items; the snapshot needs them.
      if (typeof item.apiVersion !== "string") item.apiVersion = apiVersion;
      if (typeof item.kind !== "string") item.kind = target.kind;
      page.push(item);
      lastKey = key;
    }
    if (page.length > 0) {
      await onPage(page);
      count += page.length;
    }
    continueToken = list.metadata?.continue || undefined;
    if (!continueToken) return { status: "ok", count, restarts, resourceVersion };
  }
}
