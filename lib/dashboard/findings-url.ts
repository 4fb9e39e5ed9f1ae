/**
 * The findings table's state as it lives in the URL (?layer=2&severity=HIGH&status=FAIL
 * &namespace=shop&check=privileged-container&q=web&new=1&cursor=…&page=2). Client-safe (no
 * database imports): the page reads it on the server, the table writes it in the browser, and
 * the API validates it again. Values that make no sense are dropped, not turned into errors.
 */
export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
export const STATUSES = ["FAIL", "UNKNOWN", "EXCEPTED"] as const;
export type SeverityValue = (typeof SEVERITIES)[number];
export type StatusValue = (typeof STATUSES)[number];

export interface FindingsUrlState {
  layer?: number;
  severity?: SeverityValue;
  status?: StatusValue;
  /** "-" selects cluster-scoped resources (no namespace). */
  namespace?: string;
  check?: string;
  q?: string;
  new?: boolean;
  cursor?: string;
  /** Page number, for display only (the cursor decides the rows). */
  page: number;
}

export type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

function get(params: SearchParamsLike, key: string): string | undefined {
  const value = params instanceof URLSearchParams ? (params.get(key) ?? undefined) : params[key];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

function capped(value: string | undefined, max: number): string | undefined {
  return value !== undefined && value.length <= max ? value : undefined;
}

export function readFindingsUrlState(params: SearchParamsLike): FindingsUrlState {
  const layer = Number(get(params, "layer"));
  const severity = get(params, "severity")?.toUpperCase();
  const status = get(params, "status")?.toUpperCase();
  const page = Number(get(params, "page"));
  const cursor = capped(get(params, "cursor"), 200);
  return {
    ...(Number.isInteger(layer) && layer >= 1 && layer <= 6 ? { layer } : {}),
    ...(SEVERITIES.includes(severity as SeverityValue) ? { severity: severity as SeverityValue } : {}),
    ...(STATUSES.includes(status as StatusValue) ? { status: status as StatusValue } : {}),
    ...optional("namespace", capped(get(params, "namespace"), 253)),
    ...optional("check", capped(get(params, "check"), 100)),
    ...optional("q", capped(get(params, "q"), 200)),
    ...(get(params, "new") === "1" ? { new: true } : {}),
    ...(cursor ? { cursor } : {}),
    page: cursor && Number.isInteger(page) && page > 1 && page < 100_000 ? page : 1,
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** The filters only (what the API's filter schema takes), as strings. */
export function findingFilterParams(state: FindingsUrlState): Record<string, string> {
  const out: Record<string, string> = {};
  if (state.layer) out.layer = String(state.layer);
  if (state.severity) out.severity = state.severity;
  if (state.status) out.status = state.status;
  if (state.namespace) out.namespace = state.namespace;
  if (state.check) out.check = state.check;
  if (state.q) out.q = state.q;
  if (state.new) out.new = "1";
  return out;
}

/** The full query string for the page (filters, then the page position). */
export function findingsQueryString(state: FindingsUrlState): string {
  const params = new URLSearchParams(findingFilterParams(state));
  if (state.cursor) {
    params.set("cursor", state.cursor);
    if (state.page > 1) params.set("page", String(state.page));
  }
  return params.toString();
}

export type FilterKey = "layer" | "severity" | "status" | "namespace" | "check" | "q" | "new";

/** A filter changed: back to the first page. An empty value removes the filter. */
export function withFilter(state: FindingsUrlState, key: FilterKey, value: string | boolean | undefined): FindingsUrlState {
  const next = { ...state, page: 1 } as FindingsUrlState & Record<string, unknown>;
  delete next.cursor;
  delete next[key];
  const merged = readFindingsUrlState(new URLSearchParams({ ...findingFilterParams(next), ...(value === undefined || value === "" || value === false ? {} : { [key]: value === true ? "1" : String(value) }) }));
  return merged;
}

export function hasFilters(state: FindingsUrlState): boolean {
  return Object.keys(findingFilterParams(state)).length > 0;
}
